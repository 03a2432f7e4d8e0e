from django.db.models import QuerySet

from audit.models import AuditEvent
from common.permissions import REGULATOR, role_of


def audit_events_visible_to(user) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor", "batch")
    if role_of(user) == REGULATOR:
        return events
    return events.filter(visible_to__contains=[user.organization_id])
