"""The platform's own full check of the audit log against the chain (GET /api/audit/verification/).

It runs the same checker as the standalone verifier (tradefin_verifier.checker), with the anchors read
straight from the AuditAnchor contract: the chain first, then the database, so that every batch
the chain holds is already in the snapshot of the log that is checked. Nothing here trusts the
indexer's copy of the chain's events, which lives in the same database as the log.
"""

from __future__ import annotations

import logging
from typing import Any, Iterator

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from web3 import Web3

from tradefin_verifier.checker import AnchoredBatch, AnchorsUnreadable, check_log
from audit.models import AuditBatch, AuditEvent, AuditHead
from chain import client
from chain.deploy import network_identity
from chain.models import ChainDeployment, ChainNetwork, ChainTransaction

logger = logging.getLogger(__name__)

LOG_CHUNK_BLOCKS = 10_000
SEQ_MASK = (1 << 64) - 1
CONFIRMED = ChainTransaction.Status.CONFIRMED


def read_anchors(w3: Web3, address: str, *, from_block: int, block: int) -> list[AnchoredBatch]:
    """Every BatchAnchored event of the contract up to `block`, checked against its nextSeq there."""
    contract = w3.eth.contract(address=Web3.to_checksum_address(address), abi=client.abi("AuditAnchor"))
    logs = []
    for start in range(from_block, block + 1, LOG_CHUNK_BLOCKS):
        logs += contract.events.BatchAnchored().get_logs(from_block=start, to_block=min(block, start + LOG_CHUNK_BLOCKS - 1))
    # batchKey = firstSeq << 64 | lastSeq; the checker insists that the batches tile 1..nextSeq-1.
    anchors = sorted(
        (AnchoredBatch(first_seq=log["args"]["batchKey"] >> 64, last_seq=log["args"]["batchKey"] & SEQ_MASK,
                       root=bytes(log["args"]["root"]).hex()) for log in logs),
        key=lambda batch: batch.first_seq,
    )
    next_seq = contract.functions.nextSeq().call(block_identifier=block)
    if (anchors[-1].last_seq + 1 if anchors else 1) != next_seq:
        raise AnchorsUnreadable(f"The events read end before the contract's nextSeq ({next_seq}).")
    return anchors


def _records(network_id: int, block: int) -> Iterator[dict[str, Any]]:
    rows = AuditEvent.objects.order_by("seq").values_list(
        "seq", "payload", "payload_hash", "prev_hash", "entry_hash", "batch__first_seq", "batch__last_seq",
        "batch__root", "batch__chain_tx__status", "batch__chain_tx__network_id", "batch__chain_tx__block_number",
    )
    for seq, payload, p_hash, prev, entry, first, last, root, status, tx_network, tx_block in rows.iterator(chunk_size=2000):
        claim = None
        if first is not None:
            confirmed = status == CONFIRMED and tx_network == network_id and tx_block is not None and tx_block <= block
            claim = {"first_seq": first, "last_seq": last, "root": root, "confirmed": confirmed}
        yield {"seq": seq, "payload": payload, "payload_hash": p_hash, "prev_hash": prev, "entry_hash": entry, "batch": claim}


def chain_resets() -> list[dict[str, Any]]:
    """Every AuditAnchor the platform deployed and later left (a reset chain, with a new genesis or the
    same one with its state gone), and how many batches it held by then. Built from the deployment
    transactions, which survive a redeploy on the same network."""
    deploys = list(
        ChainTransaction.objects.filter(contract="AuditAnchor", function=ChainTransaction.DEPLOY, status=CONFIRMED)
        .select_related("network").order_by("confirmed_at", "id")
    )
    resets = []
    for deploy, successor in zip(deploys, deploys[1:]):
        anchored = ChainTransaction.objects.filter(
            contract="AuditAnchor", function="anchor", status=CONFIRMED, network=deploy.network,
            confirmed_at__gte=deploy.confirmed_at, confirmed_at__lt=successor.confirmed_at,
        ).count()
        resets.append({
            "chain_id": deploy.network.chain_id, "genesis_hash": deploy.network.genesis_hash,
            "contract": deploy.contract_address, "active_from": deploy.confirmed_at,
            "superseded_at": successor.confirmed_at, "batches_anchored": anchored,
        })
    return resets


def anchoring_summary(network: ChainNetwork | None) -> dict[str, Any]:
    """How far anchoring on the current chain has got, including re-anchoring after a reset."""
    counts = {"batches": 0, "anchored": 0, "pending": 0, "failed": 0, "re_anchored": 0, "awaiting_re_anchoring": 0}
    counts.update(AuditBatch.objects.aggregate(
        batches=Count("id"), failed=Count("id", filter=Q(chain_tx__status=ChainTransaction.Status.FAILED)),
    ))
    deployment = ChainDeployment.objects.filter(network=network, name="AuditAnchor").first() if network else None
    if deployment is not None:
        on_network = Q(chain_tx__network=network, chain_tx__status=CONFIRMED)
        before_network = Q(created_at__lt=deployment.deployed_at)
        counts.update(AuditBatch.objects.aggregate(
            anchored=Count("id", filter=on_network),
            re_anchored=Count("id", filter=on_network & before_network),
            awaiting_re_anchoring=Count("id", filter=~on_network & before_network),
        ))
    counts["pending"] = counts["batches"] - counts["anchored"] - counts["failed"]
    last_batched = AuditBatch.objects.order_by("-last_seq").values_list("last_seq", flat=True).first() or 0
    counts["unbatched_events"] = AuditEvent.objects.filter(seq__gt=last_batched).count()
    return counts


def audit_log_verify(*, w3: Web3 | None = None) -> dict[str, Any]:
    """Check every entry hash, every link and every batch root against the chain."""
    network = ChainNetwork.objects.filter(active=True).first()
    result: dict[str, Any] = {
        "ok": False, "first_bad_seq": None, "reason": None, "message": "", "verified_through_seq": 0,
        "last_seq": 0, "anchored_through_seq": 0, "unanchored_from_seq": None, "events_checked": 0,
        "batches_verified": 0, "batches_on_chain": 0, "checked_at": timezone.now(),
        "chain": None, "chain_resets": chain_resets(), "anchoring": anchoring_summary(network),
    }

    def cannot_check(reason: str, message: str) -> dict[str, Any]:
        result.update(reason=reason, message=message)
        return result

    if network is None:
        return cannot_check("not_deployed", "No contracts are deployed yet, so nothing is anchored.")
    w3 = w3 or client.web3(settings.CHAIN_RPC_URL)
    try:
        chain_id, genesis = network_identity(w3)
        block = w3.eth.block_number
    except Exception as exc:  # noqa: BLE001 - an unreachable node is a result, not a crash
        logger.warning("audit verification: chain unreachable: %s", exc)
        return cannot_check("chain_unavailable", f"The chain node does not answer ({type(exc).__name__}).")
    deployment = ChainDeployment.objects.filter(network=network, name="AuditAnchor").first()
    result["chain"] = {"chain_id": chain_id, "genesis_hash": genesis, "block_number": block,
                       "contract": deployment.address if deployment else None}
    if (chain_id, genesis) != (network.chain_id, network.genesis_hash):
        return cannot_check(
            "chain_reset_detected",
            "The node has another genesis than the chain our anchors are on: the chain was reset. The platform "
            "redeploys and re-anchors every batch; verify again once that is done. This is not tampering.",
        )
    if deployment is None or not w3.eth.get_code(Web3.to_checksum_address(deployment.address)):
        return cannot_check(
            "anchor_contract_missing",
            "The AuditAnchor contract has no code on the node: the chain lost its state. The platform redeploys "
            "and re-anchors every batch; verify again once that is done. This is not tampering.",
        )
    try:
        anchors = read_anchors(w3, deployment.address, from_block=deployment.block_number, block=block)
    except AnchorsUnreadable as exc:
        return cannot_check("anchors_unreadable", str(exc))
    head = AuditHead.objects.filter(pk=1).values_list("last_seq", flat=True).first() or 0
    report = check_log(_records(network.pk, block), anchors, head_seq=head)
    result.update(report.as_dict())
    return result
