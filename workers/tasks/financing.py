"""Financing tasks: mark overdue financings, fold the credit profile's financing and receipt tallies."""

from celery import shared_task


@shared_task(name="financing.mark_overdue", acks_late=True)
def mark_overdue() -> int:
    from financing.services import financings_mark_overdue

    return financings_mark_overdue()


@shared_task(name="financing.fold_tallies", acks_late=True, ignore_result=True)
def fold_tallies() -> int:
    from financing.tallies import FINANCING_TALLY, RECEIPT_TALLY

    return FINANCING_TALLY.fold() + RECEIPT_TALLY.fold()


BEAT_SCHEDULE = {
    "financing-mark-overdue": {"task": "financing.mark_overdue", "schedule": 300.0},
    # Lookups sum the rows appended since the last fold: a minute's worth keeps them few.
    "financing-fold-tallies": {"task": "financing.fold_tallies", "schedule": 60.0},
}
