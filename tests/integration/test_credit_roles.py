"""Roles and tenants, endpoint by endpoint: one bank never sees another bank's grants, exporters never
see each other's, and an object you cannot see is a 404, never a 403."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from credit.models import CreditAccess, CreditAuthorization, Penalty
from credit.tests.helpers import CreditWorld

pytestmark = [pytest.mark.django_db, pytest.mark.chain]


@pytest.fixture
def world(chain):
    world = CreditWorld()
    # Exporter A → bank A, exporter B → bank B; one lookup under each, one penalty on each exporter.
    world.grant_a = world.grant(exporter=world.exporter, bank=world.bank).json()
    world.grant_b = world.grant(exporter=world.exporter2, bank=world.bank2).json()
    assert world.lookup(bank=world.bank, exporter=world.exporter, authorization=world.grant_a["id"]).status_code == 200
    assert world.lookup(bank=world.bank2, exporter=world.exporter2, authorization=world.grant_b["id"]).status_code == 200
    regulator = world.client(world.regulator)
    for exporter, reference in ((world.exporter, "GX-1"), (world.exporter2, "GX-2")):
        response = regulator.post("/api/credit/penalties/", {
            "exporter": str(exporter.pk), "decided_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
            "reason": "Late reporting of FX receipts", "reference": reference,
        }, format="json")
        assert response.status_code == 201, response.content
    world.penalty_a = Penalty.objects.get(reference="GX-1")
    return world


def ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_every_endpoint_needs_a_token(world):
    anonymous = APIClient()
    a = world.grant_a["id"]
    for method, path in (("get", "/api/credit-authorizations/"), ("get", f"/api/credit-authorizations/{a}/"),
                         ("post", f"/api/credit-authorizations/{a}/revoke/"),
                         ("get", f"/api/credit-authorizations/{a}/accesses/"),
                         ("get", f"/api/credit-reports/{world.exporter.pk}/?authorization={a}"),
                         ("get", "/api/credit/accesses/"), ("get", "/api/credit/penalties/"),
                         ("post", "/api/credit/penalties/")):
        response = getattr(anonymous, method)(path)
        assert response.status_code == 401, path
    assert CreditAccess.objects.count() == 2


def test_granting_is_for_exporters_only(world):
    for org in (world.bank, world.regulator, world.operator):
        response = world.client(org).post("/api/credit-authorizations/", world.grant_body(), format="json")
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
    assert APIClient().post("/api/credit-authorizations/", world.grant_body(), format="json").status_code == 401
    assert CreditAuthorization.objects.count() == 2


def test_authorization_list_and_detail_by_role_and_tenant(world):
    a, b = world.grant_a["id"], world.grant_b["id"]
    assert ids(world.client(world.exporter).get("/api/credit-authorizations/")) == {a}
    assert ids(world.client(world.exporter2).get("/api/credit-authorizations/")) == {b}
    assert ids(world.client(world.bank).get("/api/credit-authorizations/")) == {a}
    assert ids(world.client(world.bank2).get("/api/credit-authorizations/")) == {b}
    assert ids(world.client(world.regulator).get("/api/credit-authorizations/")) == {a, b}
    assert ids(world.client(world.operator).get("/api/credit-authorizations/")) == set()
    # Filters cannot widen what one sees.
    assert ids(world.client(world.bank).get(f"/api/credit-authorizations/?bank={world.bank2.pk}")) == set()
    assert ids(world.client(world.exporter).get(f"/api/credit-authorizations/?exporter={world.exporter2.pk}")) == set()
    assert ids(world.client(world.regulator).get(f"/api/credit-authorizations/?exporter={world.exporter2.pk}")) == {b}
    assert ids(world.client(world.regulator).get("/api/credit-authorizations/?scope=regulatory_credit")) == set()
    assert ids(world.client(world.regulator).get("/api/credit-authorizations/?scope=basic")) == {a, b}

    for org, visible in ((world.exporter, 200), (world.bank, 200), (world.regulator, 200),
                         (world.exporter2, 404), (world.bank2, 404), (world.operator, 404)):
        response = world.client(org).get(f"/api/credit-authorizations/{a}/")
        assert response.status_code == visible, (org, response.content)
        if visible == 404:
            assert response.json()["code"] == "not_found"


def test_only_the_exporter_revokes_and_others_learn_nothing(world):
    a = world.grant_a["id"]
    # Banks and the regulator may not revoke anything (a role refusal, the same for any id).
    for org in (world.bank, world.bank2, world.regulator):
        response = world.client(org).post(f"/api/credit-authorizations/{a}/revoke/")
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
    # Another exporter: not found.
    response = world.client(world.exporter2).post(f"/api/credit-authorizations/{a}/revoke/")
    assert response.status_code == 404
    assert CreditAuthorization.objects.get(pk=a).status == "active"
    assert world.client(world.exporter).post(f"/api/credit-authorizations/{a}/revoke/").status_code == 200


def test_the_access_log_is_for_the_exporter_and_the_regulator(world):
    a = world.grant_a["id"]
    assert world.client(world.exporter).get(f"/api/credit-authorizations/{a}/accesses/").json()["count"] == 1
    assert world.client(world.regulator).get(f"/api/credit-authorizations/{a}/accesses/").json()["count"] == 1
    # The grantee bank can see the authorization, so it is told it may not read the log ...
    response = world.client(world.bank).get(f"/api/credit-authorizations/{a}/accesses/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    # ... everyone else is told nothing exists.
    for org in (world.bank2, world.exporter2, world.operator):
        response = world.client(org).get(f"/api/credit-authorizations/{a}/accesses/")
        assert response.status_code == 404, org


def test_all_lookups_list_by_role_and_tenant(world):
    about_a = set(map(str, CreditAccess.objects.filter(exporter=world.exporter).values_list("pk", flat=True)))
    about_b = set(map(str, CreditAccess.objects.filter(exporter=world.exporter2).values_list("pk", flat=True)))
    assert len(about_a) == len(about_b) == 1
    assert ids(world.client(world.exporter).get("/api/credit/accesses/")) == about_a
    assert ids(world.client(world.exporter2).get("/api/credit/accesses/")) == about_b
    assert ids(world.client(world.bank).get("/api/credit/accesses/")) == about_a
    assert ids(world.client(world.bank2).get("/api/credit/accesses/")) == about_b
    assert ids(world.client(world.regulator).get("/api/credit/accesses/")) == about_a | about_b
    assert ids(world.client(world.operator).get("/api/credit/accesses/")) == set()
    [other] = about_b
    assert world.client(world.exporter).get(f"/api/credit/accesses/{other}/").status_code == 404
    assert world.client(world.bank).get(f"/api/credit/accesses/{other}/").status_code == 404


def test_credit_reports_are_for_banks_under_their_own_grants(world):
    a = world.grant_a["id"]
    for org in (world.exporter, world.regulator, world.operator):
        response = world.client(org).get(f"/api/credit-reports/{world.exporter.pk}/", {"authorization": a})
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
    before = CreditAccess.objects.count()
    # Another bank citing bank A's grant: refused as if there were none, and logged against bank B.
    response = world.lookup(bank=world.bank2, exporter=world.exporter, authorization=a)
    assert response.status_code == 403
    assert response.json()["code"] == "authorization_required"
    attempt = CreditAccess.objects.get(pk=response.json()["details"]["access_id"])
    assert (attempt.bank_id, attempt.outcome, attempt.scope_mask) == (world.bank2.pk, "authorization_required", 0)
    # Bank A citing its grant from exporter A to look at exporter B: refused too.
    response = world.lookup(bank=world.bank, exporter=world.exporter2, authorization=a)
    assert response.json()["code"] == "authorization_required"
    # An exporter id that does not exist answers exactly like one without a grant.
    unknown = world.client(world.bank).get("/api/credit-reports/00000000-0000-0000-0000-000000000000/",
                                           {"authorization": a})
    assert (unknown.status_code, unknown.json()["code"]) == (403, "authorization_required")
    assert CreditAccess.objects.count() == before + 3
    # The exporter sees bank B's attempt on its grant in the authorization's access log.
    log = world.client(world.exporter).get(f"/api/credit-authorizations/{a}/accesses/").json()["results"]
    assert [(row["bank"]["id"], row["outcome"]) for row in log][0] == (str(world.bank2.pk), "authorization_required")


def test_penalties_by_role_and_tenant(world):
    body = {"exporter": str(world.exporter.pk), "decided_on": timezone.localdate().isoformat(),
            "reason": "Unreported receipts", "reference": "GX-9"}
    for org in (world.exporter, world.bank):
        response = world.client(org).post("/api/credit/penalties/", body, format="json")
        assert response.status_code == 403
    assert world.client(world.operator).post("/api/credit/penalties/", body, format="json").status_code == 201
    a_ids = set(map(str, Penalty.objects.filter(exporter=world.exporter).values_list("pk", flat=True)))
    b_ids = set(map(str, Penalty.objects.filter(exporter=world.exporter2).values_list("pk", flat=True)))
    assert ids(world.client(world.exporter).get("/api/credit/penalties/")) == a_ids
    assert ids(world.client(world.exporter2).get("/api/credit/penalties/")) == b_ids
    assert ids(world.client(world.regulator).get("/api/credit/penalties/")) == a_ids | b_ids
    assert ids(world.client(world.operator).get("/api/credit/penalties/")) == a_ids | b_ids
    assert world.client(world.bank).get("/api/credit/penalties/").status_code == 403
    assert world.client(world.exporter2).get(f"/api/credit/penalties/{world.penalty_a.pk}/").status_code == 404
    assert world.client(world.exporter).get(f"/api/credit/penalties/{world.penalty_a.pk}/").status_code == 200
