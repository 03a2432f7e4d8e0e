"""The declaration tallies the credit lookup sums: kept by the database on every path, folded without loss."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from customs.models import Declaration, DeclarationTally
from customs.services import declaration_register
from customs.tallies import DECLARATION_TALLY
from tests.support.factories import make_org
from tests.support.migrations import migrate_back_and_forth

pytestmark = pytest.mark.django_db


def _direct() -> dict:
    """What the tallies must sum to, computed from the declarations themselves."""
    groups: dict = defaultdict(lambda: [0, Decimal(0)])
    for d in Declaration.objects.all():
        groups[(d.exporter_id, d.export_date, d.currency)][0] += 1
        groups[(d.exporter_id, d.export_date, d.currency)][1] += d.fob_value
    return {k: tuple(v) for k, v in groups.items()}


def _tallied() -> dict:
    groups: dict = defaultdict(lambda: [0, Decimal(0)])
    for t in DeclarationTally.objects.all():
        groups[(t.exporter_id, t.export_date, t.currency)][0] += t.n
        groups[(t.exporter_id, t.export_date, t.currency)][1] += t.fob_value
    emptied = {k: v for k, v in groups.items() if v[0] == 0}
    assert all(v == [0, 0] for v in emptied.values()), emptied  # nothing left behind by a move
    return {k: tuple(v) for k, v in groups.items() if v[0] != 0}


_numbers = iter(range(10**17, 10**18))


def _register(exporter, export_date: date, currency: str, fob: str) -> Declaration:
    return declaration_register(actor=None, number=str(next(_numbers)), exporter_uscc=exporter.uscc,
                                export_date=export_date, currency=currency, fob_value=Decimal(fob),
                                destination_country="VN", consignee="Hanoi Buyer", source="test")


def _bulk(exporter, export_date: date, currency: str, fobs: list[str]) -> list[Declaration]:
    return Declaration.objects.bulk_create([
        Declaration(number=str(next(_numbers)), exporter=exporter, export_date=export_date, currency=currency,
                    fob_value=Decimal(fob), destination_country="VN", consignee="Hanoi Buyer",
                    fingerprint="0x" + f"{next(_numbers):064x}", source="test")
        for fob in fobs
    ])


def _history():
    today = timezone.localdate()
    one, two = make_org("exporter"), make_org("exporter")
    _register(one, today - timedelta(days=40), "USD", "1000.00")
    _register(one, today - timedelta(days=40), "USD", "250.50")
    _register(one, today - timedelta(days=40), "EUR", "99.99")
    _register(two, today - timedelta(days=3), "USD", "7000.00")
    _bulk(one, today - timedelta(days=200), "CNY", ["10.00", "20.00", "30.0001"])
    return one, two, today


def test_tallies_follow_every_write_and_fold_without_loss():
    one, two, today = _history()
    assert _tallied() == _direct()
    # A bulk load appends one row per exporter, date and currency, not one per declaration.
    assert DeclarationTally.objects.filter(exporter_id=one.pk, export_date=today - timedelta(days=200)).count() == 1

    unfolded = DeclarationTally.objects.filter(folded=False).count()
    assert DECLARATION_TALLY.fold() == unfolded
    assert _tallied() == _direct()
    assert DeclarationTally.objects.filter(folded=False).count() == 0
    assert DeclarationTally.objects.count() == len(_direct())  # one row per group
    assert DECLARATION_TALLY.fold() == 0

    # Corrections of every tallied column, on any path (here raw SQL), and a deletion after the fold.
    moved = Declaration.objects.filter(exporter=one, currency="USD").order_by("fob_value").first()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE customs_declaration SET fob_value = fob_value + 1, export_date = %s WHERE id = %s",
                       [today - timedelta(days=41), moved.pk])
    Declaration.objects.filter(currency="EUR").update(currency="USD")
    Declaration.objects.filter(currency="CNY", fob_value=Decimal("10.00")).update(exporter=two)
    Declaration.objects.filter(currency="CNY", fob_value=Decimal("20.00")).delete()
    assert _tallied() == _direct()
    assert DECLARATION_TALLY.fold() > 0 and _tallied() == _direct()
    assert DeclarationTally.objects.filter(folded=False).count() == 0


def test_the_amounts_the_platform_updates_all_the_time_append_nothing():
    _history()
    DECLARATION_TALLY.fold()
    before = DeclarationTally.objects.count()
    declaration = Declaration.objects.order_by("fob_value").last()
    Declaration.objects.filter(pk=declaration.pk).update(allocated_amount=Decimal("5.00"), financed_amount=Decimal("5.00"))
    declaration.refresh_from_db()
    declaration.save()  # every column written, none changed
    assert DeclarationTally.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_the_migration_tallies_the_declarations_that_exist():
    _history()
    migrate_back_and_forth("customs", "0001", triggers_named="customs_tally")
    assert DeclarationTally.objects.filter(folded=False).count() == 0
    assert _tallied() == _direct()


def test_the_beat_folds_the_tallies_every_minute():
    from workers.tasks import BEAT_SCHEDULE
    from workers.tasks.customs import fold_tallies

    assert BEAT_SCHEDULE["customs-fold-tallies"] == {"task": "customs.fold_tallies", "schedule": 60.0}
    exporter = make_org("exporter")
    _register(exporter, timezone.localdate(), "USD", "1.00")
    _register(exporter, timezone.localdate(), "USD", "2.00")
    assert fold_tallies.apply().get() == 2
    assert list(DeclarationTally.objects.values_list("n", "fob_value", "folded")) == [(2, Decimal("3.0000"), True)]


@pytest.mark.django_db(transaction=True)  # TRUNCATE refuses pending deferred FK checks
def test_a_truncate_of_the_declarations_empties_their_tallies():
    _history()
    assert DeclarationTally.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE customs_declaration CASCADE")
    assert not DeclarationTally.objects.exists() and _direct() == {}
