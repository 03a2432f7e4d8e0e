"""The regulator's figures, aggregated in SQL. Money is never summed across currencies."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, DateField, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from common.permissions import REGULATOR, role_of
from credit.models import CreditAccess
from financing.models import BlockedAttempt, Financing
from oversight.models import Alert
from receivables.models import Receivable

S = Financing.Status
ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=20, decimal_places=4))
OUTSTANDING = ExpressionWrapper(
    Coalesce(F("approved_amount"), ZERO) - F("repaid_amount"), output_field=DecimalField(max_digits=20, decimal_places=4)
)
OPEN = Q(status__in=Financing.OPEN_FOR_REPAYMENT)


def _bank(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["bank_id"], "name": row["bank__name"], "bic": row["bank__bic"]}


def _money_sum(expression, **kwargs):
    return Coalesce(Sum(expression, **kwargs), ZERO)


def alerts_visible_to(user) -> QuerySet[Alert]:
    alerts = Alert.objects.select_related("acknowledged_by")
    if role_of(user) == REGULATOR:
        return alerts
    organization_id = getattr(user, "organization_id", None)
    if organization_id is None:
        return alerts.none()
    return alerts.filter(visible_to__contains=[organization_id])


def _overdue(today: date) -> Q:
    """Overdue: marked so, or open and past the due date plus the bank's grace days (the sweep may lag)."""
    return Q(status=S.OVERDUE) | (
        Q(status__in=[S.DISBURSED, S.PARTIALLY_REPAID]) & Q(overdue_after__lt=today)
    )


def _with_overdue_after(rows: QuerySet[Financing]) -> QuerySet[Financing]:
    return rows.annotate(
        overdue_after=ExpressionWrapper(F("due_date") + F("bank__grace_days"), output_field=DateField())
    )


def volumes(*, period_from: date | None, period_to: date | None) -> dict[str, list[dict[str, Any]]]:
    """Disbursed financings: count and amount by bank and currency, by currency, by month and currency."""
    disbursed = Financing.objects.filter(disbursed_at__isnull=False)
    if period_from:
        disbursed = disbursed.filter(disbursed_at__date__gte=period_from)
    if period_to:
        disbursed = disbursed.filter(disbursed_at__date__lte=period_to)
    measures = {"count": Count("id"), "amount": _money_sum("approved_amount")}
    by_bank = (
        disbursed.values("bank_id", "bank__name", "bank__bic", "currency").annotate(**measures)
        .order_by("bank__name", "bank_id", "currency")
    )
    by_currency = disbursed.values("currency").annotate(**measures).order_by("currency")
    by_month = (
        disbursed.annotate(month=TruncMonth("disbursed_at")).values("month", "currency").annotate(**measures)
        .order_by("month", "currency")
    )
    return {
        "by_bank": [
            {"bank": _bank(r), "currency": r["currency"], "count": r["count"], "amount": r["amount"]}
            for r in by_bank
        ],
        "by_currency": list(by_currency),
        "by_month": [
            {"month": r["month"].strftime("%Y-%m"), "currency": r["currency"], "count": r["count"], "amount": r["amount"]}
            for r in by_month
        ],
    }


def portfolio(*, today: date) -> list[dict[str, Any]]:
    """Per currency: outstanding, of which overdue, repaid, disbursed and written off, with counts."""
    rows = (
        _with_overdue_after(Financing.objects.all())
        .values("currency")
        .annotate(
            outstanding=_money_sum(OUTSTANDING, filter=OPEN),
            outstanding_count=Count("id", filter=OPEN),
            overdue=_money_sum(OUTSTANDING, filter=OPEN & _overdue(today)),
            overdue_count=Count("id", filter=OPEN & _overdue(today)),
            repaid=_money_sum("repaid_amount"),
            repaid_count=Count("id", filter=Q(status=S.REPAID)),
            disbursed=_money_sum("approved_amount", filter=Q(disbursed_at__isnull=False)),
            written_off=_money_sum(OUTSTANDING, filter=Q(status=S.WRITTEN_OFF)),
        )
        .order_by("currency")
    )
    return list(rows)


def applications_by_status() -> list[dict[str, Any]]:
    return list(Financing.objects.values("status").annotate(count=Count("id")).order_by("status"))


def double_financing(*, period_from: date | None, period_to: date | None) -> dict[str, Any]:
    blocked = BlockedAttempt.objects.all()
    if period_from:
        blocked = blocked.filter(created_at__date__gte=period_from)
    if period_to:
        blocked = blocked.filter(created_at__date__lte=period_to)
    by_bank = (
        blocked.values("bank_id", "bank__name", "bank__bic", "currency")
        .annotate(count=Count("id"), requested=_money_sum("requested_amount"))
        .order_by("bank__name", "bank_id", "currency")
    )
    return {
        "blocked_attempts": blocked.count(),
        "blocked_by_bank": [
            {"bank": _bank(r), "currency": r["currency"], "count": r["count"], "requested": r["requested"]}
            for r in by_bank
        ],
        "suspected_duplicate_receivables": Receivable.objects.exclude(suspected_duplicate_of=[]).count(),
    }


def credit_lookups(*, period_from: date | None, period_to: date | None) -> dict[str, Any]:
    accesses = CreditAccess.objects.all()
    if period_from:
        accesses = accesses.filter(occurred_at__date__gte=period_from)
    if period_to:
        accesses = accesses.filter(occurred_at__date__lte=period_to)
    refused = Q(outcome__in=CreditAccess.REFUSALS)
    totals = accesses.aggregate(served=Count("id", filter=Q(outcome=CreditAccess.Outcome.SERVED)),
                                refused=Count("id", filter=refused))
    by_reason = accesses.filter(refused).values("outcome").annotate(count=Count("id")).order_by("outcome")
    by_bank = (
        accesses.values("bank_id", "bank__name", "bank__bic")
        .annotate(served=Count("id", filter=Q(outcome=CreditAccess.Outcome.SERVED)), refused=Count("id", filter=refused))
        .order_by("bank__name", "bank_id")
    )
    return {
        "served": totals["served"],
        "refused": totals["refused"],
        "refused_by_reason": [{"reason": r["outcome"], "count": r["count"]} for r in by_reason],
        "by_bank": [
            {"bank": _bank(r), "served": r["served"], "refused": r["refused"]}
            for r in by_bank
        ],
    }


def _with_shares(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Share of each row in its currency's total outstanding (the totals come from the same query)."""
    totals: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    for row in rows:
        totals[row["currency"]] = totals.get(row["currency"], Decimal(0)) + row["outstanding"]
        counts[row["currency"]] = counts.get(row["currency"], 0) + row["count"]
    for row in rows:
        total = totals[row["currency"]]
        row["share"] = (row["outstanding"] / total).quantize(Decimal("0.0001")) if total else Decimal(0)
        row["currency_outstanding"] = total
        row["currency_financings"] = counts[row["currency"]]
    return rows


def concentration_by_bank() -> list[dict[str, Any]]:
    rows = (
        Financing.objects.filter(OPEN)
        .values("bank_id", "bank__name", "bank__bic", "currency")
        .annotate(outstanding=_money_sum(OUTSTANDING), count=Count("id"))
        .order_by("currency", "-outstanding", "bank_id")
    )
    return _with_shares([{**r, "bank_name": r["bank__name"]} for r in rows])


def concentration_by_buyer_country() -> list[dict[str, Any]]:
    rows = (
        Financing.objects.filter(OPEN)
        .values("receivable__buyer_country", "currency")
        .annotate(outstanding=_money_sum(OUTSTANDING), count=Count("id"))
        .order_by("currency", "-outstanding", "receivable__buyer_country")
    )
    return _with_shares([{**r, "country": r.pop("receivable__buyer_country")} for r in rows])


def oversight_stats(*, period_from: date | None = None, period_to: date | None = None, today: date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    return {
        "generated_at": timezone.now(),
        "period_from": period_from,
        "period_to": period_to,
        "volumes": volumes(period_from=period_from, period_to=period_to),
        "applications": applications_by_status(),
        "portfolio": portfolio(today=today),
        "double_financing": double_financing(period_from=period_from, period_to=period_to),
        "credit_lookups": credit_lookups(period_from=period_from, period_to=period_to),
        "concentration": {
            "by_bank": [
                {"bank": _bank(r), "currency": r["currency"], "outstanding": r["outstanding"], "count": r["count"],
                 "share": r["share"]}
                for r in concentration_by_bank()
            ],
            "by_buyer_country": [
                {"country": r["country"], "currency": r["currency"], "outstanding": r["outstanding"],
                 "count": r["count"], "share": r["share"]}
                for r in concentration_by_buyer_country()
            ],
        },
    }
