"""Chain tasks: relay the outbox, index events, notice a reset chain."""

from __future__ import annotations

import logging
import random

from celery import shared_task
from requests.exceptions import ConnectionError as RequestsConnectionError
from requests.exceptions import Timeout as RequestsTimeout

logger = logging.getLogger(__name__)

TRANSIENT = (RequestsConnectionError, RequestsTimeout, ConnectionError, TimeoutError)


def _backoff(retries: int) -> float:
    return min(30.0, 2**retries) * (0.5 + random.random())


@shared_task(name="chain.relay_outbox", bind=True, max_retries=5, acks_late=True)
def relay_outbox(self) -> dict:
    from chain.deploy import chain_ensure_deployed
    from chain.relay import ChainRPCError, NetworkMismatch, relay_run
    from chain.services import RELAY_KICK_KEY

    try:
        from django.core.cache import cache

        cache.delete(RELAY_KICK_KEY)  # from now on, a new commit kicks again
    except Exception:  # noqa: BLE001 - the cache is an optimisation here
        pass
    try:
        try:
            report = relay_run()
        except NetworkMismatch:
            chain_ensure_deployed()
            report = relay_run()
    except (*TRANSIENT, ChainRPCError) as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries))
    return {"signed": report.signed, "sent": report.sent, "confirmed": report.confirmed, "failed": report.failed}


@shared_task(name="chain.index_events", bind=True, max_retries=3, acks_late=True)
def index_events(self) -> int:
    from chain.indexer import index_run
    from chain.relay import NetworkMismatch

    try:
        return index_run()
    except NetworkMismatch:
        return 0
    except TRANSIENT as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries))


@shared_task(name="chain.watch_network", bind=True, max_retries=3, acks_late=True)
def watch_network(self) -> dict:
    """Redeploy and replay if the node was reset (new genesis or our code gone)."""
    from chain.deploy import chain_ensure_deployed
    from chain.relay import reconcile_lost_transactions

    try:
        report = chain_ensure_deployed()
        resent = reconcile_lost_transactions()
    except TRANSIENT as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries))
    return {"reset": report.reset, "deployed": report.deployed, "replayed": report.replayed, "resent": resent}


BEAT_SCHEDULE = {
    "relay-outbox": {"task": "chain.relay_outbox", "schedule": 2.0},
    "index-chain": {"task": "chain.index_events", "schedule": 3.0},
    "watch-chain": {"task": "chain.watch_network", "schedule": 10.0},
}
