from __future__ import annotations

from typing import Any, Iterable

from django.db import transaction
from django.utils import timezone

from audit.services import audit_append
from common.errors import BusinessConflict
from oversight.models import Alert


def alert_raise(
    *,
    kind: str,
    message: str,
    severity: str = "medium",
    subject_type: str = "",
    subject_id: Any = "",
    visible_to: Iterable[Any] = (),
    data: dict[str, Any] | None = None,
) -> Alert:
    return Alert.objects.create(
        kind=kind,
        severity=severity,
        message=message[:500],
        subject_type=subject_type,
        subject_id=str(subject_id),
        visible_to=[v for v in visible_to if v is not None],
        data=data or {},
    )


def alert_acknowledge(*, alert: Alert, user) -> Alert:
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.acknowledged_at is not None:
            raise BusinessConflict("alert_already_acknowledged", "This alert was already acknowledged.")
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = user
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit_append(
            event_type="alert.acknowledged",
            actor=user,
            object_type="alert",
            object_id=alert.pk,
            data={"kind": alert.kind, "subject_type": alert.subject_type, "subject_id": alert.subject_id},
        )
    return alert
