"""Who sees and does what, per endpoint: every role, and other tenants get 404 (existence never leaks)."""

import uuid
from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEvent
from chain.models import ChainTransaction
from financing.models import Financing, Reservation
from financing.services import financings_mark_overdue
from financing.tests.helpers import World
from tests.support.factories import make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    world = World(APIClient)
    world.operator = make_org("operator", username="ops")
    d = world.declaration(fob="10000.00")
    other_d = world.declaration(exporter=world.exporter2, fob="5000.00")
    receivable = world.submit([(d, "10000.00")], amount="10000.00").json()
    other = world.submit([(other_d, "5000.00")], amount="5000.00", exporter=world.exporter2, invoice="B-1").json()
    financing = world.apply(receivable["id"], world.bank, "8000.00").json()
    world.client(world.bank).post(f"/api/financings/{financing['id']}/approve/", {"interest_rate": "3.00"}, format="json")
    world.client(world.bank).post(f"/api/financings/{financing['id']}/disburse/", format="json")
    receipt = world.client(world.bank).post("/api/fx-receipts/", {
        "receivable": receivable["id"], "amount": "100.00", "currency": "USD", "value_date": "2026-11-20",
        "payer_name": "B", "reference": "R-A"}, format="json").json()
    return world, d, other_d, receivable, other, financing, receipt


def client_for(world, who):
    org = {"exporter": world.exporter, "exporter2": world.exporter2, "bank": world.bank, "bank2": world.bank2,
           "regulator": world.regulator, "operator": world.operator}[who]
    return world.client(org)


@pytest.mark.parametrize("who,expected", [
    ("exporter", 200), ("exporter2", 404), ("bank", 200), ("bank2", 404), ("regulator", 200), ("operator", 404)])
def test_financing_detail(setup, who, expected):
    world, *_, financing, _ = setup
    assert client_for(world, who).get(f"/api/financings/{financing['id']}/").status_code == expected


@pytest.mark.parametrize("who,expected", [
    ("exporter", 200), ("exporter2", 404), ("bank", 200), ("bank2", 404), ("regulator", 200), ("operator", 404)])
def test_receivable_detail(setup, who, expected):
    world, _, _, receivable, *_ = setup
    assert client_for(world, who).get(f"/api/receivables/{receivable['id']}/").status_code == expected


@pytest.mark.parametrize("who,count", [
    ("exporter", 1), ("exporter2", 1), ("bank", 1), ("bank2", 0), ("regulator", 2), ("operator", 2)])
def test_declaration_lists(setup, who, count):
    world, *_ = setup
    assert client_for(world, who).get("/api/customs/declarations/").json()["count"] == count


@pytest.mark.parametrize("who,expected", [
    ("exporter", 200), ("exporter2", 404), ("bank", 200), ("bank2", 404), ("regulator", 200), ("operator", 404)])
def test_receipt_detail(setup, who, expected):
    world, *_, receipt = setup
    assert client_for(world, who).get(f"/api/fx-receipts/{receipt['id']}/").status_code == expected


@pytest.mark.parametrize("who,expected", [
    ("exporter", 403), ("exporter2", 403), ("bank2", 404), ("regulator", 403), ("operator", 403)])
def test_only_the_addressed_bank_can_act(setup, who, expected):
    world, *_, financing, _ = setup
    for action in ("approve", "reject", "disburse", "write-off"):
        response = client_for(world, who).post(f"/api/financings/{financing['id']}/{action}/",
                                               {"interest_rate": "3.00", "reason": "x"}, format="json")
        assert response.status_code == expected, (action, response.json())


@pytest.mark.parametrize("who,expected", [("bank", 403), ("exporter2", 404), ("regulator", 403)])
def test_only_the_exporter_withdraws(setup, who, expected):
    world, *_, financing, _ = setup
    assert client_for(world, who).post(f"/api/financings/{financing['id']}/withdraw/").status_code == expected


@pytest.mark.parametrize("who,expected", [("exporter", 403), ("regulator", 403), ("operator", 403), ("bank2", 404)])
def test_only_a_bank_with_a_financing_records_receipts(setup, who, expected):
    world, _, _, receivable, *_ = setup
    response = client_for(world, who).post("/api/fx-receipts/", {
        "receivable": receivable["id"], "amount": "1.00", "currency": "USD", "value_date": "2026-11-20",
        "payer_name": "B", "reference": f"X-{who}"}, format="json")
    assert response.status_code == expected


@pytest.mark.parametrize("who,expected", [("bank", 403), ("regulator", 403), ("operator", 403)])
def test_only_exporters_submit_and_apply(setup, who, expected):
    world, d, *_ = setup
    api = client_for(world, who)
    assert api.post("/api/receivables/", {}, format="json").status_code == expected
    assert api.post("/api/financings/", {}, format="json").status_code == expected


def test_an_exporter_cannot_apply_with_another_exporters_receivable(setup):
    world, _, _, _, other, *_ = setup
    response = world.apply(other["id"], world.bank, "100.00")
    assert response.status_code == 400
    assert "receivable" in response.json()["details"]


@pytest.mark.parametrize("who,expected", [("exporter", 403), ("bank", 403), ("regulator", 403), ("operator", 400)])
def test_only_the_operator_feeds_customs(setup, who, expected):
    world, *_ = setup
    assert client_for(world, who).post("/api/customs/declarations/", {}, format="json").status_code == expected


def test_exporters_are_listed_only_to_banks_they_applied_to(setup):
    world, *_ = setup
    names = lambda who: {o["name"] for o in client_for(world, who).get("/api/organizations/?page_size=100").json()["results"]}
    assert world.exporter.name in names("bank")
    assert world.exporter.name not in names("bank2")
    assert world.exporter.name not in names("exporter2")
    assert world.bank2.name in names("exporter2")
    assert {world.exporter.name, world.exporter2.name} <= names("regulator")


# Each transition in the state where its own party's call succeeds: (action, body, state, intruder, owner).
ACTIONABLE = [
    ("approve", {"interest_rate": "3.00"}, "applied", "bank2", "bank"),
    ("reject", {"reason": "Not for us."}, "applied", "bank2", "bank"),
    ("disburse", {}, "approved", "bank2", "bank"),
    ("withdraw", {}, "approved", "exporter2", "exporter"),
    ("write-off", {}, "overdue", "bank2", "bank"),
]


@pytest.mark.parametrize("action,body,state,intruder,owner", ACTIONABLE)
def test_another_partys_transition_is_not_found_and_changes_nothing(setup, action, body, state, intruder, owner):
    # The services read the financing once, locked, filtered on the acting party: that read is the
    # visibility check, so another bank's or exporter's call must answer as for an unknown id and
    # write nothing, in a state where the right party's call succeeds.
    world, *_ = setup
    receivable = world.submit([(world.declaration(fob="3000.00"), "3000.00")], amount="3000.00", invoice="INV-404").json()
    financing_id = world.apply(receivable["id"], world.bank, "2000.00").json()["id"]
    bank = world.client(world.bank)
    if state in ("approved", "overdue"):
        assert bank.post(f"/api/financings/{financing_id}/approve/", {"interest_rate": "3.00"}, format="json").status_code == 200
    if state == "overdue":
        assert bank.post(f"/api/financings/{financing_id}/disburse/", format="json").status_code == 200
        due = Financing.objects.select_related("bank").get(pk=financing_id)
        financings_mark_overdue(today=due.due_date + timedelta(days=due.bank.grace_days + 1))  # the daily check
        assert Financing.objects.get(pk=financing_id).status == "overdue"
    before = Financing.objects.values().get(pk=financing_id)
    reservations = list(Reservation.objects.filter(financing_id=financing_id).values())
    events, outbox = AuditEvent.objects.count(), ChainTransaction.objects.count()

    response = client_for(world, intruder).post(f"/api/financings/{financing_id}/{action}/", body, format="json")
    unknown = client_for(world, intruder).post(f"/api/financings/{uuid.uuid4()}/{action}/", body, format="json")

    assert (response.status_code, unknown.status_code) == (404, 404)
    assert response.json() == unknown.json() == {"code": "not_found", "message": "Not found.", "details": {}}
    assert Financing.objects.values().get(pk=financing_id) == before
    assert list(Reservation.objects.filter(financing_id=financing_id).values()) == reservations
    assert (AuditEvent.objects.count(), ChainTransaction.objects.count()) == (events, outbox)
    # The financing's own party still can.
    assert client_for(world, owner).post(f"/api/financings/{financing_id}/{action}/", body, format="json").status_code == 200


@pytest.mark.parametrize("action,body,_state,_intruder,owner", ACTIONABLE)
def test_a_transition_on_an_id_that_is_not_a_uuid_is_not_found(setup, action, body, _state, _intruder, owner):
    world, *_ = setup
    response = client_for(world, owner).post(f"/api/financings/not-a-uuid/{action}/", body, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
