"""The credit profile's figures equal sums computed independently over the data the test created.

The data is built with the ORM (dates in and out of the authorized period, several currencies,
every financing outcome, another exporter's records that must not leak in); the expected figures
are computed here in plain Python from the same specification, not by the platform's queries.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone as dt_timezone
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from credit.models import Penalty
from credit.selectors import _PROFILE_SQL, PROFILE_TALLIES
from credit.serializers import CreditReportSerializer
from credit.tests.helpers import ALL_SCOPES, CreditWorld
from customs.models import Declaration
from financing.models import Financing, FxReceipt, Repayment
from receivables.models import Receivable, ReceivableAllocation
from tests.support.factories import user_of

pytestmark = [pytest.mark.django_db, pytest.mark.chain]

TWO = Decimal("0.01")
FINANCED = {"disbursed", "partially_repaid", "repaid", "overdue", "written_off"}
OPEN = {"disbursed", "partially_repaid", "overdue"}


@pytest.fixture
def world(chain):
    return CreditWorld()


def money(value) -> str:
    return format(Decimal(value).quantize(TWO), "f")


class History:
    """Creates an exporter's trade history and remembers it as plain Python records."""

    def __init__(self, world: CreditWorld, seed: int = 7):
        self.world = world
        self.rng = random.Random(seed)
        self.seq = 0
        self.declarations: list[dict] = []
        self.receipts: list[dict] = []
        self.financings: list[dict] = []
        self.penalties: list[dict] = []
        self.bank_user = user_of(world.bank)

    def _number(self) -> str:
        self.seq += 1
        return f"53{self.rng.randrange(10**6):06d}{self.seq:010d}"

    def declaration(self, exporter, export_date: date, currency: str, fob: Decimal) -> Declaration:
        number = self._number()
        row = Declaration.objects.create(
            number=number, exporter=exporter, export_date=export_date, currency=currency, fob_value=fob,
            destination_country="VN", consignee="Hanoi Buyer JSC", fingerprint=f"fp-{number}",
        )
        self.declarations.append({"exporter": exporter.pk, "export_date": export_date, "currency": currency, "fob": fob})
        return row

    def receivable(self, exporter, declarations: list[Declaration]) -> Receivable:
        self.seq += 1
        amount = sum((d.fob_value for d in declarations), Decimal(0))
        receivable = Receivable.objects.create(
            exporter=exporter, invoice_number=f"INV-{self.seq}", buyer_name="Hanoi Buyer JSC", buyer_country="VN",
            currency=declarations[0].currency, amount=amount, issue_date=date(2020, 1, 1), due_date=date(2030, 1, 1),
            fingerprint=f"rfp-{self.seq}", match_fingerprint=f"mfp-{self.seq}", created_by=user_of(exporter),
        )
        for declaration in declarations:
            ReceivableAllocation.objects.create(receivable=receivable, declaration=declaration, amount=declaration.fob_value)
        receivable._first_export = min(d.export_date for d in declarations)
        return receivable

    def receipt(self, receivable: Receivable, value_date: date, amount: Decimal) -> FxReceipt:
        self.seq += 1
        row = FxReceipt.objects.create(
            receivable=receivable, bank=self.world.bank, amount=amount, currency=receivable.currency,
            value_date=value_date, payer_name="Hanoi Buyer JSC", reference=f"REF-{self.seq}",
            applied_amount=amount, surplus_amount=0, created_by=self.bank_user,
        )
        self.receipts.append({"exporter": receivable.exporter_id, "currency": receivable.currency, "amount": amount,
                              "value_date": value_date, "first_export": receivable._first_export})
        return row

    def financing(self, receivable: Receivable, *, status: str, applied_on: date, approved: Decimal | None,
                  repaid: Decimal, due: date | None, repayment_dates: list[date] = (), bank=None) -> Financing:
        requested = approved or Decimal("1000.00")
        row = Financing.objects.create(
            receivable=receivable, exporter=receivable.exporter, bank=bank or self.world.bank,
            currency=receivable.currency, requested_amount=requested, approved_amount=approved, repaid_amount=repaid,
            tenor_days=90, status=status, due_date=due, created_by=user_of(receivable.exporter),
        )
        applied_at = datetime.combine(applied_on, time(9, 30), tzinfo=dt_timezone.utc)
        for index, value_date in enumerate(repayment_dates):
            share = repaid / len(repayment_dates)
            receipt = self.receipt(receivable, value_date, share.quantize(TWO))
            Repayment.objects.create(receipt=receipt, financing=row, amount=share.quantize(TWO))
        # What fx_receipt_record keeps on the financing (tested on the API path in the financing journey).
        Financing.objects.filter(pk=row.pk).update(
            applied_at=applied_at, last_repaid_on=max(repayment_dates) if repayment_dates else None)
        self.financings.append({
            "exporter": receivable.exporter_id, "currency": receivable.currency, "status": status,
            "applied_on": applied_on, "approved": approved, "repaid": repaid, "due": due,
            "last_repaid_on": max(repayment_dates) if repayment_dates else None,
        })
        return row

    def penalty(self, exporter, decided_on: date, amount: Decimal | None, currency: str | None):
        self.seq += 1
        Penalty.objects.create(
            exporter=exporter, imposed_by=self.world.regulator, decided_on=decided_on, amount=amount,
            currency=currency, reason="Late FX receipt reporting", reference=f"GXHF-{self.seq}",
            created_by=user_of(self.world.regulator),
        )
        self.penalties.append({"exporter": exporter.pk, "decided_on": decided_on, "amount": amount, "currency": currency})

    def build(self, today: date) -> None:
        rng = self.rng
        statuses = ["applied", "approved", "rejected", "withdrawn", "disbursed", "partially_repaid", "repaid",
                    "repaid", "overdue", "written_off"]
        for exporter in (self.world.exporter, self.world.exporter2):
            for i in range(40):
                currency = rng.choice(["USD", "USD", "EUR"])
                export_date = today - timedelta(days=rng.randrange(0, 420))
                first = self.declaration(exporter, export_date, currency, Decimal(rng.randrange(5_000, 90_000)) + Decimal("0.25"))
                backing = [first]
                if i % 3 == 0:
                    second_date = export_date - timedelta(days=rng.randrange(1, 20))
                    backing.append(self.declaration(exporter, second_date, currency, Decimal(rng.randrange(1_000, 9_000))))
                receivable = self.receivable(exporter, backing)
                if i % 2 == 0:
                    self.receipt(receivable, export_date + timedelta(days=rng.randrange(5, 150)),
                                 (receivable.amount * Decimal(rng.choice(["0.5", "0.8", "1"]))).quantize(TWO))
                status = statuses[i % len(statuses)]
                applied_on = today - timedelta(days=rng.randrange(0, 420))
                approved = None if status in ("applied", "rejected", "withdrawn") else Decimal(rng.randrange(1_000, 4_000))
                due = applied_on + timedelta(days=90) if status in FINANCED else None
                repaid, dates = Decimal(0), []
                if status == "partially_repaid":
                    repaid, dates = (approved / 2).quantize(TWO), [due - timedelta(days=10)]
                elif status == "repaid":
                    repaid = approved
                    late = rng.random() < 0.5
                    dates = [due - timedelta(days=20), due + timedelta(days=rng.randrange(1, 30)) if late else due]
                elif status in ("overdue", "written_off"):
                    repaid = Decimal(rng.choice([0, 100]))
                    dates = [due - timedelta(days=5)] if repaid else []
                self.financing(receivable, status=status, applied_on=applied_on, approved=approved, repaid=repaid,
                               due=due, repayment_dates=dates, bank=rng.choice([self.world.bank, self.world.bank2]))
            for offset, amount in ((10, Decimal("50000.00")), (200, None), (400, Decimal("1200.50"))):
                self.penalty(exporter, today - timedelta(days=offset), amount, "CNY" if amount else None)


def expected_transaction_credit(h: History, exporter, data_from: date, data_to: date) -> dict:
    inside = lambda d: data_from <= d <= data_to  # noqa: E731
    months: dict[tuple[str, str], list] = defaultdict(lambda: [0, Decimal(0)])
    declared: dict[str, Decimal] = defaultdict(Decimal)
    for d in h.declarations:
        if d["exporter"] == exporter.pk and inside(d["export_date"]):
            key = (d["export_date"].strftime("%Y-%m"), d["currency"])
            months[key][0] += 1
            months[key][1] += d["fob"]
            declared[d["currency"]] += d["fob"]
    received: dict[str, list] = defaultdict(lambda: [0, Decimal(0)])
    day_gaps = []
    for r in h.receipts:
        if r["exporter"] == exporter.pk and inside(r["value_date"]):
            received[r["currency"]][0] += 1
            received[r["currency"]][1] += r["amount"]
            day_gaps.append((r["value_date"] - r["first_export"]).days)
    fx = []
    for currency in sorted(set(declared) | set(received)):
        count, amount = received.get(currency, [0, Decimal(0)])
        ratio = None
        if declared.get(currency):
            ratio = format((amount / declared[currency]).quantize(Decimal("0.0001")), "f")
        fx.append({"currency": currency, "declared_value": money(declared.get(currency, 0)), "receipt_count": count,
                   "received_amount": money(amount), "received_ratio": ratio})
    average = None
    if day_gaps:
        average = format((Decimal(sum(day_gaps)) / len(day_gaps)).quantize(Decimal("0.1")), "f")

    counts = ("count", "financed_count", "repaid_on_time", "repaid_late", "overdue", "written_off", "rejected", "withdrawn")
    per: dict[str, dict] = {}
    for f in h.financings:
        if f["exporter"] != exporter.pk or not inside(f["applied_on"]):
            continue
        row = per.setdefault(f["currency"], {**dict.fromkeys(counts, 0), "financed": Decimal(0), "repaid": Decimal(0),
                                             "outstanding": Decimal(0), "overdue_amount": Decimal(0)})
        row["count"] += 1
        status = f["status"]
        if status in FINANCED:
            row["financed_count"] += 1
            row["financed"] += f["approved"]
            row["repaid"] += f["repaid"]
        if status in OPEN:
            row["outstanding"] += f["approved"] - f["repaid"]
        if status == "overdue":
            row["overdue"] += 1
            row["overdue_amount"] += f["approved"] - f["repaid"]
        if status == "repaid":
            row["repaid_on_time" if f["last_repaid_on"] <= f["due"] else "repaid_late"] += 1
        for name in ("written_off", "rejected", "withdrawn"):
            if status == name:
                row[name] += 1
    by_currency = [
        {"currency": c, **{n: per[c][n] for n in counts}, "financed_amount": money(per[c]["financed"]),
         "repaid_amount": money(per[c]["repaid"]), "outstanding_amount": money(per[c]["outstanding"]),
         "overdue_amount": money(per[c]["overdue_amount"])}
        for c in sorted(per)
    ]
    totals = {n: sum(per[c][n] for c in per) for n in counts}
    return {
        "period": {"data_from": data_from.isoformat(), "data_to": data_to.isoformat()},
        "declarations_by_month": [
            {"month": m, "currency": c, "count": months[(m, c)][0], "fob_value": money(months[(m, c)][1])}
            for m, c in sorted(months)
        ],
        "fx_receipts": fx,
        "average_days_export_to_receipt": average,
        "financing": {**totals, "by_currency": by_currency},
    }


def test_profile_figures_equal_independent_sums_and_stay_in_the_period(world):
    today = timezone.localdate()
    history = History(world)
    history.build(today)
    data_from, data_to = today - timedelta(days=300), today - timedelta(days=30)
    grant = world.grant(scopes=ALL_SCOPES, data_from=data_from, data_to=data_to).json()

    response = world.lookup(authorization=grant["id"])
    assert response.status_code == 200, response.content
    report = response.json()
    assert set(report) == set(ALL_SCOPES)

    expected = expected_transaction_credit(history, world.exporter, data_from, data_to)
    # Sanity of the fixture itself: the period really cuts the data, and every outcome is present.
    assert 0 < sum(m["count"] for m in expected["declarations_by_month"]) < len(history.declarations) / 2
    assert expected["financing"]["repaid_on_time"] and expected["financing"]["repaid_late"]
    assert expected["financing"]["overdue"] and expected["financing"]["written_off"]
    assert report["transaction_credit"] == expected
    assert CreditReportSerializer(report).data == report
    # Declarations, receipts and the financing history come from tallies (customs/ and
    # financing/tallies.py): folded, they say the same.
    # PROFILE_TALLIES names every tally table the lookup's statement reads, no more, no fewer.
    assert {tally.table for tally in PROFILE_TALLIES} == set(re.findall(r"\b\w+tally\b", _PROFILE_SQL))
    assert all(tally.fold() > 0 for tally in PROFILE_TALLIES)
    assert world.lookup(authorization=grant["id"]).json()["transaction_credit"] == expected

    assert report["basic"] == {
        "organization": {"id": str(world.exporter.pk), "name": world.exporter.name, "uscc": world.exporter.uscc,
                         "country": "CN"},
        "registration": {
            "onboarded_at": report["basic"]["registration"]["onboarded_at"],
            "chain_address": world.exporter.chain_account.address,
            "chain": report["basic"]["registration"]["chain"],
        },
        "classification": "A",
    }
    regulatory = report["regulatory_credit"]
    assert regulatory["safe_classification"] == "A"
    in_period = [p for p in history.penalties
                 if p["exporter"] == world.exporter.pk and data_from <= p["decided_on"] <= data_to]
    assert len(in_period) == 1
    assert [(p["decided_on"], p["amount"], p["currency"]) for p in regulatory["penalties"]] == [
        (in_period[0]["decided_on"].isoformat(), None, None)
    ]


def test_a_narrower_period_changes_the_figures_accordingly(world):
    today = timezone.localdate()
    history = History(world, seed=11)
    history.build(today)
    data_from, data_to = today - timedelta(days=60), today
    grant = world.grant(scopes=["transaction_credit", "regulatory_credit"], data_from=data_from, data_to=data_to).json()
    report = world.lookup(authorization=grant["id"]).json()
    assert set(report) == {"transaction_credit", "regulatory_credit"}
    assert report["transaction_credit"] == expected_transaction_credit(history, world.exporter, data_from, data_to)
    amounts = [p["amount"] for p in report["regulatory_credit"]["penalties"]]
    assert amounts == ["50000.00"]
    # The lookup returns the selector's report as it is; the serializer that documents it in the schema
    # would give back the very same JSON (no key added, dropped or reformatted).
    assert CreditReportSerializer(report).data == report
    # Every field of the entry, read independently from the row.
    penalty = Penalty.objects.get(exporter=world.exporter, amount=Decimal("50000"),
                                  decided_on__gte=data_from, decided_on__lte=data_to)
    assert report["regulatory_credit"]["penalties"] == [{
        "id": str(penalty.pk), "decided_on": penalty.decided_on.isoformat(), "imposed_by": world.regulator.name,
        "amount": "50000.00", "currency": "CNY", "reason": "Late FX receipt reporting", "reference": penalty.reference,
    }]


def test_query_count_does_not_grow_with_tens_of_thousands_of_declarations(world):
    today = timezone.localdate()
    history = History(world, seed=3)
    history.build(today)
    grant = world.grant(scopes=ALL_SCOPES, data_from=today - timedelta(days=400), data_to=today).json()

    assert world.lookup(authorization=grant["id"]).status_code == 200  # warm-up: per-process caches
    with CaptureQueriesContext(connection) as small:
        assert world.lookup(authorization=grant["id"]).status_code == 200

    rng = random.Random(5)
    extra = []
    for i in range(20_000):
        number = f"54{i:016d}"
        extra.append(Declaration(
            number=number, exporter=world.exporter, export_date=today - timedelta(days=rng.randrange(0, 390)),
            currency="USD", fob_value=Decimal(rng.randrange(100, 10_000)), destination_country="VN",
            consignee="Bulk Buyer", fingerprint=f"bulk-{number}",
        ))
    Declaration.objects.bulk_create(extra, batch_size=5_000)
    for row in extra:
        history.declarations.append({"exporter": world.exporter.pk, "export_date": row.export_date,
                                     "currency": "USD", "fob": row.fob_value})

    with CaptureQueriesContext(connection) as large:
        response = world.lookup(authorization=grant["id"])
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    expected = expected_transaction_credit(history, world.exporter, today - timedelta(days=400), today)
    assert response.json()["transaction_credit"]["declarations_by_month"] == expected["declarations_by_month"]
    assert sum(m["count"] for m in expected["declarations_by_month"]) > 20_000
