"""Customs tasks: fold the credit profile's declaration tallies."""

from celery import shared_task


@shared_task(name="customs.fold_tallies", acks_late=True, ignore_result=True)
def fold_tallies() -> int:
    from customs.tallies import DECLARATION_TALLY

    return DECLARATION_TALLY.fold()


BEAT_SCHEDULE = {
    # Lookups sum the rows appended since the last fold: a minute's worth keeps them few.
    "customs-fold-tallies": {"task": "customs.fold_tallies", "schedule": 60.0},
}
