"""The receipt tallies the credit lookup sums: each receipt's first export date, and its tally, kept by
the database on every path (receipts, allocations, declarations amended), folded without loss."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from financing.models import FxReceipt, ReceiptTally
from financing.tallies import RECEIPT_TALLY
from financing.tests.helpers import World
from receivables.models import ReceivableAllocation
from tests.support.migrations import migrate_back_and_forth

pytestmark = pytest.mark.django_db


def _direct() -> dict:
    """What the tallies must sum to, computed from the receipts, allocations and declarations."""
    groups: dict = defaultdict(lambda: [0, Decimal(0), 0, 0])
    for receipt in FxReceipt.objects.select_related("receivable"):
        dates = [a.declaration.export_date
                 for a in ReceivableAllocation.objects.filter(receivable=receipt.receivable).select_related("declaration")]
        group = groups[(receipt.receivable.exporter_id, receipt.value_date, receipt.currency)]
        group[0] += 1
        group[1] += receipt.amount
        if dates:
            group[2] += (receipt.value_date - min(dates)).days
            group[3] += 1
    return {k: tuple(v) for k, v in groups.items()}


def _tallied() -> dict:
    groups: dict = defaultdict(lambda: [0, Decimal(0), 0, 0])
    for t in ReceiptTally.objects.all():
        group = groups[(t.exporter_id, t.value_date, t.currency)]
        for i, value in enumerate((t.n, t.amount, t.days, t.dated)):
            group[i] += value
    emptied = {k: v for k, v in groups.items() if v[0] == 0}
    assert all(v == [0, 0, 0, 0] for v in emptied.values()), emptied  # nothing left behind by a move
    return {k: tuple(v) for k, v in groups.items() if v[0] != 0}


def _receipts(world) -> dict:
    """Receivables of two exporters backed by declarations exported on different days, applied to the
    bank, and receipts the bank records on them through the API, on two value dates."""
    bank = world.client(world.bank)
    today = timezone.localdate()
    ids = {}
    for name, exporter, backing in (
        ("two_declarations", world.exporter, [(40, "600.00"), (12, "400.00")]),
        ("one_declaration", world.exporter, [(25, "800.00")]),
        ("other_exporter", world.exporter2, [(7, "900.00")]),
    ):
        declarations = [(world.declaration(exporter=exporter, fob=amount, days_ago=days), amount) for days, amount in backing]
        total = str(sum(Decimal(a) for _, a in backing))
        response = world.submit(declarations, amount=total, invoice=f"RT-{name}", exporter=exporter)
        assert response.status_code == 201, response.content
        ids[name] = response.json()["id"]
        assert world.apply(ids[name], world.bank, total, exporter=exporter).status_code == 201  # the bank's to see

    def receipt(name, amount, days_ago, reference):
        response = bank.post("/api/fx-receipts/", {
            "receivable": ids[name], "amount": amount, "currency": "USD",
            "value_date": (today - timedelta(days=days_ago)).isoformat(), "payer_name": "Buyer", "reference": reference},
            format="json")
        assert response.status_code == 201, response.content
        ids[reference] = response.json()["id"]

    receipt("two_declarations", "300.00", 5, "RT-1")
    receipt("two_declarations", "700.00", 0, "RT-2")
    receipt("one_declaration", "800.00", 5, "RT-3")  # the same day as RT-1: the sums add
    receipt("other_exporter", "950.00", 0, "RT-4")
    return ids


def test_receipts_are_tallied_with_their_days_since_export_and_folded_without_loss():
    world = World(APIClient)
    ids = _receipts(world)
    first = FxReceipt.objects.get(pk=ids["RT-1"])
    assert first.first_export_date == timezone.localdate() - timedelta(days=40)  # the earlier of its two
    direct = _direct()
    assert len(direct) == 3 and _tallied() == direct
    unfolded = ReceiptTally.objects.filter(folded=False).count()
    assert RECEIPT_TALLY.fold() == unfolded == 4
    assert _tallied() == direct
    assert ReceiptTally.objects.count() == len(direct) and not ReceiptTally.objects.filter(folded=False).exists()
    assert RECEIPT_TALLY.fold() == 0


def test_an_amended_export_date_or_allocation_moves_the_days_and_nothing_else_does():
    world = World(APIClient)
    ids = _receipts(world)
    RECEIPT_TALLY.fold()
    receipt = FxReceipt.objects.get(pk=ids["RT-1"])
    allocations = list(ReceivableAllocation.objects.filter(receivable_id=ids["two_declarations"]).select_related("declaration")
                       .order_by("declaration__export_date"))
    earliest = allocations[0].declaration

    # Customs amends the earliest declaration's export date (on any path: here raw SQL).
    with connection.cursor() as cursor:
        cursor.execute("UPDATE customs_declaration SET export_date = export_date - 3 WHERE id = %s", [earliest.pk])
    receipt.refresh_from_db()
    assert receipt.first_export_date == timezone.localdate() - timedelta(days=43)
    assert _tallied() == _direct()

    # An allocation to an even earlier declaration appears, then goes.
    older = world.declaration(fob="50.00", days_ago=90)
    added = ReceivableAllocation.objects.create(receivable_id=ids["two_declarations"], declaration=older, amount=Decimal("50.00"))
    receipt.refresh_from_db()
    assert receipt.first_export_date == older.export_date and _tallied() == _direct()
    added.delete()
    receipt.refresh_from_db()
    assert receipt.first_export_date == timezone.localdate() - timedelta(days=43) and _tallied() == _direct()

    # A save with a stale first export date in memory (None), and updates of untallied columns, change
    # nothing: the database computes the date whatever is written.
    before = ReceiptTally.objects.count()
    receipt.first_export_date = None
    receipt.payer_name = "Buyer Ltd"
    receipt.save()
    receipt.refresh_from_db()
    assert receipt.first_export_date == timezone.localdate() - timedelta(days=43)
    assert ReceiptTally.objects.count() == before
    # An amendment of a declaration behind no receipt touches no tally either.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE customs_declaration SET export_date = export_date - 1 WHERE id = %s", [older.pk])
    assert ReceiptTally.objects.count() == before

    assert RECEIPT_TALLY.fold() > 0 and _tallied() == _direct()


@pytest.mark.django_db(transaction=True)
def test_the_migration_dates_and_tallies_the_receipts_that_exist():
    world = World(APIClient)
    _receipts(world)
    migrate_back_and_forth("financing", "0004", triggers_named="financing_receipt")
    assert not FxReceipt.objects.filter(first_export_date=None).exists()
    assert not ReceiptTally.objects.filter(folded=False).exists()
    assert _tallied() == _direct()


def test_the_beat_folds_the_receipt_tallies_too():
    from workers.tasks.financing import fold_tallies

    world = World(APIClient)
    _receipts(world)
    assert fold_tallies.apply().get() == 3 + 4  # the three applications' rows, the four receipts'
    assert not ReceiptTally.objects.filter(folded=False).exists()


@pytest.mark.django_db(transaction=True)  # TRUNCATE refuses pending deferred FK checks
def test_a_truncate_of_the_allocations_or_the_receipts_is_tallied_too():
    world = World(APIClient)
    _receipts(world)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE receivables_receivableallocation CASCADE")
    assert not FxReceipt.objects.exclude(first_export_date=None).exists()
    assert _tallied() == _direct() and all(group[3] == 0 for group in _direct().values())  # none dated now
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE financing_fxreceipt CASCADE")
    assert not ReceiptTally.objects.exists()
