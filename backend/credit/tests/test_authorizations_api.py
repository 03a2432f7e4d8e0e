"""Validation, idempotency, expiry and penalties of the credit API: bad input is a 400 naming the
field, and nothing is half-written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from chain.models import ChainTransaction
from credit.models import CreditAccess, CreditAuthorization, Penalty
from credit.services import authorizations_expire
from credit.tests.helpers import CreditWorld, audit_events

pytestmark = [pytest.mark.django_db, pytest.mark.chain]


@pytest.fixture
def world(chain):
    return CreditWorld()


def nothing_written():
    assert CreditAuthorization.objects.count() == 0
    assert not AuditEvent.objects.filter(type__startswith="credit.").exists()
    assert not ChainTransaction.objects.filter(contract="AuthorizationRegistry").exclude(function=ChainTransaction.DEPLOY).exists()


def _cases(world):
    today = timezone.localdate()
    now = timezone.now()
    return [
        ("expires_at", {"expires_at": (now - timedelta(minutes=1)).isoformat()}),
        ("expires_at", {"valid_from": (now + timedelta(days=5)).isoformat(), "expires_at": (now + timedelta(days=4)).isoformat()}),
        ("expires_at", {"valid_from": (now + timedelta(days=5)).isoformat(), "expires_at": (now + timedelta(days=5)).isoformat()}),
        ("expires_at", {"expires_at": "tomorrow"}),
        ("data_from", {"data_from": (today + timedelta(days=1)).isoformat(), "data_to": (today + timedelta(days=2)).isoformat()}),
        ("data_to", {"data_to": (today + timedelta(days=1)).isoformat()}),
        ("data_to", {"data_from": (today - timedelta(days=5)).isoformat(), "data_to": (today - timedelta(days=6)).isoformat()}),
        ("data_from", {"data_from": "2026-02-30"}),
        ("bank", {"bank": "00000000-0000-0000-0000-000000000000"}),
        ("bank", {"bank": str(world.exporter2.pk)}),
        ("bank", {"bank": str(world.regulator.pk)}),
        ("bank", {"bank": "not-a-uuid"}),
        ("scopes", {"scopes": []}),
        ("scopes", {"scopes": ["basic", "basic"]}),
        ("scopes", {"scopes": ["credit_score"]}),
        ("scopes", {"scopes": "basic"}),
        ("scopes", {"scopes": ["basic", "transaction_credit", "regulatory_credit", "basic"]}),
        ("purpose", {"purpose": "Review\u202eevil"}),
        ("purpose", {"purpose": "x" * 201}),
        ("purpose", {"purpose": ""}),
    ]


def test_each_bad_field_is_a_400_naming_it_and_nothing_is_written(world):
    exporter_api = world.client(world.exporter)
    for field, change in _cases(world):
        response = exporter_api.post("/api/credit-authorizations/", world.grant_body(**change), format="json")
        assert response.status_code == 400, (field, change, response.content)
        body = response.json()
        assert body["code"] == "invalid"
        assert field in body["details"], (field, change, body)
    for missing in ("bank", "purpose", "scopes", "data_from", "data_to", "expires_at"):
        body = world.grant_body()
        del body[missing]
        response = exporter_api.post("/api/credit-authorizations/", body, format="json")
        assert response.status_code == 400 and missing in response.json()["details"], missing
    nothing_written()


def test_several_bad_fields_are_reported_together(world):
    today = timezone.localdate()
    response = world.grant(scopes=[], data_from=today + timedelta(days=3), data_to=today + timedelta(days=4),
                           expires_at=timezone.now() - timedelta(days=1))
    assert response.status_code == 400
    assert {"scopes"} <= set(response.json()["details"])
    response = world.grant(data_from=today + timedelta(days=3), data_to=today + timedelta(days=4),
                           expires_at=timezone.now() - timedelta(days=1))
    assert set(response.json()["details"]) == {"data_from", "data_to", "expires_at"}
    nothing_written()


def test_times_are_kept_in_whole_seconds_as_signed(world):
    valid_from = timezone.now().replace(microsecond=654321) + timedelta(hours=1)
    expires_at = valid_from + timedelta(days=10)
    grant = world.grant(valid_from=valid_from.isoformat(), expires_at=expires_at).json()
    row = CreditAuthorization.objects.get(pk=grant["id"])
    assert row.valid_from == valid_from.replace(microsecond=0)
    assert row.expires_at == expires_at.replace(microsecond=0)
    message = grant["typed_data"]["message"]
    assert message["validFrom"] == int(row.valid_from.timestamp())
    assert message["expiresAt"] == int(row.expires_at.timestamp())
    # The data period is whole days in UTC, its last day included.
    assert message["dataTo"] - message["dataFrom"] == (row.data_to - row.data_from).days * 86400 + 86399


def test_an_authorization_not_yet_valid_is_refused_and_logged(world):
    grant = world.grant(valid_from=(timezone.now() + timedelta(hours=1)).isoformat()).json()
    assert grant["status"] == "active"
    response = world.lookup(authorization=grant["id"])
    assert response.status_code == 403
    assert response.json()["code"] == "authorization_required"
    access = CreditAccess.objects.get(pk=response.json()["details"]["access_id"])
    assert (access.outcome, access.reason) == ("authorization_required", "not_yet_valid")


def test_idempotent_grant_and_revoke(world):
    exporter_api = world.client(world.exporter)
    body = world.grant_body()
    first = exporter_api.post("/api/credit-authorizations/", body, format="json", HTTP_IDEMPOTENCY_KEY="grant-1")
    second = exporter_api.post("/api/credit-authorizations/", body, format="json", HTTP_IDEMPOTENCY_KEY="grant-1")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert CreditAuthorization.objects.count() == 1
    other = exporter_api.post("/api/credit-authorizations/", {**body, "purpose": "Something else"}, format="json",
                              HTTP_IDEMPOTENCY_KEY="grant-1")
    assert (other.status_code, other.json()["code"]) == (409, "idempotency_key_reused")
    path = f"/api/credit-authorizations/{first.json()['id']}/revoke/"
    r1 = exporter_api.post(path, HTTP_IDEMPOTENCY_KEY="revoke-1")
    r2 = exporter_api.post(path, HTTP_IDEMPOTENCY_KEY="revoke-1")
    assert r1.status_code == r2.status_code == 200
    assert r2.json() == r1.json()
    assert len(audit_events("credit.authorization_revoked", first.json()["id"])) == 1
    assert ChainTransaction.objects.filter(function="revoke").count() == 1


def test_revoking_another_exporters_unknown_or_malformed_authorization_is_not_found_and_changes_nothing(world):
    grant = world.grant().json()
    intruder = world.client(world.exporter2)
    bodies = []
    for target in (grant["id"], "00000000-0000-0000-0000-000000000000", "not-a-uuid"):
        response = intruder.post(f"/api/credit-authorizations/{target}/revoke/")
        assert response.status_code == 404, (target, response.content)
        bodies.append(response.json())
    assert bodies == [{"code": "not_found", "message": "Not found.", "details": {}}] * 3
    assert CreditAuthorization.objects.get(pk=grant["id"]).status == "active"
    assert audit_events("credit.authorization_revoked", grant["id"]) == []
    assert not ChainTransaction.objects.filter(function="revoke").exists()
    # Its own exporter still can.
    assert world.client(world.exporter).post(f"/api/credit-authorizations/{grant['id']}/revoke/").json()["status"] == "revoked"


def test_bad_lookup_parameters_are_400_and_not_logged(world):
    grant = world.grant().json()
    bank_api = world.client(world.bank)
    for params, field in (({"authorization": "nope"}, "authorization"),
                          ({"authorization": grant["id"], "scopes": "basic,credit_score"}, "scopes"),
                          ({"authorization": grant["id"], "scopes": "basic,basic"}, "scopes"),
                          ({"authorization": grant["id"], "scopes": ","}, "scopes")):
        response = bank_api.get(f"/api/credit-reports/{world.exporter.pk}/", params)
        assert response.status_code == 400, params
        assert field in response.json()["details"]
    assert CreditAccess.objects.count() == 0


def test_expiry_task_flips_only_what_is_due(world):
    from workers.tasks import BEAT_SCHEDULE
    from workers.tasks.credit import expire_authorizations

    assert BEAT_SCHEDULE["expire-credit-authorizations"] == {"task": "credit.expire_authorizations", "schedule": 60.0}
    due = world.grant().json()["id"]
    later = world.grant().json()["id"]
    revoked = world.grant().json()["id"]
    world.client(world.exporter).post(f"/api/credit-authorizations/{revoked}/revoke/")
    now = timezone.now()
    CreditAuthorization.objects.filter(pk__in=[due, revoked]).update(valid_from=now - timedelta(days=2),
                                                                    expires_at=now - timedelta(days=1))
    assert expire_authorizations.apply().get() == 1
    statuses = dict(CreditAuthorization.objects.values_list("pk", "status"))
    assert {str(k): v for k, v in statuses.items()} == {due: "expired", later: "active", revoked: "revoked"}
    assert CreditAuthorization.objects.get(pk=due).expired_at is not None
    assert [e.payload["actor"] for e in audit_events("credit.authorization_expired", due)] == [None]
    assert authorizations_expire(now=now + timedelta(days=31)) == 1  # `later` is due a month on


def test_penalty_validation_and_duplicates(world):
    regulator = world.client(world.regulator)
    base = {"exporter": str(world.exporter.pk), "decided_on": timezone.localdate().isoformat(),
            "reason": "Unreported receipts", "reference": "GXHF-2026-001"}
    bad = [
        ({"amount": "1000.00"}, "currency"),
        ({"currency": "CNY"}, "amount"),
        ({"amount": 1000.5, "currency": "CNY"}, "amount"),
        ({"amount": "10.001", "currency": "CNY"}, "amount"),
        ({"amount": "-5.00", "currency": "CNY"}, "amount"),
        ({"amount": "5.00", "currency": "XXQ"}, "currency"),
        ({"decided_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, "decided_on"),
        ({"exporter": str(world.bank.pk)}, "exporter"),
        ({"reason": "bad\x00reason"}, "reason"),
        ({"reference": ""}, "reference"),
    ]
    for change, field in bad:
        response = regulator.post("/api/credit/penalties/", {**base, **change}, format="json")
        assert response.status_code == 400, (change, response.content)
        assert field in response.json()["details"], (change, response.json())
    assert Penalty.objects.count() == 0
    created = regulator.post("/api/credit/penalties/", {**base, "amount": "50000.00", "currency": "CNY"}, format="json")
    assert created.status_code == 201
    assert created.json()["amount"] == "50000.00"
    assert created.json()["imposed_by"] == {"id": str(world.regulator.pk), "name": world.regulator.name}
    duplicate = regulator.post("/api/credit/penalties/", base, format="json")
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "duplicate_penalty")
    assert Penalty.objects.count() == 1
    [event] = audit_events("credit.penalty_recorded", created.json()["id"])
    assert str(world.exporter.pk) in {str(v) for v in event.visible_to}


def test_the_schema_documents_the_credit_endpoints(api):
    text = api.get("/api/schema/").content.decode()
    for path in ("/api/credit-authorizations/", "/api/credit-authorizations/{id}/revoke/",
                 "/api/credit-authorizations/{id}/accesses/", "/api/credit-reports/{exporter_id}/",
                 "/api/credit/penalties/", "/api/credit/accesses/"):
        assert path in text, path


def test_list_endpoints_do_not_query_per_row(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def grant_and_look():
        grant = world.grant().json()
        assert world.lookup(authorization=grant["id"]).status_code == 200
        world.lookup(authorization=grant["id"], scopes="regulatory_credit")
        return grant["id"]

    def counts():
        paths = ["/api/credit-authorizations/", "/api/credit/accesses/",
                 f"/api/credit-authorizations/{first}/accesses/"]
        result = []
        for org in (world.exporter, world.regulator):
            for path in paths:
                with CaptureQueriesContext(connection) as queries:
                    assert world.client(org).get(path).status_code == 200
                result.append(len(queries.captured_queries))
        return result

    first = grant_and_look()
    counts()  # warm-up: per-process caches
    before = counts()
    for _ in range(4):
        grant_and_look()
    assert world.lookup(authorization=first).status_code == 200
    assert counts() == before
