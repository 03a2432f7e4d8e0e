from django.apps import apps
from django.db.models import QuerySet

from common.permissions import BANK, EXPORTER, OPERATOR, REGULATOR, role_of
from customs.models import Declaration


def declarations_visible_to(user) -> QuerySet[Declaration]:
    rows = Declaration.objects.select_related("exporter", "chain_tx")
    role = role_of(user)
    if role in (REGULATOR, OPERATOR):
        return rows
    if role == EXPORTER:
        return rows.filter(exporter_id=user.organization_id)
    if role == BANK:
        Allocation = apps.get_model("receivables", "ReceivableAllocation")
        Financing = apps.get_model("financing", "Financing")
        receivables = Financing.objects.filter(bank_id=user.organization_id).values("receivable_id")
        return rows.filter(pk__in=Allocation.objects.filter(receivable_id__in=receivables).values("declaration_id"))
    return rows.none()
