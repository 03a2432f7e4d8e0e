"""Operations tasks: the heartbeat of each queue (common/heartbeats.py)."""

from celery import shared_task
from django.conf import settings


@shared_task(bind=True, name="ops.heartbeat", ignore_result=True)
def heartbeat(self) -> None:
    """Record the queue the message was delivered from, not one the message names: a heartbeat that
    some other queue's worker consumed proves nothing about its own queue."""
    from common.heartbeats import QUEUES, heartbeat_record

    queue = (self.request.delivery_info or {}).get("routing_key")
    if queue in QUEUES:
        heartbeat_record(queue)


def _schedule() -> dict:
    from common.heartbeats import QUEUES

    every = float(settings.WORKER_HEARTBEAT_SECONDS)
    # Routed to the queue it reports on. A heartbeat that waits behind a busy queue's backlog still
    # counts if consumed within the stale window; one older than that is dropped, so that a worker
    # coming back does not work through a pile of them (at most stale / every wait).
    return {f"ops-heartbeat-{queue}": {"task": "ops.heartbeat", "schedule": every,
                                       "options": {"queue": queue, "expires": float(settings.WORKER_HEARTBEAT_STALE_SECONDS)}}
            for queue in QUEUES}


BEAT_SCHEDULE = _schedule()
