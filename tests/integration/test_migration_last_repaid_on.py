"""financing 0003 adds Financing.last_repaid_on and fills it for financings repaid before it existed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from financing.models import Financing, FxReceipt, Repayment
from receivables.models import Receivable, ReceivableAllocation
from tests.support.factories import make_declaration, make_org, user_of

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(target: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def test_backfill_takes_the_latest_repaying_receipt():
    exporter, bank = make_org("exporter"), make_org("bank")
    declaration = make_declaration(exporter, fob="10000.00")
    receivable = Receivable.objects.create(
        exporter=exporter, invoice_number="MIG-1", buyer_name="Hanoi Buyer JSC", buyer_country="VN", currency="USD",
        amount=Decimal("10000.00"), issue_date=date(2026, 1, 1), due_date=date(2026, 6, 1), fingerprint="0xmig1",
        match_fingerprint="0xmigm1", created_by=user_of(exporter))
    ReceivableAllocation.objects.create(receivable=receivable, declaration=declaration, amount=Decimal("10000.00"))

    def financing(amount: str, repaid_on: list[date]) -> Financing:
        row = Financing.objects.create(
            receivable=receivable, exporter=exporter, bank=bank, currency="USD", requested_amount=Decimal(amount),
            approved_amount=Decimal(amount), repaid_amount=Decimal(0), tenor_days=90, status="disbursed",
            created_by=user_of(exporter))
        for value_date in repaid_on:
            receipt = FxReceipt.objects.create(
                receivable=receivable, bank=bank, amount=Decimal("10.00"), currency="USD", value_date=value_date,
                payer_name="Hanoi Buyer JSC", reference=f"MIG-{row.pk}-{value_date}", applied_amount=Decimal("10.00"),
                surplus_amount=Decimal(0), created_by=user_of(bank))
            Repayment.objects.create(receipt=receipt, financing=row, amount=Decimal("10.00"))
        return row

    twice = financing("1000.00", [date(2026, 3, 5), date(2026, 2, 1)])  # recorded out of value-date order
    once = financing("2000.00", [date(2026, 4, 30)])
    never = financing("3000.00", [])

    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("financing")[0]  # back where it was after
    _migrate(("financing", "0002_initial"))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT column_name FROM information_schema.columns "
                           "WHERE table_name = 'financing_financing' AND column_name = 'last_repaid_on'")
            assert cursor.fetchone() is None  # really rolled back: the forward step adds and fills it
    finally:
        _migrate(latest)

    assert Financing.objects.get(pk=twice.pk).last_repaid_on == date(2026, 3, 5)
    assert Financing.objects.get(pk=once.pk).last_repaid_on == date(2026, 4, 30)
    assert Financing.objects.get(pk=never.pk).last_repaid_on is None
