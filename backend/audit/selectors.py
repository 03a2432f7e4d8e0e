"""Reading the audit log: what each user may see, inclusion proofs, and the export."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterator

from django.db.models import QuerySet

from tradefin_verifier.merkle import inclusion_path, tree_hash
from audit.models import AuditBatch, AuditEvent
from chain.models import ChainDeployment, ChainNetwork, ChainTransaction
from common.errors import ApiError, NotFound
from common.permissions import REGULATOR, role_of

EXPORT_FORMAT = "tradefin-audit-log/1"


def audit_events_visible_to(user) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor", "batch", "batch__chain_tx")
    if role_of(user) == REGULATOR:
        return events
    organization_id = getattr(user, "organization_id", None)
    if organization_id is None:
        return events.none()
    return events.filter(visible_to__contains=[organization_id])


def anchor_contracts() -> dict[int, str]:
    """AuditAnchor address per network id."""
    return dict(ChainDeployment.objects.filter(name="AuditAnchor").values_list("network_id", "address"))


def active_network_id() -> int | None:
    return ChainNetwork.objects.filter(active=True).values_list("id", flat=True).first()


def anchoring_state(batch: AuditBatch | None, active_network: int | None) -> str:
    """unbatched → pending (batch closed, anchor not confirmed on the current chain) → anchored; or failed."""
    if batch is None:
        return "unbatched"
    tx = batch.chain_tx
    if tx is None or tx.status in (ChainTransaction.Status.PENDING, ChainTransaction.Status.SIGNED, ChainTransaction.Status.SENT):
        return "pending"
    if tx.status == ChainTransaction.Status.CONFIRMED:
        return "anchored" if tx.network_id == active_network else "pending"
    return "failed"


@dataclass
class InclusionProof:
    leaf_index: int
    tree_size: int
    entry_hash: str
    audit_path: list[str]
    root: str
    anchor: dict[str, Any]


def audit_event_proof(*, user, seq: int) -> InclusionProof:
    """The RFC 9162 inclusion proof of one event in its anchored batch; 404 until it is anchored."""
    event = audit_events_visible_to(user).filter(seq=seq).first()
    if event is None:
        raise NotFound("No such audit event.")
    batch = event.batch
    state = anchoring_state(batch, active_network_id())
    if state != "anchored":
        raise ApiError("not_anchored", "This event is not anchored on the current chain yet.", status_code=404,
                       details={"seq": seq, "anchoring": state})
    entries = list(
        AuditEvent.objects.filter(seq__gte=batch.first_seq, seq__lte=batch.last_seq)
        .order_by("seq").values_list("entry_hash", flat=True)
    )
    leaves = [bytes.fromhex(e) for e in entries]
    if len(leaves) != batch.last_seq - batch.first_seq + 1 or tree_hash(leaves).hex() != batch.root:
        # The stored events no longer hash to the stored root: never hand out a proof that cannot hold.
        raise ApiError("audit_log_inconsistent",
                       "The stored events of this batch do not match its root; run the verification.",
                       details={"first_seq": batch.first_seq, "last_seq": batch.last_seq})
    index = seq - batch.first_seq
    tx = batch.chain_tx
    return InclusionProof(
        leaf_index=index,
        tree_size=len(leaves),
        entry_hash=event.entry_hash,
        audit_path=[p.hex() for p in inclusion_path(leaves, index)],
        root=batch.root,
        anchor={
            "contract": anchor_contracts().get(tx.network_id),
            "chain_id": tx.network.chain_id,
            "tx_hash": tx.tx_hash,
            "block_number": tx.block_number,
            "first_seq": batch.first_seq,
            "last_seq": batch.last_seq,
        },
    )


def audit_export_records(*, from_seq: int = 1, to_seq: int | None = None, chunk_size: int = 2000) -> Iterator[dict[str, Any]]:
    """The log as the standalone verifier reads it: one object per event, in seq order.

    `batch.anchor` is the platform's latest anchoring of the batch; the verifier checks it against
    the chain and does not take it on trust.
    """
    contracts = anchor_contracts()
    chain_ids = dict(ChainNetwork.objects.values_list("id", "chain_id"))
    rows = AuditEvent.objects.filter(seq__gte=from_seq).order_by("seq")
    if to_seq is not None:
        rows = rows.filter(seq__lte=to_seq)
    rows = rows.values_list(
        "seq", "type", "object_type", "object_id", "payload", "payload_hash", "prev_hash", "entry_hash", "created_at",
        "batch__first_seq", "batch__last_seq", "batch__root", "batch__chain_tx__status", "batch__chain_tx__network_id",
        "batch__chain_tx__tx_hash", "batch__chain_tx__block_number",
    )
    for (seq, type_, object_type, object_id, payload, p_hash, prev, entry, created_at,
         first, last, root, tx_status, network_id, tx_hash, block) in rows.iterator(chunk_size=chunk_size):
        batch = None
        if first is not None:
            anchor = None
            if tx_status is not None:
                anchor = {
                    "status": {"confirmed": "confirmed", "failed": "failed"}.get(tx_status, "pending"),
                    "chain_id": chain_ids.get(network_id),
                    "contract": contracts.get(network_id),
                    "tx_hash": tx_hash,
                    "block_number": block,
                }
            batch = {"first_seq": first, "last_seq": last, "root": root, "anchor": anchor}
        yield {
            "seq": seq,
            "type": type_,
            "object": {"type": object_type, "id": object_id},
            "created_at": created_at.isoformat(),
            "payload": payload,
            "payload_hash": p_hash,
            "prev_hash": prev,
            "entry_hash": entry,
            "batch": batch,
        }


def audit_export_lines(**kwargs) -> Iterator[str]:
    """JSON Lines: one compact UTF-8 object per line."""
    for record in audit_export_records(**kwargs):
        yield json.dumps(record, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
