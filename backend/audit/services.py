"""Appending to the audit log. Call inside the business transaction, as its last write."""

from __future__ import annotations

from typing import Any, Iterable

from django.db import connection
from django.utils import timezone

from audit.hashing import GENESIS_PREV_HASH, entry_hash, payload_hash
from audit.models import AuditEvent, AuditHead


def _jsonable(value: Any) -> Any:
    """Audit payloads hold only strings, integers, booleans, null, lists and objects (no floats)."""
    from decimal import Decimal
    from uuid import UUID
    import datetime as dt

    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (UUID, dt.date, dt.datetime)):
        return value.isoformat() if not isinstance(value, UUID) else str(value)
    if isinstance(value, float):
        raise TypeError("floats are not allowed in audit payloads")
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    return value


def _lock_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {AuditHead._meta.db_table} (id, last_seq, last_hash) VALUES (1, 0, %s) "
                "ON CONFLICT (id) DO NOTHING",
                [GENESIS_PREV_HASH],
            )
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


def audit_append(
    *,
    event_type: str,
    actor=None,
    object_type: str,
    object_id: Any,
    data: dict[str, Any],
    visible_to: Iterable[Any] = (),
) -> AuditEvent:
    if not connection.in_atomic_block:
        raise RuntimeError("audit_append must run inside the business transaction")
    organization = getattr(actor, "organization", None) if actor is not None else None
    now = timezone.now()
    payload = _jsonable(
        {
            "type": event_type,
            "actor": None
            if actor is None
            else {"user": str(actor.pk), "username": actor.username, "organization": str(organization.pk) if organization else None},
            "object": {"type": object_type, "id": str(object_id)},
            "data": data,
            "occurred_at": now.isoformat(),
        }
    )
    viewers = {str(v) for v in visible_to if v is not None}
    if organization is not None:
        viewers.add(str(organization.pk))
    p_hash = payload_hash(payload)
    head = _lock_head()
    seq = head.last_seq + 1
    e_hash = entry_hash(head.last_hash, p_hash)
    event = AuditEvent.objects.create(
        seq=seq,
        type=event_type,
        actor=actor,
        actor_organization=organization,
        object_type=object_type,
        object_id=str(object_id),
        visible_to=sorted(viewers),
        payload=payload,
        payload_hash=p_hash,
        prev_hash=head.last_hash,
        entry_hash=e_hash,
        created_at=now,
    )
    head.last_seq = seq
    head.last_hash = e_hash
    head.save(update_fields=["last_seq", "last_hash"])
    return event
