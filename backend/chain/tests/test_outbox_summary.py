"""GET /api/chain/writes/: how the outbox fares, for the operator (heartbeats say a worker consumes
the chain queue; this says whether writes get through). Writes go through the real relay on Anvil."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from chain.relay import relay_run
from chain.selectors import outbox_summary
from chain.services import chain_call_enqueue, platform_account, replay_takes_over
from tests.support.factories import auth, make_operator

pytestmark = pytest.mark.django_db


def _enqueue(function: str, *args):
    with transaction.atomic():
        return chain_call_enqueue(signer=platform_account(), contract="FinancingRegistry", function=function, args=list(args))


def test_the_operator_sees_writes_in_flight_the_oldest_waiting_and_recent_failures(chain, settings):
    settings.CHAIN_STUCK_SECONDS = 600
    api = auth(APIClient(), make_operator())
    relay_run()  # the operator's organization is registered on chain
    empty = api.get("/api/chain/writes/").json()
    assert empty == {"in_flight": {"pending": 0, "signed": 0, "sent": 0}, "oldest_unconfirmed": None,
                     "failed_last_24h": 0, "latest_failure": None, "late_after_seconds": 600}

    _enqueue("registerDeclaration", "0x" + f"{701:064x}", 5)
    unknown = _enqueue("recordDisbursement", "0x" + f"{702:064x}")  # no such financing: the contract refuses it
    relay_run()
    unknown.refresh_from_db()
    assert (unknown.status, unknown.error_code) == ("failed", "NotFinancingBank")
    waiting = [_enqueue("registerDeclaration", "0x" + f"{703 + i:064x}", 5) for i in range(2)]
    superseded = _enqueue("registerDeclaration", "0x" + f"{710:064x}", 5)
    assert replay_takes_over(superseded)  # a chain-reset replay supersedes it: failed, but never a relay failure

    body = api.get("/api/chain/writes/").json()
    assert body["in_flight"] == {"pending": 2, "signed": 0, "sent": 0}
    oldest = body["oldest_unconfirmed"]
    assert (oldest["id"], oldest["function"], oldest["status"], oldest["late"]) == (
        str(waiting[0].pk), "registerDeclaration", "pending", False)
    assert parse_datetime(oldest["created_at"]) == waiting[0].created_at
    assert body["failed_last_24h"] == 1
    failure = body["latest_failure"]
    assert (failure["id"], failure["function"], failure["error_code"]) == (str(unknown.pk), "recordDisbursement", "NotFinancingBank")

    # Past CHAIN_STUCK_SECONDS the oldest is late; a day later the failure has left the 24-hour count.
    later = outbox_summary(now=waiting[0].created_at + timedelta(seconds=601))
    assert (later["oldest_unconfirmed"]["age_seconds"], later["oldest_unconfirmed"]["late"]) == (601, True)
    assert outbox_summary(now=unknown.updated_at + timedelta(hours=24, seconds=1))["failed_last_24h"] == 0

    relay_run()
    assert api.get("/api/chain/writes/").json()["in_flight"] == {"pending": 0, "signed": 0, "sent": 0}
