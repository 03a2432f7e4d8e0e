"""The whole financing journey through the API, with balances checked at every step."""

from datetime import date
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEvent
from customs.models import Declaration
from financing.models import BlockedAttempt, Financing, Reservation
from financing.tests.helpers import World
from oversight.models import Alert

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World(APIClient)


def balances(world, declaration):
    row = world.client(world.exporter).get("/api/customs/declarations/", {"number": declaration.number}).json()["results"][0]
    return row["financed_amount"], row["available_amount"]


def test_two_banks_one_receivable_partial_and_final_receipt_with_surplus(world):
    d1 = world.declaration(fob="60000.00")
    d2 = world.declaration(fob="50000.00")
    created = world.submit([(d1, "60000.00"), (d2, "40000.00")], amount="100000.00")
    assert created.status_code == 201, created.json()
    receivable = created.json()
    # The write's response is built from the rows the service wrote, without reading them again:
    # it must be exactly what a read returns.
    assert receivable == world.client(world.exporter).get(f"/api/receivables/{receivable['id']}/").json()
    assert receivable["declaration_check"]["status"] == "passed"
    assert [d["number"] for d in receivable["declaration_check"]["declarations"]] == [d1.number, d2.number]
    assert receivable["financed_amount"] == "0.00"
    assert receivable["available_amount"] == "100000.00"

    first = world.apply(receivable["id"], world.bank, "80000.00").json()
    second = world.apply(receivable["id"], world.bank2, "50000.00").json()
    assert first["status"] == second["status"] == "applied"
    assert first["next_action_by"] == "bank"

    # The second bank is quicker: it takes 50,000.
    ok = world.client(world.bank2).post(f"/api/financings/{second['id']}/approve/", {"interest_rate": "4.50"}, format="json")
    assert ok.status_code == 200, ok.json()
    assert ok.json()["status"] == "approved"
    assert ok.json()["approved_amount"] == "50000.00"
    assert ok.json() == world.client(world.bank2).get(f"/api/financings/{second['id']}/").json()
    assert world.client(world.exporter).get(f"/api/receivables/{receivable['id']}/").json()["available_amount"] == "50000.00"
    assert balances(world, d1) == ("50000.00", "10000.00")  # the first allocation is drawn first
    assert balances(world, d2) == ("0.00", "50000.00")

    # The first bank asks for 80,000: only 50,000 remains, refused, nothing reserved.
    refused = world.client(world.bank).post(f"/api/financings/{first['id']}/approve/", {"interest_rate": "4.00"}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "insufficient_available_balance"
    assert refused.json()["details"] == {"requested": "80000.00", "available": "50000.00", "currency": "USD"}
    assert Financing.objects.get(pk=first["id"]).status == "applied"
    assert Reservation.objects.filter(financing_id=first["id"]).count() == 0
    assert BlockedAttempt.objects.filter(financing_id=first["id"]).count() == 1
    assert Alert.objects.filter(kind="double_financing_blocked", subject_id=first["id"]).count() == 1
    assert AuditEvent.objects.filter(type="financing.approval_blocked", object_id=first["id"]).count() == 1
    assert balances(world, d1) == ("50000.00", "10000.00")

    # It approves what fits instead.
    partial = world.client(world.bank).post(f"/api/financings/{first['id']}/approve/",
                                            {"amount": "50000.00", "interest_rate": "4.00"}, format="json")
    assert partial.status_code == 200, partial.json()
    assert [(r["declaration"], r["amount"]) for r in partial.json()["reservations"]] == [
        (d1.number, "10000.00"), (d2.number, "40000.00")]
    assert partial.json() == world.client(world.bank).get(f"/api/financings/{first['id']}/").json()
    assert world.client(world.exporter).get(f"/api/receivables/{receivable['id']}/").json()["available_amount"] == "0.00"
    assert balances(world, d1) == ("60000.00", "0.00")
    assert balances(world, d2) == ("40000.00", "10000.00")

    # Bank 2 disburses; a partial FX receipt, then the final one with a surplus.
    disbursed = world.client(world.bank2).post(f"/api/financings/{second['id']}/disburse/", format="json")
    assert disbursed.status_code == 200 and disbursed.json()["status"] == "disbursed"
    assert disbursed.json()["due_date"] is not None
    assert disbursed.json()["outstanding_amount"] == "50000.00"

    receipt = world.client(world.bank2).post("/api/fx-receipts/", {
        "receivable": receivable["id"], "amount": "20000.00", "currency": "USD", "value_date": "2026-11-20",
        "payer_name": "Hanoi Buyer JSC", "reference": "SWIFT-MT103-0001"}, format="json")
    assert receipt.status_code == 201, receipt.json()
    assert receipt.json()["applied_amount"] == "20000.00"
    assert receipt.json()["surplus_amount"] == "0.00"
    f2 = world.client(world.bank2).get(f"/api/financings/{second['id']}/").json()
    assert f2["status"] == "partially_repaid"
    assert f2["repaid_amount"] == "20000.00"
    assert f2["outstanding_amount"] == "30000.00"
    assert balances(world, d1) == ("60000.00", "0.00")  # still reserved until repaid in full

    final = world.client(world.bank2).post("/api/fx-receipts/", {
        "receivable": receivable["id"], "amount": "45000.00", "currency": "USD", "value_date": "2026-11-21",
        "payer_name": "Hanoi Buyer JSC", "reference": "SWIFT-MT103-0002"}, format="json")
    assert final.status_code == 201, final.json()
    assert final.json()["applied_amount"] == "30000.00"
    assert final.json()["surplus_amount"] == "15000.00"
    f2 = world.client(world.bank2).get(f"/api/financings/{second['id']}/").json()
    assert f2["status"] == "repaid"
    # The credit profile's on-time test reads the latest repaying receipt's value date from the financing.
    assert Financing.objects.get(pk=second["id"]).last_repaid_on == date(2026, 11, 21)
    assert f2["outstanding_amount"] == "0.00"
    assert all(r["released"] for r in f2["reservations"])
    # Bank 2's 50,000 on d1 came back; bank 1 still holds 10,000 on d1 and 40,000 on d2.
    assert balances(world, d1) == ("10000.00", "50000.00")
    assert balances(world, d2) == ("40000.00", "10000.00")
    rec = world.client(world.exporter).get(f"/api/receivables/{receivable['id']}/").json()
    assert rec["financed_amount"] == "50000.00"
    assert rec["received_amount"] == "65000.00"
    assert rec["surplus_amount"] == "15000.00"
    assert rec["status"] == "open"  # 65,000 of 100,000 received

    # Bank 1 disburses; its receipt settles the receivable.
    assert world.client(world.bank).post(f"/api/financings/{first['id']}/disburse/", format="json").status_code == 200
    last = world.client(world.bank).post("/api/fx-receipts/", {
        "receivable": receivable["id"], "amount": "35000.00", "currency": "USD", "value_date": "2026-11-22",
        "payer_name": "Hanoi Buyer JSC", "reference": "SWIFT-MT103-0003"}, format="json")
    assert last.status_code == 201
    assert last.json()["applied_amount"] == "35000.00" and last.json()["receivable_status"] == "settled"
    f1 = world.client(world.bank).get(f"/api/financings/{first['id']}/").json()
    assert f1["status"] == "partially_repaid" and f1["outstanding_amount"] == "15000.00"
    types = list(AuditEvent.objects.order_by("seq").values_list("type", flat=True))
    for expected in ["receivable.submitted", "financing.applied", "financing.approved", "financing.approval_blocked",
                     "financing.disbursed", "fx_receipt.recorded"]:
        assert expected in types


def test_states_never_go_backwards_and_only_the_right_party_acts(world):
    d = world.declaration(fob="10000.00")
    receivable = world.submit([(d, "10000.00")], amount="10000.00").json()
    f = world.apply(receivable["id"], world.bank, "10000.00").json()
    url = f"/api/financings/{f['id']}"
    # The exporter cannot approve; another bank cannot even see it.
    assert world.client(world.exporter).post(f"{url}/approve/", {"interest_rate": "3.00"}, format="json").status_code == 403
    assert world.client(world.bank2).post(f"{url}/approve/", {"interest_rate": "3.00"}, format="json").status_code == 404
    # Disbursing before approval is refused.
    early = world.client(world.bank).post(f"{url}/disburse/", format="json")
    assert early.status_code == 409 and early.json()["code"] == "invalid_state_transition"
    assert world.client(world.bank).post(f"{url}/approve/", {"interest_rate": "3.00"}, format="json").status_code == 200
    assert world.client(world.bank).post(f"{url}/approve/", {"interest_rate": "3.00"}, format="json").status_code == 409
    assert world.client(world.bank).post(f"{url}/reject/", {"reason": "late"}, format="json").status_code == 409
    assert world.client(world.bank).post(f"{url}/disburse/", format="json").status_code == 200
    withdraw = world.client(world.exporter).post(f"{url}/withdraw/", format="json")
    assert withdraw.status_code == 409
    assert Financing.objects.get(pk=f["id"]).status == "disbursed"


def test_withdrawing_an_approved_financing_releases_its_reservation(world):
    d = world.declaration(fob="10000.00")
    receivable = world.submit([(d, "10000.00")], amount="10000.00").json()
    f = world.apply(receivable["id"], world.bank, "8000.00").json()
    world.client(world.bank).post(f"/api/financings/{f['id']}/approve/", {"interest_rate": "3.00"}, format="json")
    assert Declaration.objects.get(pk=d.pk).financed_amount == Decimal("8000")
    response = world.client(world.exporter).post(f"/api/financings/{f['id']}/withdraw/", format="json")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert Declaration.objects.get(pk=d.pk).financed_amount == Decimal("0")
    assert world.client(world.exporter).get(f"/api/receivables/{receivable['id']}/").json()["financed_amount"] == "0.00"


def test_a_rejected_application_holds_nothing(world):
    d = world.declaration(fob="10000.00")
    receivable = world.submit([(d, "10000.00")], amount="10000.00").json()
    f = world.apply(receivable["id"], world.bank, "8000.00").json()
    response = world.client(world.bank).post(f"/api/financings/{f['id']}/reject/", {"reason": "Buyer risk too high"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "rejected" and response.json()["reject_reason"] == "Buyer risk too high"
    assert Declaration.objects.get(pk=d.pk).financed_amount == 0


def test_receipt_in_another_currency_is_refused_and_writes_nothing(world):
    from financing.models import FxReceipt

    d = world.declaration(fob="10000.00")
    receivable = world.submit([(d, "10000.00")], amount="10000.00").json()
    f = world.apply(receivable["id"], world.bank, "8000.00").json()
    world.client(world.bank).post(f"/api/financings/{f['id']}/approve/", {"interest_rate": "3.00"}, format="json")
    world.client(world.bank).post(f"/api/financings/{f['id']}/disburse/", format="json")
    response = world.client(world.bank).post("/api/fx-receipts/", {
        "receivable": receivable["id"], "amount": "100.00", "currency": "EUR", "value_date": "2026-11-20",
        "payer_name": "Buyer", "reference": "R-1"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "currency_mismatch"
    assert FxReceipt.objects.count() == 0
    assert Financing.objects.get(pk=f["id"]).repaid_amount == 0


def test_overdue_after_grace_days_raises_an_alert(world):
    from datetime import timedelta

    from django.utils import timezone

    from financing.services import financings_mark_overdue

    d = world.declaration(fob="10000.00")
    receivable = world.submit([(d, "10000.00")], amount="10000.00").json()
    f = world.apply(receivable["id"], world.bank, "8000.00", tenor_days=30).json()
    world.client(world.bank).post(f"/api/financings/{f['id']}/approve/", {"interest_rate": "3.00"}, format="json")
    world.client(world.bank).post(f"/api/financings/{f['id']}/disburse/", format="json")
    due = Financing.objects.get(pk=f["id"]).due_date
    grace = world.bank.grace_days
    assert financings_mark_overdue(today=due + timedelta(days=grace)) == 0  # still within grace
    assert financings_mark_overdue(today=due + timedelta(days=grace + 1)) == 1
    assert Financing.objects.get(pk=f["id"]).status == "overdue"
    assert Alert.objects.filter(kind="financing_overdue", subject_id=f["id"]).count() == 1
    assert financings_mark_overdue(today=due + timedelta(days=grace + 2)) == 0  # once only
    # A late receipt still repays it; the write-off is no longer possible afterwards.
    world.client(world.bank).post("/api/fx-receipts/", {
        "receivable": receivable["id"], "amount": "8000.00", "currency": "USD", "value_date": str(timezone.localdate()),
        "payer_name": "Buyer", "reference": "LATE-1"}, format="json")
    assert Financing.objects.get(pk=f["id"]).status == "repaid"
