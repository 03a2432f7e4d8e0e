"""Oversight tasks: raise concentration alerts for the regulator; watch that the audit log gets anchored."""

from celery import shared_task


@shared_task(name="oversight.sweep_alerts", acks_late=True, ignore_result=True)
def sweep_alerts() -> int:
    from oversight.services import oversight_alerts_sweep

    return oversight_alerts_sweep()


@shared_task(name="oversight.watch_anchoring", acks_late=True, ignore_result=True)
def watch_anchoring() -> bool:
    """On the default queue, not `audit`: it must run when nothing consumes the audit queue."""
    from audit.services import audit_anchoring_watch

    return audit_anchoring_watch() is not None


@shared_task(name="oversight.watch_outbox", acks_late=True, ignore_result=True)
def watch_outbox() -> int:
    """On the default queue, not `chain`: it must run when the relay itself is stuck."""
    from chain.relay import outbox_watch

    return len(outbox_watch())


BEAT_SCHEDULE = {
    "oversight-sweep-alerts": {"task": "oversight.sweep_alerts", "schedule": 600.0},
    "oversight-watch-anchoring": {"task": "oversight.watch_anchoring", "schedule": 60.0},
    "oversight-watch-outbox": {"task": "oversight.watch_outbox", "schedule": 60.0},
}
