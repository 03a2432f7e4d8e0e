from django.apps import apps
from django.db.models import Q, QuerySet

from common.permissions import BANK, OPERATOR, REGULATOR, role_of
from organizations.models import Organization


def organizations_visible_to(user) -> QuerySet[Organization]:
    """Banks are listed to everyone; exporters to the regulator, the operator and banks they applied to."""
    orgs = Organization.objects.select_related("chain_account", "chain_record__chain_tx")
    role = role_of(user)
    if role in (REGULATOR, OPERATOR):
        return orgs
    visible = Q(kind=Organization.Kind.BANK) | Q(pk=user.organization_id)
    if role == BANK:
        Financing = apps.get_model("financing", "Financing")
        applicants = Financing.objects.filter(bank_id=user.organization_id).values("exporter_id")
        visible |= Q(pk__in=applicants)
    return orgs.filter(visible)
