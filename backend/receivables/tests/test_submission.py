"""Submitting receivables: the declaration check, caps and duplicates."""

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEvent
from customs.models import Declaration
from financing.tests.helpers import World
from oversight.models import Alert
from receivables.models import Receivable, ReceivableAllocation

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World(APIClient)


def nothing_written():
    return Receivable.objects.count() == 0 and ReceivableAllocation.objects.count() == 0


def test_amounts_must_add_up(world):
    d = world.declaration(fob="1000.00")
    response = world.submit([(d, "900.00")], amount="1000.00")
    assert response.status_code == 400
    assert "declarations" in response.json()["details"]
    assert nothing_written()


def test_due_date_after_issue_date(world):
    d = world.declaration(fob="1000.00")
    response = world.submit([(d, "1000.00")], amount="1000.00", due_date="2026-10-01")
    assert response.status_code == 400 and "due_date" in response.json()["details"]
    assert nothing_written()


def test_another_exporters_declaration_looks_unknown(world):
    theirs = world.declaration(exporter=world.exporter2, fob="1000.00")
    response = world.submit([(theirs, "1000.00")], amount="1000.00")
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_declaration"
    assert nothing_written()
    assert Declaration.objects.get(pk=theirs.pk).allocated_amount == 0


def test_currency_must_match_the_declaration(world):
    d = world.declaration(fob="1000.00", currency="EUR")
    response = world.submit([(d, "1000.00")], amount="1000.00", currency="USD")
    assert response.status_code == 400 and response.json()["code"] == "currency_mismatch"
    assert nothing_written()


def test_a_declaration_backs_receivables_only_up_to_its_fob_value(world):
    d = world.declaration(fob="1000.00")
    assert world.submit([(d, "700.00")], amount="700.00", invoice="A").status_code == 201
    over = world.submit([(d, "400.00")], amount="400.00", invoice="B")
    assert over.status_code == 409
    assert over.json()["code"] == "declaration_value_exceeded"
    assert over.json()["details"]["remaining"] == "300.0000"
    assert Receivable.objects.count() == 1
    assert Declaration.objects.get(pk=d.pk).allocated_amount == 700
    assert world.submit([(d, "300.00")], amount="300.00", invoice="C").status_code == 201


def test_the_same_invoice_twice_is_409(world):
    d = world.declaration(fob="5000.00")
    assert world.submit([(d, "1000.00")], amount="1000.00", invoice="INV-9").status_code == 201
    again = world.submit([(d, "1000.00")], amount="1000.00", invoice="INV-9")
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate_receivable"
    assert Receivable.objects.count() == 1
    assert Declaration.objects.get(pk=d.pk).allocated_amount == 1000


def test_a_resubmission_that_used_up_its_declaration_is_named_a_duplicate(world):
    # The usual resubmission: the invoice backed by its whole declaration, sent again (a retry without
    # an idempotency key). Its declaration has no room left, because of the first submission itself:
    # the exporter is told the invoice is already submitted, not that the declaration is full.
    d = world.declaration(fob="1000.00")
    assert world.submit([(d, "1000.00")], amount="1000.00", invoice="INV-FULL").status_code == 201
    audited = AuditEvent.objects.count()
    again = world.submit([(d, "1000.00")], amount="1000.00", invoice="INV-FULL")
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate_receivable"
    assert again.json()["details"] == {"invoice_number": "INV-FULL"}
    assert Receivable.objects.count() == 1 and AuditEvent.objects.count() == audited
    assert Declaration.objects.get(pk=d.pk).allocated_amount == 1000
    # Another invoice on the full declaration is still told the declaration is full.
    other = world.submit([(d, "1000.00")], amount="1000.00", invoice="INV-OTHER")
    assert other.status_code == 409 and other.json()["code"] == "declaration_value_exceeded"


@pytest.mark.parametrize("problem", ["unknown_declaration", "currency_mismatch"])
def test_a_resubmission_with_refused_declarations_is_named_a_duplicate(world, problem):
    d = world.declaration(fob="5000.00")
    assert world.submit([(d, "1000.00")], amount="1000.00", invoice="INV-7").status_code == 201
    if problem == "unknown_declaration":
        wrong = world.declaration(exporter=world.exporter2, fob="1000.00")
        first_alone = world.submit([(wrong, "1000.00")], amount="1000.00", invoice="INV-NEW")
        again = world.submit([(wrong, "1000.00")], amount="1000.00", invoice="INV-7")
    else:
        wrong = world.declaration(fob="1000.00", currency="EUR")
        first_alone = world.submit([(wrong, "1000.00")], amount="1000.00", invoice="INV-NEW", currency="USD")
        again = world.submit([(wrong, "1000.00")], amount="1000.00", invoice="INV-7", currency="USD")
    assert first_alone.status_code == 400 and first_alone.json()["code"] == problem
    assert again.status_code == 409 and again.json()["code"] == "duplicate_receivable"
    assert Receivable.objects.count() == 1
    assert Declaration.objects.get(pk=wrong.pk).allocated_amount == 0


def test_too_many_decimals_for_the_currency(world):
    d = world.declaration(fob="5000.00")
    response = world.submit([(d, "1000.005")], amount="1000.005")
    assert response.status_code == 400
    assert "amount" in response.json()["details"]
    jpy = world.declaration(fob="5000", currency="JPY")
    response = world.submit([(jpy, "100.5")], amount="100.5", currency="JPY", invoice="J")
    assert response.status_code == 400


def test_a_suspected_duplicate_is_accepted_but_raises_an_alert_the_bank_sees(world):
    d = world.declaration(fob="5000.00")
    first = world.submit([(d, "2000.00")], amount="2000.00", invoice="INV-1", buyer="Hanoi  buyer jsc").json()
    second = world.submit([(d, "2000.00")], amount="2000.00", invoice="INV-2", buyer="HANOI BUYER JSC")
    assert second.status_code == 201
    body = second.json()
    assert body["suspected_duplicate"] is True
    alert = Alert.objects.get(kind="suspected_duplicate_receivable", subject_id=body["id"])
    assert alert.data["matches"] == [first["id"]]
    # Once the exporter applies to a bank, that bank sees the warning and the alert.
    world.apply(body["id"], world.bank, "2000.00")
    alert.refresh_from_db()
    assert world.bank.pk in alert.visible_to
    bank_view = world.client(world.bank).get(f"/api/receivables/{body['id']}/").json()
    assert bank_view["suspected_duplicate"] is True
    assert bank_view["suspected_duplicate_of"] == []  # which one is not the bank's to know
    regulator_view = world.client(world.regulator).get(f"/api/receivables/{body['id']}/").json()
    assert regulator_view["suspected_duplicate_of"] == [first["id"]]
    assert AuditEvent.objects.filter(type="receivable.submitted").count() == 2


def test_a_suspected_duplicate_names_the_newest_matches_and_counts_them_all(world):
    from receivables.services import DUPLICATES_NAMED

    d = world.declaration(fob="100000.00")
    earlier = [world.submit([(d, "100.00")], amount="100.00", invoice=f"SAME-{i}").json()["id"]
               for i in range(DUPLICATES_NAMED + 5)]
    latest = world.submit([(d, "100.00")], amount="100.00", invoice="SAME-LAST")
    assert latest.status_code == 201
    receivable = Receivable.objects.get(pk=latest.json()["id"])
    assert receivable.suspected_duplicate_of == list(reversed(earlier))[:DUPLICATES_NAMED]
    alert = Alert.objects.get(kind="suspected_duplicate_receivable", subject_id=receivable.pk)
    assert alert.data["match_count"] == DUPLICATES_NAMED + 5
    assert alert.data["matches"] == receivable.suspected_duplicate_of
    assert f"as {DUPLICATES_NAMED + 5} other receivable(s)" in alert.message


def test_fingerprint_is_keyed_and_reveals_nothing(world, settings):
    import hashlib

    d = world.declaration(fob="5000.00")
    body = world.submit([(d, "1000.00")], amount="1000.00", invoice="INV-77").json()
    plain = hashlib.sha256(f"receivable|{world.exporter.uscc}|INV-77".encode()).hexdigest()
    assert body["fingerprint"].startswith("0x") and len(body["fingerprint"]) == 66
    assert plain not in body["fingerprint"]
    settings.FINGERPRINT_KEY = "another-key"
    from receivables.services import receivable_fingerprint

    assert receivable_fingerprint(world.exporter.uscc, "INV-77") != body["fingerprint"]
