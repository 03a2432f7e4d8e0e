from django.db.models import QuerySet

from common.permissions import BANK, EXPORTER, REGULATOR, role_of
from financing.models import Financing, FxReceipt


def financings_visible_to(user) -> QuerySet[Financing]:
    rows = Financing.objects.select_related("exporter", "bank", "receivable", "chain_tx", "record_tx").prefetch_related(
        "reservations__declaration"
    )
    role = role_of(user)
    if role == REGULATOR:  # transaction details: the parties and the regulator, not the operator
        return rows
    if role == EXPORTER:
        return rows.filter(exporter_id=user.organization_id)
    if role == BANK:
        return rows.filter(bank_id=user.organization_id)
    return rows.none()


def fx_receipts_visible_to(user) -> QuerySet[FxReceipt]:
    rows = FxReceipt.objects.select_related("receivable", "bank").prefetch_related("repayments")
    role = role_of(user)
    if role == REGULATOR:  # transaction details: the parties and the regulator, not the operator
        return rows
    if role == EXPORTER:
        return rows.filter(receivable__exporter_id=user.organization_id)
    if role == BANK:
        return rows.filter(bank_id=user.organization_id)
    return rows.none()


def next_actor(financing: Financing) -> str | None:
    """Who must act next: the bank reviews and disburses; the bank records receipts until repaid."""
    return {
        Financing.Status.APPLIED: "bank",
        Financing.Status.APPROVED: "bank",
        Financing.Status.DISBURSED: "buyer",
        Financing.Status.PARTIALLY_REPAID: "buyer",
        Financing.Status.OVERDUE: "bank",
    }.get(financing.status)
