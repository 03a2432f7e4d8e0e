"""The credit-authorization journey of domain.md scenario 2, through the API.

A bank's lookup without an authorization is refused → the exporter grants → the lookup is
served, limited to its scopes → a scope it lacks is refused → the exporter sees the access →
revoke → refused → expiry → refused. Each lookup and refusal is checked in the access log
(API and table) and in the audit log.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from eth_account import Account
from eth_account.messages import encode_typed_data

from audit.models import AuditEvent
from credit.models import CreditAccess, CreditAuthorization
from credit.services import authorizations_expire
from credit.tests.helpers import CreditWorld, audit_events
from tests.support.factories import user_of

pytestmark = [pytest.mark.django_db, pytest.mark.chain]


@pytest.fixture
def world(chain):
    return CreditWorld()


def assert_refused(response, code):
    assert response.status_code == 403, response.content
    body = response.json()
    assert body["code"] == code
    assert set(body) == {"code", "message", "details"}
    return body["details"]["access_id"]


def assert_logged(access_id, *, outcome, world, authorization=None, scopes=()):
    access = CreditAccess.objects.get(pk=access_id)
    assert access.outcome == outcome
    assert access.bank_id == world.bank.pk
    assert access.user_id == user_of(world.bank).pk
    assert access.exporter_id == world.exporter.pk
    assert access.requested_exporter_id == world.exporter.pk
    assert access.authorization_id == (uuid.UUID(authorization) if authorization else None)
    assert access.scopes == list(scopes)
    [event] = audit_events("credit.lookup_served" if outcome == "served" else "credit.lookup_refused", access_id)
    assert event.payload["data"]["outcome"] == outcome
    assert event.payload["data"]["bank"] == str(world.bank.pk)
    assert event.payload["data"]["exporter"] == str(world.exporter.pk)
    assert event.payload["data"]["scopes"] == list(scopes)
    assert event.actor_id == user_of(world.bank).pk
    # The exporter can read the event about its own profile; so can the bank that looked.
    assert str(world.exporter.pk) in {str(v) for v in event.visible_to}
    assert str(world.bank.pk) in {str(v) for v in event.visible_to}
    return access


def test_the_whole_journey(world):
    exporter_api, bank_api = world.client(world.exporter), world.client(world.bank)

    # 1. No authorization: refused, and the attempt is logged.
    refused_id = assert_refused(world.lookup(), "authorization_required")
    assert_logged(refused_id, outcome="authorization_required", world=world)
    assert CreditAccess.objects.get(pk=refused_id).chain_tx is None

    # 2. The exporter grants basic + transaction credit to the bank.
    response = world.grant(scopes=["basic", "transaction_credit"])
    assert response.status_code == 201, response.content
    grant = response.json()
    assert grant["status"] == "active"
    assert grant["scopes"] == ["basic", "transaction_credit"]
    assert grant["exporter"] == str(world.exporter.pk) and grant["bank"] == str(world.bank.pk)
    assert grant["signer_address"] == world.exporter.chain_account.address
    assert grant["chain"]["status"] == "pending"
    assert grant["revoked_at"] is None
    signable = encode_typed_data(full_message=grant["typed_data"])
    assert Account.recover_message(signable, signature=grant["signature"]) == world.exporter.chain_account.address
    [granted_event] = audit_events("credit.authorization_granted", grant["id"])
    assert granted_event.payload["data"]["digest"] == grant["digest"]
    assert granted_event.payload["data"]["signature"] == grant["signature"]

    # 3. The lookup is served, with one top-level key per authorized scope and none for the others.
    served = world.lookup(authorization=grant["id"])
    assert served.status_code == 200, served.content
    assert set(served.json()) == {"basic", "transaction_credit"}
    served_id = served["Credit-Access-Id"]
    access = assert_logged(served_id, outcome="served", world=world, authorization=grant["id"],
                           scopes=["basic", "transaction_credit"])
    assert access.chain_tx is not None and access.chain_tx.function == "recordAccess"

    # Asking for a subset serves only that subset.
    only_basic = world.lookup(authorization=grant["id"], scopes="basic")
    assert only_basic.status_code == 200
    assert set(only_basic.json()) == {"basic"}

    # 4. A scope it lacks is refused.
    scope_refused = assert_refused(world.lookup(authorization=grant["id"], scopes="basic,regulatory_credit"),
                                   "scope_not_authorized")
    assert_logged(scope_refused, outcome="scope_not_authorized", world=world, authorization=grant["id"],
                  scopes=["basic", "regulatory_credit"])

    # 5. The exporter sees every lookup under the authorization: bank, user, time, scopes, outcome.
    log = exporter_api.get(f"/api/credit-authorizations/{grant['id']}/accesses/")
    assert log.status_code == 200
    rows = log.json()["results"]
    assert log.json()["count"] == 3
    assert [r["id"] for r in rows] == [scope_refused, only_basic["Credit-Access-Id"], served_id]
    assert [r["outcome"] for r in rows] == ["scope_not_authorized", "served", "served"]
    assert [r["refused"] for r in rows] == [True, False, False]
    for row in rows:
        assert row["bank"] == {"id": str(world.bank.pk), "name": world.bank.name}
        assert row["user"]["id"] == str(user_of(world.bank).pk)
        assert row["time"]
        assert row["authorization"] == grant["id"]
    assert rows[2]["scopes"] == ["basic", "transaction_credit"]
    assert rows[2]["chain"]["status"] == "pending"
    # And the attempt that cited no authorization, in the exporter's log of all lookups about it.
    everything = exporter_api.get("/api/credit/accesses/").json()
    assert everything["count"] == 4
    assert refused_id in [r["id"] for r in everything["results"]]
    # The regulator reads the authorization's log too.
    assert world.client(world.regulator).get(f"/api/credit-authorizations/{grant['id']}/accesses/").json()["count"] == 3

    # 6. Revoke: immediate.
    revoked = exporter_api.post(f"/api/credit-authorizations/{grant['id']}/revoke/")
    assert revoked.status_code == 200, revoked.content
    assert revoked.json()["status"] == "revoked"
    assert revoked.json()["revoked_at"] is not None
    assert revoked.json()["revoke_chain"]["status"] == "pending"
    [revoked_event] = audit_events("credit.authorization_revoked", grant["id"])
    assert revoked_event.actor_id == user_of(world.exporter).pk
    again = exporter_api.post(f"/api/credit-authorizations/{grant['id']}/revoke/")
    assert again.status_code == 409
    assert again.json()["code"] == "authorization_not_active"
    assert len(audit_events("credit.authorization_revoked", grant["id"])) == 1

    # 7. Refused after revocation, and logged.
    revoked_refusal = assert_refused(world.lookup(authorization=grant["id"]), "authorization_revoked")
    assert_logged(revoked_refusal, outcome="authorization_revoked", world=world, authorization=grant["id"],
                  scopes=["basic", "transaction_credit"])

    # 8. Expiry: a second grant whose validity has run out is refused at access time,
    # before the beat task has flipped its stored status.
    second = world.grant(scopes=["regulatory_credit"]).json()
    assert world.lookup(authorization=second["id"]).status_code == 200
    now = timezone.now()
    CreditAuthorization.objects.filter(pk=second["id"]).update(valid_from=now - timedelta(hours=2),
                                                              expires_at=now - timedelta(seconds=1))
    assert CreditAuthorization.objects.get(pk=second["id"]).status == "active"  # not flipped yet
    expired_refusal = assert_refused(world.lookup(authorization=second["id"]), "authorization_expired")
    assert_logged(expired_refusal, outcome="authorization_expired", world=world, authorization=second["id"],
                  scopes=["regulatory_credit"])
    assert exporter_api.get(f"/api/credit-authorizations/{second['id']}/").json()["status"] == "expired"
    assert [g["id"] for g in bank_api.get("/api/credit-authorizations/?status=expired").json()["results"]] == [second["id"]]
    assert bank_api.get("/api/credit-authorizations/?status=active").json()["count"] == 0

    # The beat task's service flips the stored status once, with an audit event.
    assert authorizations_expire() == 1
    assert authorizations_expire() == 0
    assert CreditAuthorization.objects.get(pk=second["id"]).status == "expired"
    assert len(audit_events("credit.authorization_expired", second["id"])) == 1
    assert_refused(world.lookup(authorization=second["id"]), "authorization_expired")
    # Revoking an expired authorization is a conflict, not a silent success.
    assert exporter_api.post(f"/api/credit-authorizations/{second['id']}/revoke/").json()["code"] == "authorization_not_active"

    # Every lookup attempt is one access row and one audit event.
    assert CreditAccess.objects.count() == 8
    lookup_events = AuditEvent.objects.filter(type__in=["credit.lookup_served", "credit.lookup_refused"])
    assert lookup_events.count() == 8
    assert set(lookup_events.values_list("object_id", flat=True)) == {str(pk) for pk in CreditAccess.objects.values_list("pk", flat=True)}
    assert CreditAccess.objects.filter(outcome="served").count() == 3
    from credit.selectors import refused_lookups_count

    assert refused_lookups_count() == 5
    assert refused_lookups_count(bank=world.bank2) == 0
