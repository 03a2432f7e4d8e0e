"""Oversight tasks: raise concentration alerts for the regulator."""

from celery import shared_task


@shared_task(name="oversight.sweep_alerts", acks_late=True, ignore_result=True)
def sweep_alerts() -> int:
    from oversight.services import oversight_alerts_sweep

    return oversight_alerts_sweep()


BEAT_SCHEDULE = {
    "oversight-sweep-alerts": {"task": "oversight.sweep_alerts", "schedule": 600.0},
}
