"""Financing tasks: mark overdue financings."""

from celery import shared_task


@shared_task(name="financing.mark_overdue", acks_late=True)
def mark_overdue() -> int:
    from financing.services import financings_mark_overdue

    return financings_mark_overdue()


BEAT_SCHEDULE = {
    "financing-mark-overdue": {"task": "financing.mark_overdue", "schedule": 300.0},
}
