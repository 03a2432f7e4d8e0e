"""Are the background workers, and the scheduler that feeds them, alive?

Every alert of the platform is raised by a scheduled task: an anchoring that stalls, a relay that is
stuck, an overdue financing. If the scheduler (Celery beat) or the worker of a queue stops, nothing
raises anything. So beat sends a heartbeat task to each queue every WORKER_HEARTBEAT_SECONDS; the
worker that consumes it records the time. GET /api/health/ reports each queue's last heartbeat, and a
queue is stale once it is older than WORKER_HEARTBEAT_STALE_SECONDS: its worker is down, or beat is.
Monitoring outside the platform polls that.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.dateparse import parse_datetime

logger = logging.getLogger(__name__)

QUEUES = ("celery", "chain", "audit")  # every queue a deployment must consume (docs/operations.md)


def _key(queue: str) -> str:
    return f"worker-heartbeat:{queue}"


def heartbeat_record(queue: str, *, now: datetime | None = None) -> None:
    """What the heartbeat task does on the worker that consumed it from `queue`."""
    cache.set(_key(queue), (now or timezone.now()).isoformat(), timeout=None)


def workers_status(*, now: datetime | None = None) -> dict[str, Any]:
    """Each queue's last heartbeat and its age; `ok` when every queue's is fresh."""
    now = now or timezone.now()
    try:
        seen = cache.get_many([_key(q) for q in QUEUES])
    except Exception:  # noqa: BLE001 - the cache is the broker's Redis: health reports that as the broker
        logger.warning("worker heartbeats unreadable (cache down)", exc_info=True)
        seen = {}
    queues = {}
    for queue in QUEUES:
        at = parse_datetime(seen.get(_key(queue)) or "")
        age = max(0, int((now - at).total_seconds())) if at else None
        queues[queue] = {"ok": age is not None and age <= settings.WORKER_HEARTBEAT_STALE_SECONDS,
                         "last_seen": at, "age_seconds": age}
    return {"ok": all(q["ok"] for q in queues.values()), "stale_after_seconds": settings.WORKER_HEARTBEAT_STALE_SECONDS,
            "queues": queues}
