"""Reads of the credit scenario: who sees which authorizations and lookups, and the credit profile.

The profile's figures are SQL aggregates (grouped by month, currency, status), folded in Python: one
statement for the transaction-credit and regulatory-credit scopes whatever the number of
declarations, receipts, financings or penalties.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Case, CharField, F, QuerySet, Value, When
from django.utils import timezone

from chain.services import chain_block
from common.fields import quantize_money
from common.permissions import BANK, EXPORTER, OPERATOR, REGULATOR, role_of
from credit.models import CreditAccess, CreditAuthorization, Penalty, Scope
from customs.models import DeclarationTally
from customs.tallies import DECLARATION_TALLY
from financing.models import Financing, FinancingTally, ReceiptTally
from financing.tallies import FINANCING_TALLY, RECEIPT_TALLY
from organizations.models import Organization
from organizations.services import member_registration_tx


# --------------------------------------------------------------------------- visibility


def with_effective_status(rows: QuerySet[CreditAuthorization], now: dt.datetime | None = None) -> QuerySet:
    """Annotate `effective_status`: expiry counts from `expires_at`, before the beat task flips the row."""
    now = now or timezone.now()
    return rows.annotate(
        effective_status=Case(
            When(status=CreditAuthorization.Status.ACTIVE, expires_at__lte=now, then=Value("expired")),
            default=F("status"),
            output_field=CharField(),
        )
    )


def authorizations_visible_to(user) -> QuerySet[CreditAuthorization]:
    """The exporter its grants, a bank the grants to it, the regulator all; nobody else any."""
    rows = with_effective_status(
        CreditAuthorization.objects.select_related("exporter", "bank", "chain_tx", "grant_tx", "revoke_tx")
    )
    role = role_of(user)
    if role == REGULATOR:
        return rows
    if role == EXPORTER:
        return rows.filter(exporter_id=user.organization_id)
    if role == BANK:
        return rows.filter(bank_id=user.organization_id)
    return rows.none()


def accesses_visible_to(user) -> QuerySet[CreditAccess]:
    """Lookups about an exporter (to it), lookups a bank made (to it), all of them (to the regulator)."""
    rows = CreditAccess.objects.select_related("bank", "user", "chain_tx")
    role = role_of(user)
    if role == REGULATOR:
        return rows
    if role == EXPORTER:
        return rows.filter(exporter_id=user.organization_id)
    if role == BANK:
        return rows.filter(bank_id=user.organization_id)
    return rows.none()


def authorization_accesses(authorization: CreditAuthorization) -> QuerySet[CreditAccess]:
    """Every lookup that cited this authorization, served or refused, newest first."""
    return CreditAccess.objects.select_related("bank", "user", "chain_tx").filter(authorization=authorization)


def penalties_visible_to(user) -> QuerySet[Penalty]:
    rows = Penalty.objects.select_related("exporter", "imposed_by")
    role = role_of(user)
    if role in (REGULATOR, OPERATOR):
        return rows
    if role == EXPORTER:
        return rows.filter(exporter_id=user.organization_id)
    return rows.none()


def refused_lookups_count(*, since: dt.datetime | None = None, until: dt.datetime | None = None,
                          bank: Organization | None = None) -> int:
    """How many credit lookups were refused (any refusal code), optionally in a window or for one bank."""
    rows = CreditAccess.objects.exclude(outcome=CreditAccess.Outcome.SERVED)
    if since is not None:
        rows = rows.filter(occurred_at__gte=since)
    if until is not None:
        rows = rows.filter(occurred_at__lt=until)
    if bank is not None:
        rows = rows.filter(bank=bank)
    return rows.count()


# --------------------------------------------------------------------------- the credit profile


def _money(amount: Decimal | None, currency: str) -> str:
    return format(quantize_money(Decimal(amount or 0), currency), "f")


def _ratio(part: Decimal, whole: Decimal) -> str | None:
    if not whole:
        return None
    return format((Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001")), "f")


def _period(data_from: dt.date, data_to: dt.date) -> dict[str, str]:
    return {"data_from": data_from.isoformat(), "data_to": data_to.isoformat()}


def _basic(exporter: Organization) -> dict[str, Any]:
    account = getattr(exporter, "chain_account", None)
    return {
        "organization": {
            "id": str(exporter.pk),
            "name": exporter.name,
            "uscc": exporter.uscc,
            "country": exporter.country,
        },
        "registration": {
            "onboarded_at": exporter.created_at.isoformat(),
            "chain_address": account.address if account else None,
            "chain": chain_block(member_registration_tx(exporter)),
        },
        "classification": exporter.safe_classification,
    }


# The figures of the transaction-credit and regulatory-credit scopes in one statement (one round
# trip, no ORM compilation on the lookup path): four JSON arrays of small grouped rows, folded in
# Python below; a scope not asked for is not computed (a CASE evaluates its subquery only when
# taken). Sums and amounts travel as text, so money stays Decimal.
#
# The financing history sums the financing tallies (financing/tallies.py), kept by the database, not
# the exporter's financings: at most one row per day, currency, status and on-time in the period, plus
# what was appended since the last fold, whatever the exporter's history. Days are UTC dates
# (TIME_ZONE). Named on its own: the growth benchmark times this very statement.
FINANCING_HISTORY_SQL = """SELECT currency, status, on_time, sum(n) AS n, sum(approved)::text AS approved,
       sum(repaid)::text AS repaid
  FROM {tally}
 WHERE exporter_id = %(exporter)s AND applied_on >= %(data_from)s AND applied_on <= %(data_to)s
 GROUP BY 1, 2, 3
HAVING sum(n) <> 0""".format(tally=FinancingTally._meta.db_table)

# Every tally the credit profile sums. What must see them as the beat leaves them (folded) folds these.
PROFILE_TALLIES = (FINANCING_TALLY, RECEIPT_TALLY, DECLARATION_TALLY)

# The declarations by month sum the declaration tallies (customs/tallies.py): at most one row per
# export date and currency in the period, plus what was appended since the last fold.
DECLARATIONS_BY_MONTH_SQL = """SELECT to_char(export_date, 'YYYY-MM') AS month, currency, sum(n) AS n,
       sum(fob_value)::text AS fob_value
  FROM {tally}
 WHERE exporter_id = %(exporter)s AND export_date >= %(data_from)s AND export_date <= %(data_to)s
 GROUP BY 1, 2
HAVING sum(n) <> 0""".format(tally=DeclarationTally._meta.db_table)

# The FX receipts sum the receipt tallies (financing/tallies.py). Days from export to receipt: the value
# date minus the earliest export date among the declarations behind the receipt's receivable, summed
# over the receipts that have one (`dated`).
RECEIPTS_SQL = """SELECT currency, sum(n) AS n, sum(amount)::text AS amount, sum(days) AS days, sum(dated) AS dated
  FROM {tally}
 WHERE exporter_id = %(exporter)s AND value_date >= %(data_from)s AND value_date <= %(data_to)s
 GROUP BY currency
HAVING sum(n) <> 0""".format(tally=ReceiptTally._meta.db_table)

_PROFILE_SQL = """
SELECT
  CASE WHEN %(transaction)s THEN (SELECT COALESCE(json_agg(d ORDER BY d.month, d.currency), '[]')
     FROM ({declarations}) d) END,
  CASE WHEN %(transaction)s THEN (SELECT COALESCE(json_agg(x ORDER BY x.currency), '[]')
     FROM ({receipts}) x) END,
  CASE WHEN %(transaction)s THEN (SELECT COALESCE(json_agg(f), '[]') FROM ({history}) f) END,
  CASE WHEN %(regulatory)s THEN (SELECT COALESCE(json_agg(p ORDER BY p.decided_on DESC, p.created_at DESC), '[]')
     FROM (SELECT penalty.id, penalty.decided_on, imposer.name AS imposed_by, penalty.amount::text AS amount,
                  penalty.currency, penalty.reason, penalty.reference, penalty.created_at
             FROM {penalty} penalty JOIN {organization} imposer ON imposer.id = penalty.imposed_by_id
            WHERE penalty.exporter_id = %(exporter)s
              AND penalty.decided_on >= %(data_from)s AND penalty.decided_on <= %(data_to)s) p) END
""".format(history=FINANCING_HISTORY_SQL, declarations=DECLARATIONS_BY_MONTH_SQL, receipts=RECEIPTS_SQL,
           penalty=Penalty._meta.db_table, organization=Organization._meta.db_table)


def _decimal(text: str | None) -> Decimal:
    return Decimal(text) if text is not None else Decimal(0)


def _declarations_by_month(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"month": row["month"], "currency": row["currency"], "count": row["n"],
         "fob_value": _money(_decimal(row["fob_value"]), row["currency"])}
        for row in rows
    ]


def _fx_receipts(rows: list[dict[str, Any]], by_month: list[dict[str, Any]]):
    declared: dict[str, Decimal] = {}
    for row in by_month:
        declared[row["currency"]] = declared.get(row["currency"], Decimal(0)) + Decimal(row["fob_value"])
    received = {row["currency"]: row for row in rows}
    per_currency = []
    for currency in sorted(set(declared) | set(received)):
        amount = _decimal(received.get(currency, {}).get("amount"))
        per_currency.append({
            "currency": currency,
            "declared_value": _money(declared.get(currency), currency),
            "receipt_count": received.get(currency, {}).get("n", 0),
            "received_amount": _money(amount, currency),
            "received_ratio": _ratio(amount, declared.get(currency, Decimal(0))),
        })
    dated = sum(row["dated"] for row in rows)
    average_days = None
    if dated:
        days = Decimal(sum(row["days"] or 0 for row in rows)) / Decimal(dated)
        average_days = format(days.quantize(Decimal("0.1")), "f")
    return per_currency, average_days


FINANCED = (
    Financing.Status.DISBURSED, Financing.Status.PARTIALLY_REPAID, Financing.Status.REPAID,
    Financing.Status.OVERDUE, Financing.Status.WRITTEN_OFF,
)
FINANCING_COUNTS = ("count", "financed_count", "repaid_on_time", "repaid_late", "overdue", "written_off",
                    "rejected", "withdrawn")


def _financing_history(groups: list[dict[str, Any]]) -> dict[str, Any]:
    """Financings applied for in the period (by UTC date), at every bank: how many, how much, and how
    they were repaid.

    `groups` are (currency, status, on time) with their count and sums. On time means the value date
    of the last receipt that repaid it (`last_repaid_on`) is on or before its due date.
    """
    per_currency: dict[str, dict[str, Any]] = {}
    for group in groups:
        row = per_currency.setdefault(group["currency"], {
            **dict.fromkeys(FINANCING_COUNTS, 0), "financed_sum": Decimal(0), "repaid_sum": Decimal(0),
            "outstanding_sum": Decimal(0), "overdue_sum": Decimal(0)})
        status, n = group["status"], group["n"]
        approved, repaid = _decimal(group["approved"]), _decimal(group["repaid"])
        row["count"] += n
        if status in FINANCED:
            row["financed_count"] += n
            row["financed_sum"] += approved
            row["repaid_sum"] += repaid
        if status in Financing.OPEN_FOR_REPAYMENT:
            row["outstanding_sum"] += approved - repaid
        if status == Financing.Status.OVERDUE:
            row["overdue"] += n
            row["overdue_sum"] += approved - repaid
        elif status == Financing.Status.REPAID and group["on_time"] is not None:
            row["repaid_on_time" if group["on_time"] else "repaid_late"] += n
        elif status == Financing.Status.WRITTEN_OFF:
            row["written_off"] += n
        elif status == Financing.Status.REJECTED:
            row["rejected"] += n
        elif status == Financing.Status.WITHDRAWN:
            row["withdrawn"] += n
    by_currency = []
    totals = dict.fromkeys(FINANCING_COUNTS, 0)
    for currency in sorted(per_currency):
        row = per_currency[currency]
        for name in FINANCING_COUNTS:
            totals[name] += row[name]
        by_currency.append({
            "currency": currency,
            **{name: row[name] for name in FINANCING_COUNTS},
            "financed_amount": _money(row["financed_sum"], currency),
            "repaid_amount": _money(row["repaid_sum"], currency),
            "outstanding_amount": _money(row["outstanding_sum"], currency),
            "overdue_amount": _money(row["overdue_sum"], currency),
        })
    return {**totals, "by_currency": by_currency}


def _profile_rows(exporter: Organization, data_from: dt.date, data_to: dt.date, *, transaction: bool,
                  regulatory: bool) -> tuple:
    """(declarations, receipts, financings, penalties) rows; None for a scope not asked for."""
    with connection.cursor() as cursor:
        cursor.execute(_PROFILE_SQL, {
            "exporter": exporter.pk, "data_from": data_from, "data_to": data_to,
            "transaction": transaction, "regulatory": regulatory})
        return cursor.fetchone()


def _transaction_credit(declarations, receipts, financings, data_from: dt.date, data_to: dt.date) -> dict[str, Any]:
    by_month = _declarations_by_month(declarations)
    fx_receipts, average_days = _fx_receipts(receipts, by_month)
    return {
        "period": _period(data_from, data_to),
        "declarations_by_month": by_month,
        "fx_receipts": fx_receipts,
        "average_days_export_to_receipt": average_days,
        "financing": _financing_history(financings),
    }


def _regulatory_credit(exporter: Organization, penalties, data_from: dt.date, data_to: dt.date) -> dict[str, Any]:
    """Penalties decided in the period, newest first, with who imposed them."""
    return {
        "period": _period(data_from, data_to),
        "safe_classification": exporter.safe_classification,
        "penalties": [
            {
                "id": p["id"],
                "decided_on": p["decided_on"],
                "imposed_by": p["imposed_by"],
                "amount": _money(Decimal(p["amount"]), p["currency"]) if p["amount"] is not None else None,
                "currency": p["currency"],
                "reason": p["reason"],
                "reference": p["reference"],
            }
            for p in penalties
        ],
    }


def credit_profile(*, exporter: Organization, scopes: list[str], data_from: dt.date, data_to: dt.date) -> dict[str, Any]:
    """One top-level key per scope asked for, figures limited to the data period."""
    report: dict[str, Any] = {}
    if Scope.BASIC in scopes:
        report[Scope.BASIC] = _basic(exporter)
    transaction, regulatory = Scope.TRANSACTION_CREDIT in scopes, Scope.REGULATORY_CREDIT in scopes
    if transaction or regulatory:
        declarations, receipts, financings, penalties = _profile_rows(
            exporter, data_from, data_to, transaction=transaction, regulatory=regulatory)
        if transaction:
            report[Scope.TRANSACTION_CREDIT] = _transaction_credit(declarations, receipts, financings, data_from, data_to)
        if regulatory:
            report[Scope.REGULATORY_CREDIT] = _regulatory_credit(exporter, penalties, data_from, data_to)
    return report
