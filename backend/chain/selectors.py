"""Reads of the chain app: how the outbox fares, for the operator."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from chain.models import ChainTransaction

S = ChainTransaction.Status
# Not yet confirmed or failed: pending too (the relay's own IN_FLIGHT is only what it signed).
UNCONFIRMED = (S.PENDING, S.SIGNED, S.SENT)


def _age(since: datetime, now: datetime) -> int:
    return max(0, int((now - since).total_seconds()))


def outbox_summary(*, now: datetime | None = None) -> dict[str, Any]:
    """What the outbox holds and how the relay fares: entries by state (pending, signed, sent), the
    oldest one not yet confirmed, and failures in the last 24 hours with the latest of them.

    Worker heartbeats say that the chain queue is consumed; this says whether writes get through.
    """
    now = now or timezone.now()
    counts = dict(ChainTransaction.objects.filter(status__in=UNCONFIRMED).order_by()
                  .values_list("status").annotate(n=Count("id")))
    oldest = (ChainTransaction.objects.filter(status__in=UNCONFIRMED).order_by("created_at", "id")
              .values("id", "contract", "function", "status", "created_at").first())
    # Entries lost in a chain reset (superseded by the replay) are not failures of the relay.
    failures = ChainTransaction.objects.filter(status=S.FAILED).exclude(error_code=ChainTransaction.LOST_IN_RESET)
    since = now - timedelta(hours=24)
    latest_failure = (failures.order_by("-updated_at", "-id")
                      .values("id", "contract", "function", "error_code", "error_message", "updated_at").first())
    stuck_after = settings.CHAIN_STUCK_SECONDS
    if oldest is not None:
        oldest["age_seconds"] = _age(oldest["created_at"], now)
        oldest["late"] = oldest["age_seconds"] > stuck_after
    return {
        "in_flight": {state: counts.get(state, 0) for state in UNCONFIRMED},
        "oldest_unconfirmed": oldest,
        "failed_last_24h": failures.filter(updated_at__gte=since).count(),
        "latest_failure": latest_failure,
        "late_after_seconds": stuck_after,
    }
