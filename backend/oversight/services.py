"""Alerts for the regulator: raising, acknowledging, and the periodic sweep for concentration."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.services import audit_append
from common.errors import BusinessConflict
from common.fields import format_money
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
    dedupe_key: str = "",
) -> Alert:
    """Record an alert. With a `dedupe_key`, at most one unacknowledged alert exists per key
    (the database enforces it): raising again returns the open one."""
    alert = Alert(
        kind=kind,
        severity=severity,
        message=message[:500],
        subject_type=subject_type,
        subject_id=str(subject_id),
        visible_to=[v for v in visible_to if v is not None],
        data=data or {},
        dedupe_key=dedupe_key[:200],
    )
    if not dedupe_key:
        alert.save()
        return alert
    Alert.objects.bulk_create([alert], ignore_conflicts=True)
    return Alert.objects.filter(dedupe_key=alert.dedupe_key, acknowledged_at__isnull=True).first() or alert


def alert_acknowledge(*, alert: Alert, user, note: str = "") -> Alert:
    """The regulator has seen the alert; acknowledging is itself an audit event."""
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.acknowledged_at is not None:
            raise BusinessConflict(
                "alert_already_acknowledged",
                "This alert was already acknowledged.",
                details={"acknowledged_at": alert.acknowledged_at.isoformat()},
            )
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = user
        alert.acknowledgement_note = note
        alert.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"])
        audit_append(
            event_type="alert.acknowledged",
            actor=user,
            object_type="alert",
            object_id=alert.pk,
            data={
                "kind": alert.kind,
                "severity": alert.severity,
                "subject_type": alert.subject_type,
                "subject_id": alert.subject_id,
                "note": note,
            },
            visible_to=alert.visible_to,
        )
    return alert


def _limit(name: str, default: str) -> Decimal:
    return Decimal(str(getattr(settings, name, default)))


def oversight_alerts_sweep(*, today: date | None = None) -> int:
    """Raise concentration alerts: a bank, or a buyer country, holding too large a share of what is
    outstanding in one currency. One alert per (subject, currency, month): once acknowledged, it is not
    raised again that month. Returns how many alerts were raised."""
    from oversight.selectors import concentration_by_bank, concentration_by_buyer_country

    today = today or timezone.localdate()
    month = today.strftime("%Y-%m")
    minimum = int(getattr(settings, "OVERSIGHT_CONCENTRATION_MIN_FINANCINGS", 5))
    checks = [
        ("bank", concentration_by_bank(), _limit("OVERSIGHT_BANK_CONCENTRATION_LIMIT", "0.5")),
        ("buyer_country", concentration_by_buyer_country(), _limit("OVERSIGHT_COUNTRY_CONCENTRATION_LIMIT", "0.6")),
    ]
    raised = 0
    for dimension, rows, limit in checks:
        for row in rows:
            if row["currency_financings"] < minimum or row["share"] <= limit:
                continue
            subject = row["bank_id"] if dimension == "bank" else row["country"]
            label = row["bank_name"] if dimension == "bank" else row["country"]
            key = f"concentration:{dimension}:{subject}:{row['currency']}:{month}"
            if Alert.objects.filter(dedupe_key=key).exists():
                continue  # raised already this month (a concurrent sweep is stopped by the unique constraint)
            with transaction.atomic():
                alert_raise(
                    kind=f"concentration_{dimension}",
                    severity="medium",
                    message=(
                        f"{label} holds {row['share'] * 100:.1f}% of the {row['currency']} outstanding "
                        f"({format_money(row['outstanding'], row['currency'])} of "
                        f"{format_money(row['currency_outstanding'], row['currency'])}); the limit is {limit * 100:.0f}%."
                    ),
                    subject_type="organization" if dimension == "bank" else "country",
                    subject_id=subject,
                    visible_to=[row["bank_id"]] if dimension == "bank" else [],
                    data={"currency": row["currency"], "share": f"{row['share']:.4f}", "limit": str(limit),
                          "outstanding": format_money(row["outstanding"], row["currency"])},
                    dedupe_key=key,
                )
            raised += 1
    return raised
