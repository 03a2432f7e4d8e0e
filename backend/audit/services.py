"""Writing the audit log: appending (inside the business transaction, as its last write), and
closing batches of it whose Merkle roots are anchored on chain."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any, Iterable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from tradefin_verifier.hashing import GENESIS_PREV_HASH, entry_hash, payload_hash
from tradefin_verifier.merkle import tree_hash
from audit.models import AuditBatch, AuditEvent, AuditHead
from chain.deploy import DEPLOY_LOCK
from chain.models import ChainTransaction
from chain.services import chain_call_enqueue, platform_account


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


def _ensure_head() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AuditHead._meta.db_table} (id, last_seq, last_hash, previous_hash) VALUES (1, 0, %s, '') "
            "ON CONFLICT (id) DO NOTHING",
            [GENESIS_PREV_HASH],
        )


# One statement appends: it locks and advances the head row, computing the entry hash in the
# database from the row it locked (PostgreSQL re-reads a row updated meanwhile before applying SET,
# so concurrent appends chain correctly), and inserts the event from what the UPDATE returns. The
# head row stays locked until the business transaction commits: appends commit in seq order.
_APPEND_SQL = f"""
WITH head AS (
    UPDATE {AuditHead._meta.db_table}
       SET last_seq = last_seq + 1,
           previous_hash = last_hash,
           last_hash = encode(sha256(decode(last_hash, 'hex') || decode(%(payload_hash)s, 'hex')), 'hex')
     WHERE id = 1
    RETURNING last_seq, previous_hash, last_hash
)
INSERT INTO {AuditEvent._meta.db_table}
    (seq, type, actor_id, actor_organization_id, object_type, object_id, visible_to, payload, payload_hash,
     prev_hash, entry_hash, created_at, batch_id)
SELECT head.last_seq, %(type)s, %(actor_id)s, %(organization_id)s, %(object_type)s, %(object_id)s,
       %(visible_to)s::uuid[], %(payload)s::jsonb, %(payload_hash)s, head.previous_hash, head.last_hash,
       %(created_at)s, NULL
  FROM head
RETURNING seq, prev_hash, entry_hash
"""


def audit_append(
    *,
    event_type: str,
    actor=None,
    object_type: str,
    object_id: Any,
    data: dict[str, Any],
    visible_to: Iterable[Any] = (),
) -> AuditEvent:
    """Append one event to the log, inside the business transaction (as its last write)."""
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
    params = {
        "payload_hash": p_hash, "type": event_type, "actor_id": actor.pk if actor is not None else None,
        "organization_id": organization.pk if organization is not None else None, "object_type": object_type,
        "object_id": str(object_id), "visible_to": sorted(viewers), "payload": json.dumps(payload),
        "created_at": now,
    }
    with connection.cursor() as cursor:
        cursor.execute(_APPEND_SQL, params)
        row = cursor.fetchone()
        if row is None:  # the very first event: no head row yet
            _ensure_head()
            cursor.execute(_APPEND_SQL, params)
            row = cursor.fetchone()
    seq, prev_hash, e_hash = row
    if e_hash != entry_hash(prev_hash, p_hash):  # the database's SHA-256 is the verifier's
        raise RuntimeError(f"audit append: the entry hash of seq {seq} does not match its inputs")
    event = AuditEvent(
        seq=seq, type=event_type, actor=actor, actor_organization=organization, object_type=object_type,
        object_id=str(object_id), visible_to=sorted(viewers), payload=payload, payload_hash=p_hash,
        prev_hash=prev_hash, entry_hash=e_hash, created_at=now,
    )
    event._state.adding = False
    event._state.db = connection.alias
    return event


# --- anchoring ---------------------------------------------------------------------------------------
#
# A batch is closed from the oldest unbatched event: up to AUDIT_BATCH_MAX_EVENTS events, or fewer
# once the oldest has waited AUDIT_BATCH_MAX_SECONDS. The batch row, its events' batch pointer and
# the AuditAnchor.anchor outbox entry are written in one transaction; the relay sends it after commit.
# Appends commit in seq order (they serialize on the head row), so what a closer sees is always a
# contiguous prefix of the log; a gap can only mean a deleted row, and then nothing is anchored
# across it.

AUDIT_BATCH_LOCK = 0x7F3D_A0D1  # pg advisory lock: one batch closer at a time
MAX_BATCHES_PER_RUN = 50


def _lock_batching() -> bool:
    """Serialize closers and re-anchoring (until the transaction ends); False, without waiting, while
    another session redeploys the contracts: a batch closed then could be anchored twice or not at all."""
    with connection.cursor() as cursor:
        # Shared among closers, exclusive against chain_ensure_deployed (whose replay re-anchors).
        cursor.execute("SELECT pg_try_advisory_xact_lock_shared(%s)", [DEPLOY_LOCK])
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_BATCH_LOCK])
    return True


def _anchor_enqueue(batch: AuditBatch) -> ChainTransaction:
    return chain_call_enqueue(
        signer=platform_account(),
        contract="AuditAnchor",
        function="anchor",
        args=[batch.first_seq, batch.last_seq, "0x" + batch.root],
        subject_type="audit_batch",
        subject_id=batch.pk,
    )


def audit_batch_close(
    *, max_events: int | None = None, max_seconds: float | None = None, now=None
) -> AuditBatch | None:
    """Close the next batch if it is full or its oldest event has waited long enough; else None."""
    max_events = max_events or settings.AUDIT_BATCH_MAX_EVENTS
    max_seconds = settings.AUDIT_BATCH_MAX_SECONDS if max_seconds is None else max_seconds
    with transaction.atomic():
        if not _lock_batching():
            return None
        anchored_through = AuditBatch.objects.order_by("-last_seq").values_list("last_seq", flat=True).first() or 0
        rows = list(
            AuditEvent.objects.filter(seq__gt=anchored_through)
            .order_by("seq")
            .values_list("seq", "entry_hash", "created_at")[:max_events]
        )
        if not rows:
            return None
        if rows[0][0] != anchored_through + 1:
            _raise_anchoring_gap(anchored_through + 1, rows[0][0])
            return None
        contiguous = [rows[0]]
        for row in rows[1:]:
            if row[0] != contiguous[-1][0] + 1:
                break
            contiguous.append(row)
        now = now or timezone.now()
        if len(contiguous) < max_events and contiguous[0][2] > now - timedelta(seconds=max_seconds):
            return None
        root = tree_hash([bytes.fromhex(entry) for _, entry, _ in contiguous]).hex()
        batch = AuditBatch.objects.create(first_seq=contiguous[0][0], last_seq=contiguous[-1][0], root=root)
        batch.chain_tx = _anchor_enqueue(batch)
        batch.save(update_fields=["chain_tx"])
        AuditEvent.objects.filter(seq__gte=batch.first_seq, seq__lte=batch.last_seq).update(batch=batch)
    return batch


def audit_batches_close(*, max_events: int | None = None, max_seconds: float | None = None) -> list[AuditBatch]:
    """Close every batch that is due (a backlog after a stop closes as several full batches)."""
    closed: list[AuditBatch] = []
    for _ in range(MAX_BATCHES_PER_RUN):
        batch = audit_batch_close(max_events=max_events, max_seconds=max_seconds)
        if batch is None:
            break
        closed.append(batch)
    return closed


def _raise_anchoring_gap(expected_seq: int, found_seq: int) -> None:
    from oversight.services import alert_raise

    alert_raise(
        kind="audit_anchoring_blocked",
        severity="high",
        message=f"Audit event seq {expected_seq} is missing (the next is {found_seq}); nothing after it is anchored.",
        subject_type="audit_event",
        subject_id=expected_seq,
        data={"missing_seq": expected_seq, "next_seq": found_seq},
        dedupe_key=f"audit_anchoring_blocked:{expected_seq}",
    )


def audit_anchoring_watch(*, now=None):
    """Raise `audit_anchoring_stalled` (one open alert at a time) when the oldest audit event not yet
    anchored on chain has waited longer than AUDIT_ANCHOR_STALL_SECONDS: no worker consumes the `audit`
    queue, the relay cannot send, or the anchor keeps failing. Runs from the oversight queue, so it
    still runs when anchoring itself does not. Returns the alert, or None when anchoring keeps up."""
    from oversight.services import alert_raise

    now = now or timezone.now()
    limit = timedelta(seconds=settings.AUDIT_ANCHOR_STALL_SECONDS)
    # Batches tile the log from seq 1: the first event without one follows the last batch.
    anchored_through = AuditBatch.objects.order_by("-last_seq").values_list("last_seq", flat=True).first() or 0
    waiting = AuditEvent.objects.filter(seq=anchored_through + 1).values_list("seq", "created_at").first()
    unconfirmed = (
        AuditBatch.objects.exclude(chain_tx__status=ChainTransaction.Status.CONFIRMED)
        .order_by("first_seq").values_list("first_seq", "created_at").first()
    )
    oldest = min((row for row in (waiting, unconfirmed) if row is not None), default=None)
    if oldest is None or now - oldest[1] <= limit:
        return None
    seq, since = oldest
    waited = int((now - since).total_seconds())
    return alert_raise(
        kind="audit_anchoring_stalled",
        severity="high",
        message=f"Audit events from seq {seq} have waited {waited // 60} min to be anchored on chain "
                f"(the limit is {int(limit.total_seconds()) // 60} min): is a worker consuming the audit queue?",
        subject_type="audit_event",
        subject_id=seq,
        data={"first_seq": seq, "waiting_since": since.isoformat(), "waited_seconds": waited,
              "batched": unconfirmed is not None and unconfirmed[0] == seq},
        dedupe_key="audit_anchoring_stalled",
    )


def audit_anchors_replay() -> int:
    """After a chain reset (replay hook): anchor every batch again on the new contract, in order."""
    if not _lock_batching():  # only fails if another session is redeploying right now
        raise RuntimeError("A chain deployment is in progress in another session; re-anchoring must run inside it.")
    count = 0
    for batch in AuditBatch.objects.order_by("first_seq"):
        batch.chain_tx = _anchor_enqueue(batch)
        batch.save(update_fields=["chain_tx"])
        count += 1
    return count
