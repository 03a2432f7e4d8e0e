from django.db.models import Exists, OuterRef, QuerySet

from common.permissions import BANK, EXPORTER, REGULATOR, role_of
from receivables.models import Receivable


def receivables_visible_to(user) -> QuerySet[Receivable]:
    from financing.models import Financing

    rows = Receivable.objects.select_related("exporter").prefetch_related("allocations__declaration")
    role = role_of(user)
    if role == REGULATOR:  # transaction details: the parties and the regulator, not the operator
        return rows
    if role == EXPORTER:
        return rows.filter(exporter_id=user.organization_id)
    if role == BANK:
        applied = Financing.objects.filter(receivable_id=OuterRef("pk"), bank_id=user.organization_id)
        return rows.filter(Exists(applied))
    return rows.none()
