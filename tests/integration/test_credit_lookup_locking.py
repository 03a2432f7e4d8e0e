"""Lookups under one authorization run side by side; a revocation waits for those in flight.

On real connections: one session holds a lookup's (shared) lock open; another lookup under the
same authorization is served meanwhile, while a revocation blocks until the first commits. After
the revocation, lookups are refused.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from chain.deploy import chain_ensure_deployed
from credit.models import CreditAccess, CreditAuthorization
from credit.services import (
    CreditLookupRefused, _share_lock_authorization, credit_authorization_grant, credit_authorization_revoke,
    credit_report_lookup,
)
from tests.support.factories import make_org, user_of
from tests.support.processes import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.chain]


def _in_thread(target):
    outcome = {}

    def run():
        try:
            outcome["value"] = target()
        except Exception as exc:  # reported by the caller
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_lookups_share_the_authorization_and_a_revocation_waits_for_them(anvil_node, settings):
    settings.CHAIN_RPC_URL = anvil_node.url
    chain_ensure_deployed()
    exporter, bank = make_org("exporter"), make_org("bank")
    exporter_user, bank_user = user_of(exporter), user_of(bank)
    authorization = credit_authorization_grant(
        user=exporter_user, bank_id=bank.pk, purpose="Working-capital line review", scopes=["basic"],
        data_from=timezone.localdate() - dt.timedelta(days=90), data_to=timezone.localdate(),
        expires_at=timezone.now() + dt.timedelta(days=30))

    def lookup():
        return credit_report_lookup(user=bank_user, exporter_id=exporter.pk, authorization_id=authorization.pk)

    holding, release = threading.Event(), threading.Event()

    def lookup_in_flight():
        with transaction.atomic():
            assert _share_lock_authorization(authorization.pk) is not None
            holding.set()
            assert release.wait(timeout=30)

    first, first_outcome = _in_thread(lookup_in_flight)
    assert holding.wait(timeout=10)
    try:
        # Another lookup under the same authorization is not held up by the one in flight.
        second, second_outcome = _in_thread(lookup)
        second.join(timeout=10)
        assert not second.is_alive(), "a lookup waited for another lookup"
        assert "error" not in second_outcome, second_outcome
        assert second_outcome["value"].access.outcome == CreditAccess.Outcome.SERVED

        # A revocation waits until the lookup in flight has committed: PostgreSQL shows its
        # session waiting on a lock (the authorization's advisory lock; not a timing guess).
        pids = []

        def revoke():
            connection.ensure_connection()
            pids.append(connection.connection.info.backend_pid)
            return credit_authorization_revoke(user=exporter_user, authorization_id=authorization.pk)

        revocation, revocation_outcome = _in_thread(revoke)

        def revocation_waits_on_a_lock():
            if not pids:
                return False
            with connection.cursor() as cursor:
                cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pids[0]])
                row = cursor.fetchone()
            return row is not None and row[0] == "Lock"

        wait_until(revocation_waits_on_a_lock, timeout=10, interval=0.05,
                   message="the revocation waiting for the lookup in flight")
        assert revocation.is_alive() and "error" not in revocation_outcome
    finally:
        release.set()
    first.join(timeout=10)
    revocation.join(timeout=10)
    assert "error" not in first_outcome and "error" not in revocation_outcome, (first_outcome, revocation_outcome)
    assert CreditAuthorization.objects.get(pk=authorization.pk).status == CreditAuthorization.Status.REVOKED

    with pytest.raises(CreditLookupRefused):
        lookup()
    outcomes = list(CreditAccess.objects.filter(authorization=authorization).order_by("occurred_at")
                    .values_list("outcome", flat=True))
    assert outcomes[0] == CreditAccess.Outcome.SERVED and outcomes[-1] != CreditAccess.Outcome.SERVED
