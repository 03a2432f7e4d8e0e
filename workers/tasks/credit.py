"""Credit tasks: flip authorizations past their expiry (lookups enforce expiry regardless)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="credit.expire_authorizations", acks_late=True)
def expire_authorizations() -> int:
    from credit.services import authorizations_expire

    return authorizations_expire()


BEAT_SCHEDULE = {
    "expire-credit-authorizations": {"task": "credit.expire_authorizations", "schedule": 60.0},
}
