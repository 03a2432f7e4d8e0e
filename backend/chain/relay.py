"""The relay: signs outbox entries, stores them, broadcasts them and confirms their receipts.

Crash safety, step by step:
- before signing: the entry is `pending`; nothing was allocated.
- signing: under the signer's nonce-row lock, the nonce is allocated and the raw
  transaction stored with status `signed` in one database transaction.
- broadcast: the stored raw bytes are sent; sending them again is harmless
  (same hash), so a crash here is resumed by resending.
- receipt: `sent` entries are confirmed or failed from their receipt.
A call is never signed for a second nonce, so no nonce is skipped or reused.

Fee bump: a `sent` entry still unmined after CHAIN_FEE_BUMP_SECONDS is signed again for the same
nonce with fees 12.5% higher, stored (the earlier hash kept) before it is broadcast; the node
replaces the pooled transaction. Only one transaction per nonce can be mined, so the call is still
recorded once, whichever of its signings is mined; the receipt check looks for all of them.
"""

from __future__ import annotations

import logging
import os
import signal
import zlib
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from eth_account.typed_transactions import TypedTransaction
from hexbytes import HexBytes
from web3 import Web3

from chain import client, keys
from chain.models import ChainAccount, ChainDeployment, ChainNetwork, ChainTransaction, SignerNonce
from common.rows import update_each

logger = logging.getLogger(__name__)

GAS_MARGIN_NUMERATOR, GAS_MARGIN_DENOMINATOR = 12, 10
# +12.5% per fee bump: above geth's 10% minimum for replacing a pooled transaction.
FEE_BUMP_NUMERATOR, FEE_BUMP_DENOMINATOR = 9, 8
DEV_FUNDING_WEI = 10**21
DEV_FUNDING_THRESHOLD_WEI = 10**19
IN_FLIGHT = (ChainTransaction.Status.SIGNED, ChainTransaction.Status.SENT)

# Test hook for fault injection: a callable(step_name, tx) run at each step.
fault_hook = None


class NetworkMismatch(Exception):
    """The node is not the chain our deployments live on (reset, or never deployed)."""


@dataclass
class RelayReport:
    signed: int = 0
    sent: int = 0
    confirmed: int = 0
    failed: int = 0
    fee_bumped: int = 0
    requeued: int = 0
    deferred: int = 0  # refused as ahead of the node's clock (the node's is behind): sent by a later run
    errors: list[str] = field(default_factory=list)

    @property
    def idle(self) -> bool:
        return not (self.signed or self.sent or self.confirmed or self.failed or self.fee_bumped
                    or self.requeued or self.deferred)


# Reverts that only say the node's clock has not reached a moment yet: the platform stated that moment
# from its own clock when it wrote the call (an access's time, at most CLOCK_TOLERANCE ahead of a block).
_NOT_YET_REVERTS = frozenset({"AccessTimeInFuture"})


def _fault(step: str, tx: ChainTransaction) -> None:
    """Fault injection for the crash tests: RELAY_CRASH_AT=<step> kills this process there."""
    if fault_hook is not None:
        fault_hook(step, tx)
    if os.environ.get("RELAY_CRASH_AT") == step:
        marker = os.environ.get("RELAY_CRASH_MARKER")
        if marker:
            try:  # crash once only: the marker's creation is atomic
                os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                return
        logger.warning("fault injection: killing the relay at %s (tx %s)", step, tx.pk)
        os.kill(os.getpid(), signal.SIGKILL)


def active_network_for(w3: Web3) -> ChainNetwork:
    network = ChainNetwork.objects.filter(active=True).first()
    if network is None:
        raise NetworkMismatch("No contracts are deployed yet: run `manage.py chain_deploy`.")
    deployed = network.deployments.order_by("name").first()
    if deployed is not None and not _has_code(w3, deployed.address):
        raise NetworkMismatch(f"{deployed.name} has no code at {deployed.address}: the node lost its state.")
    chain_id = w3.eth.chain_id
    genesis = w3.eth.get_block(0)["hash"].to_0x_hex()
    if (network.chain_id, network.genesis_hash) != (chain_id, genesis):
        raise NetworkMismatch(
            f"The node is chain {chain_id} with genesis {genesis}; our contracts are on "
            f"chain {network.chain_id} with genesis {network.genesis_hash}."
        )
    return network


def _has_code(w3: Web3, address: str) -> bool:
    return len(w3.eth.get_code(Web3.to_checksum_address(address))) > 0


def relay_run(*, w3: Web3 | None = None, network: ChainNetwork | None = None, max_rounds: int = 20) -> RelayReport:
    """Drain the outbox: resume in-flight entries, then sign and send eligible ones."""
    w3 = w3 or client.web3()
    network = network or active_network_for(w3)
    report = RelayReport()
    if _node_behind_us(w3, network):
        reconcile_lost_transactions(w3=w3, network=network)
    _resume_in_flight(w3, network, report, recover=True)
    for _ in range(max_rounds):
        progressed = False
        for signer_id in _signers_with_pending():
            progressed |= _relay_signer(w3, network, signer_id, report)
        _fail_orphans(report)
        if not progressed:
            break
    _await_receipts(w3, network, report)
    return report


def _await_receipts(w3: Web3, network: ChainNetwork, report: RelayReport, attempts: int = 40) -> None:
    """Sent transactions usually mine at once; a busy node shows the receipt a moment later."""
    import time

    for _ in range(attempts):
        sent = list(ChainTransaction.objects.filter(network=network, status=ChainTransaction.Status.SENT))
        if not sent or not _confirm_many(w3, sent, report):
            return
        time.sleep(0.05)


def _node_behind_us(w3: Web3, network: ChainNetwork) -> bool:
    from django.db.models import Max

    highest = ChainTransaction.objects.filter(network=network, status=ChainTransaction.Status.CONFIRMED).aggregate(
        top=Max("block_number"))["top"]
    return highest is not None and w3.eth.block_number < highest


def _signers_with_pending() -> list:
    return list(
        ChainTransaction.objects.filter(status=ChainTransaction.Status.PENDING)
        .order_by()  # the model's default ordering would leak into SELECT DISTINCT
        .values_list("signer_id", flat=True)
        .distinct()
    )


def _fail_orphans(report: RelayReport) -> None:
    """A pending entry whose dependency failed, or was lost in a chain reset and not written again by
    the replay, can never be sent: fail it too."""
    active_id = ChainNetwork.objects.filter(active=True).values_list("pk", flat=True).first()
    replaying = None
    while True:
        suspects = list(
            ChainTransaction.objects.filter(status=ChainTransaction.Status.PENDING)
            .filter(Q(depends_on__status=ChainTransaction.Status.FAILED)
                    | Q(depends_on__status=ChainTransaction.Status.CONFIRMED, depends_on__network__active=False))
            .distinct().prefetch_related("depends_on")
        )
        count = 0
        for tx in suspects:
            states = {_dependency_state(dep, active_id) for dep in tx.depends_on.all()}
            if "lost" in states and replaying is None:
                replaying = _replay_running()
            if "failed" in states:
                _mark_failed(tx, "dependency_failed", "A transaction this one depends on failed.")
            elif "lost" in states and not replaying:
                _mark_failed(tx, "dependency_failed",
                             "A transaction this one depends on was lost in a chain reset and not written again.")
            else:
                continue
            count += 1
        report.failed += count
        if not count:
            return


def _replay_running() -> bool:
    """Is a redeployment (and its replay) under way in another session?"""
    from chain.deploy import DEPLOY_LOCK

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock_shared(%s)", [DEPLOY_LOCK])
        if not cursor.fetchone()[0]:
            return True
        cursor.execute("SELECT pg_advisory_unlock_shared(%s)", [DEPLOY_LOCK])
    return False


def _stands_for(dep: ChainTransaction, active_id) -> ChainTransaction | None:
    """The entry that stands for `dep` on the active network: `dep` itself, or (after a chain reset)
    the replay's entry that replaces it, followed through successive resets; None if not replayed (yet)."""
    seen = set()
    while dep is not None and _lost_in_reset(dep, active_id) and dep.pk not in seen:
        seen.add(dep.pk)
        dep = ChainTransaction.objects.filter(replaces=dep).order_by("-created_at", "-id").first()
    return dep


def _lost_in_reset(tx: ChainTransaction, active_id) -> bool:
    if tx.status == ChainTransaction.Status.FAILED:
        return tx.error_code == ChainTransaction.LOST_IN_RESET
    return tx.network_id is not None and tx.network_id != active_id


def _dependency_state(dep: ChainTransaction, active_id) -> str:
    """'confirmed' (on the active network), 'failed' (never will be), 'lost' (in a chain reset, with no
    replacement yet) or 'waiting'."""
    current = _stands_for(dep, active_id)
    if current is None:
        return "lost"
    if current.status == ChainTransaction.Status.CONFIRMED and current.network_id == active_id:
        return "confirmed"
    if current.status == ChainTransaction.Status.FAILED and current.error_code != ChainTransaction.LOST_IN_RESET:
        return "failed"
    return "waiting"


# One relay run per signer at a time: its runs meet on an advisory lock in a key space of their own
# (the two-int4 form, as the credit lookups' "CRED" space). The platform's fixed locks (deployment,
# audit batching, tallies) are single bigint keys, which a bare CRC-32 of a signer could have equalled.
# Two signers whose CRC-32s collide only take turns.
RELAY_LOCK_SPACE = 0x524C4159  # "RLAY"


def _advisory_key(signer_id) -> list[int]:
    return [RELAY_LOCK_SPACE, zlib.crc32(f"relay:{signer_id}".encode()) - 2**31]  # into int4's range


def _relay_signer(w3: Web3, network: ChainNetwork, signer_id, report: RelayReport) -> bool:
    """Sign and send this signer's eligible entries in order; True if anything moved.

    A node that refuses this signer's transactions (no funds for gas, ...) stops this signer only:
    its entries wait (signed ones are sent again later, the same bytes) and the others go on."""
    signer = ChainAccount.objects.get(pk=signer_id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", _advisory_key(signer_id))
        if not cursor.fetchone()[0]:
            return False
    moved = False
    try:
        account = keys.signing_account(signer.encrypted_key, signer.address)
        _ensure_dev_funds(w3, signer.address)
        while True:
            batch = _sign_batch(w3, network, signer, account, report)
            if not batch:
                return moved
            moved = True
            _broadcast_many(w3, batch, report)
            _confirm_many(w3, batch, report)
    except ChainRPCError as exc:
        _signer_blocked(signer, exc, report)
        return moved
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", _advisory_key(signer_id))


def relay_transactions(*, w3: Web3, network: ChainNetwork, transactions: list[ChainTransaction]) -> RelayReport:
    """Sign, send and confirm exactly these entries now (used for deployments)."""
    report = RelayReport()
    for tx in transactions:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", _advisory_key(tx.signer_id))
        try:
            signer = tx.signer
            account = keys.signing_account(signer.encrypted_key, signer.address)
            _ensure_dev_funds(w3, signer.address)
            _sign_batch(w3, network, signer, account, report, candidates=[tx])
            tx.refresh_from_db()
            if tx.status in IN_FLIGHT:
                _broadcast_many(w3, [tx], report)
                # Needed at once (a deployment): wait for the receipt, which a busy node shows late.
                w3.eth.wait_for_transaction_receipt(tx.tx_hash, timeout=settings.CHAIN_RPC_TIMEOUT * 3,
                                                    poll_latency=0.05)
                _confirm_many(w3, [tx], report)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", _advisory_key(tx.signer_id))
    return report


def _eligible_in_order(signer: ChainAccount, limit: int) -> list[ChainTransaction]:
    """This signer's pending entries in order, skipping those whose dependencies are not confirmed on
    the active network (the order that matters is the one dependencies state)."""
    pending = list(
        ChainTransaction.objects.filter(signer=signer, status=ChainTransaction.Status.PENDING)
        .order_by("created_at", "id")
        .prefetch_related("depends_on")[:limit]
    )
    active = ChainNetwork.objects.filter(active=True).first()
    if active is None:
        return []
    deployed = set(active.deployments.values_list("name", flat=True))
    eligible = []
    for tx in pending:
        if tx.function != ChainTransaction.DEPLOY and tx.contract not in deployed:
            break
        if all(_dependency_state(dep, active.pk) == "confirmed" for dep in tx.depends_on.all()):
            eligible.append(tx)
    return eligible


def _sign_batch(w3, network, signer, account, report, candidates=None) -> list[ChainTransaction]:
    if candidates is None:
        candidates = _eligible_in_order(signer, settings.CHAIN_RELAY_BATCH)
    if not candidates:
        return []
    signed: list[ChainTransaction] = []
    fees = _fees(w3)
    with transaction.atomic():
        nonce_row = _lock_nonce(w3, network, signer)
        still_pending = set(
            # Locked: a chain-reset replay superseding a pending entry (chain.services.replay_takes_over)
            # and the relay signing it must not both win.
            ChainTransaction.objects.select_for_update().filter(
                pk__in=[c.pk for c in candidates], status=ChainTransaction.Status.PENDING
            ).values_list("pk", flat=True)
        )
        candidates = [c for c in candidates if c.pk in still_pending]
        for tx in candidates:
            _fault("before_sign", tx)
        unsigned = [_unsigned(w3, network, tx, signer.address, fees) for tx in candidates]
        # One JSON-RPC batch estimates every call against the current state.
        estimates = _rpc_batch(w3, [("eth_estimateGas", [_estimate_params(u)]) for u in unsigned])
        now = timezone.now()
        for position, (tx, params, answer) in enumerate(zip(candidates, unsigned, estimates)):
            if "error" in answer:
                if position > 0:
                    # May depend on an earlier entry of this batch that is not mined yet: next batch.
                    break
                code, message = client.decode_rpc_error(answer["error"])
                if code == "rpc_error":
                    raise ChainRPCError(message)
                if code in _NOT_YET_REVERTS and tx.created_at > now - timedelta(seconds=settings.CHAIN_CLOCK_SKEW_SECONDS):
                    # The node's clock is behind the platform's: a later run sends it. The entries
                    # after it wait too, so that this signer's calls keep their order.
                    logger.info("chain write %s deferred: %s (the node's clock is behind)", tx.pk, message)
                    report.deferred += 1
                    break
                _mark_failed(tx, code, message)
                report.failed += 1
                continue
            gas = int(answer["result"], 16)
            params.update(gas=gas * GAS_MARGIN_NUMERATOR // GAS_MARGIN_DENOMINATOR + 10_000, nonce=nonce_row.next_nonce)
            signed_tx = account.sign_transaction(params)
            tx.network = network
            tx.nonce = nonce_row.next_nonce
            tx.raw_tx = bytes(signed_tx.raw_transaction)
            tx.tx_hash = signed_tx.hash.to_0x_hex()
            tx.status = ChainTransaction.Status.SIGNED
            tx.signed_at = now
            tx.updated_at = now
            tx.attempts += 1
            nonce_row.next_nonce += 1
            signed.append(tx)
            report.signed += 1
        # The signed bytes and their nonces are stored before anything is broadcast.
        update_each(signed, ["network", "nonce", "raw_tx", "tx_hash", "status", "signed_at", "updated_at", "attempts"])
        nonce_row.save(update_fields=["next_nonce"])
    for tx in signed:
        _fault("after_sign", tx)
    return signed


class ChainRPCError(Exception):
    """The node refused a request for a reason that is not a revert; retried later."""


def _rpc_batch(w3: Web3, requests: list[tuple[str, list]]) -> list[dict]:
    if not requests:
        return []
    answers = w3.provider.make_batch_request(requests)
    if isinstance(answers, dict):  # the node refused the whole batch
        raise ChainRPCError(str(answers.get("error")))
    return list(answers)


def _lock_nonce(w3, network, signer) -> SignerNonce:
    row = SignerNonce.objects.select_for_update().filter(network=network, account=signer).first()
    if row is None:
        SignerNonce.objects.get_or_create(
            network=network,
            account=signer,
            defaults={"next_nonce": w3.eth.get_transaction_count(signer.address, "pending")},
        )
        row = SignerNonce.objects.select_for_update().get(network=network, account=signer)
    return row


def _latest_base_fee(w3: Web3) -> int:
    return w3.eth.get_block("latest").get("baseFeePerGas", 0) or 0


def _fees(w3: Web3) -> dict:
    """The cap allows the base fee to double before the transaction is mined."""
    tip = settings.CHAIN_PRIORITY_FEE_WEI
    return {"maxFeePerGas": _latest_base_fee(w3) * 2 + tip, "maxPriorityFeePerGas": tip}


def _unsigned(w3, network, tx: ChainTransaction, sender: str, fees: dict) -> dict:
    """The transaction fields without gas and nonce: encoded locally, no RPC."""
    params = {"from": sender, "chainId": network.chain_id, "value": 0, "type": 2, **fees}
    if tx.function == ChainTransaction.DEPLOY:
        art = client.artifact(tx.contract)
        ctor = next((e for e in art["abi"] if e["type"] == "constructor"), {"inputs": []})
        factory = w3.eth.contract(abi=art["abi"], bytecode=art["bytecode"])
        params["data"] = factory.constructor(*client.coerce_args(ctor["inputs"], tx.args)).data_in_transaction
        return params
    params["to"] = _address(w3, network, tx.contract)
    params["data"] = client.encode_call(tx.contract, tx.function, tx.args)
    return params


def _address(w3, network, name: str) -> str:
    cache = w3.__dict__.setdefault("_platform_addresses", {})
    key = (network.pk, name)
    if key not in cache:
        cache[key] = Web3.to_checksum_address(ChainDeployment.objects.get(network=network, name=name).address)
    return cache[key]


def _estimate_params(params: dict) -> dict:
    out = {"from": params["from"], "data": params["data"]}
    if "to" in params:
        out["to"] = params["to"]
    return out


# "replacement transaction underpriced": the node holds another signing of this nonce at a fee as high
# (a fee bump sent by a concurrent relay run).
_BENIGN_SEND_ERRORS = ("already known", "nonce too low", "already imported", "known transaction",
                       "replacement transaction underpriced")


def _broadcast_many(w3: Web3, txs: list[ChainTransaction], report: RelayReport) -> None:
    if not txs:
        return
    answers = _rpc_batch(w3, [("eth_sendRawTransaction", ["0x" + bytes(tx.raw_tx).hex()]) for tx in txs])
    for tx, answer in zip(txs, answers):
        error = answer.get("error")
        # Already in the pool or mined: the stored bytes were sent before a crash.
        if error and not any(s in str(error.get("message", "")).lower() for s in _BENIGN_SEND_ERRORS):
            raise ChainRPCError(f"sending {tx.tx_hash}: {error}")
    for tx in txs:
        _fault("after_broadcast", tx)
    fresh = [tx.pk for tx in txs if tx.status == ChainTransaction.Status.SIGNED]
    if fresh:
        ChainTransaction.objects.filter(pk__in=fresh, status=ChainTransaction.Status.SIGNED).update(
            status=ChainTransaction.Status.SENT, updated_at=timezone.now()
        )
        report.sent += len(fresh)
    for tx in txs:
        tx.status = ChainTransaction.Status.SENT


def _receipts(w3: Web3, hashes: list[str]) -> dict[str, dict | None]:
    answers = _rpc_batch(w3, [("eth_getTransactionReceipt", [h]) for h in hashes])
    return {h: answer.get("result") for h, answer in zip(hashes, answers)}


def _confirm_many(w3: Web3, txs: list[ChainTransaction], report: RelayReport) -> list[ChainTransaction]:
    """Record the receipts that exist; returns the transactions still waiting for one."""
    if not txs:
        return []
    # Every signing of the entry's nonce (the current one first, then the fee bumps' earlier ones).
    signings = {tx.pk: [tx.tx_hash, *tx.earlier_hashes] for tx in txs}
    receipts = _receipts(w3, [h for hashes in signings.values() for h in hashes])
    head = w3.eth.block_number if settings.CHAIN_CONFIRMATIONS else None
    waiting, confirmed = [], []
    now = timezone.now()
    for tx in txs:
        mined = next((h for h in signings[tx.pk] if receipts.get(h) is not None), None)
        if mined is None:
            waiting.append(tx)
            continue
        receipt = receipts[mined]
        block = int(receipt["blockNumber"], 16)
        if head is not None and head - block < settings.CHAIN_CONFIRMATIONS:
            waiting.append(tx)
            continue
        _fault("after_receipt", tx)
        if mined != tx.tx_hash:  # an earlier signing was mined, not the fee bump
            tx.earlier_hashes = [h for h in signings[tx.pk] if h != mined]
            tx.tx_hash = mined
        tx.block_number = block
        tx.gas_used = int(receipt["gasUsed"], 16)
        tx.contract_address = receipt.get("contractAddress") and Web3.to_checksum_address(receipt["contractAddress"])
        tx.updated_at = now
        if int(receipt["status"], 16) == 1:
            tx.status = ChainTransaction.Status.CONFIRMED
            tx.confirmed_at = now
            confirmed.append(tx)
        else:
            ChainTransaction.objects.filter(pk=tx.pk).update(
                tx_hash=tx.tx_hash, earlier_hashes=tx.earlier_hashes, block_number=tx.block_number,
                gas_used=tx.gas_used, updated_at=now)
            _mark_failed(tx, "reverted", "The transaction was mined but reverted.")
            report.failed += 1
    if confirmed:
        update_each(confirmed, ["status", "tx_hash", "earlier_hashes", "block_number", "gas_used", "contract_address",
                                "confirmed_at", "updated_at"])
        report.confirmed += len(confirmed)
    return waiting


def _resume_in_flight(w3: Web3, network: ChainNetwork, report: RelayReport, *, recover: bool = False) -> None:
    """After a crash: confirm what was mined, resend what was not (the same stored bytes), signer by
    signer: one the node refuses does not hold up the others. With `recover`, an entry unmined for
    CHAIN_FEE_BUMP_SECONDS is first signed again: for a new nonce if another transaction took its
    nonce, else for its nonce with higher fees."""
    in_flight = list(
        ChainTransaction.objects.filter(network=network, status__in=IN_FLIGHT).order_by("signer_id", "nonce")
    )
    if not in_flight:
        return
    # Stale or not is known before the receipts. Only then are the signers' used nonces read, and
    # before the receipts: a nonce below that count was used before any receipt was asked for.
    candidates = _stale(in_flight) if recover else []
    used = _used_nonce_counts(w3, candidates) if candidates else {}
    waiting = _confirm_many(w3, in_flight, report)
    if candidates and waiting:
        stale = [tx for tx in candidates if tx in waiting]
        taken = [tx for tx in stale if tx.nonce < used.get(tx.signer_id, 0)]
        if taken:
            _requeue_taken(w3, network, taken, report)
            waiting = [tx for tx in waiting if tx not in taken]
        _bump_fees(w3, [tx for tx in stale if tx not in taken], report)
    by_signer: dict = {}
    for tx in waiting:
        by_signer.setdefault(tx.signer_id, []).append(tx)
    for txs in by_signer.values():
        try:
            _broadcast_many(w3, txs, report)
            _confirm_many(w3, txs, report)
        except ChainRPCError as exc:
            _signer_blocked(txs[0].signer, exc, report)  # the signer is read only when it happens


def _bumped(fee: int) -> int:
    return -(-fee * FEE_BUMP_NUMERATOR // FEE_BUMP_DENOMINATOR)  # rounded up


def _stale(in_flight: list[ChainTransaction]) -> list[ChainTransaction]:
    """The sent entries last signed more than CHAIN_FEE_BUMP_SECONDS ago (stale if still unmined)."""
    cutoff = timezone.now() - timedelta(seconds=settings.CHAIN_FEE_BUMP_SECONDS)
    return [tx for tx in in_flight if tx.status == ChainTransaction.Status.SENT and tx.raw_tx is not None
            and (tx.fee_bumped_at or tx.signed_at) < cutoff]


def _used_nonce_counts(w3: Web3, txs: list[ChainTransaction]) -> dict:
    """Per signer of `txs`: how many nonces the chain has used (as of CHAIN_CONFIRMATIONS blocks ago)."""
    signer_ids = sorted({tx.signer_id for tx in txs}, key=str)
    addresses = dict(ChainAccount.objects.filter(pk__in=signer_ids).values_list("pk", "address"))
    block = "latest"
    if settings.CHAIN_CONFIRMATIONS:
        block = hex(max(w3.eth.block_number - settings.CHAIN_CONFIRMATIONS, 0))
    answers = _rpc_batch(w3, [("eth_getTransactionCount", [addresses[s], block]) for s in signer_ids])
    return {s: int(a["result"], 16) for s, a in zip(signer_ids, answers) if "result" in a}


def _requeue_taken(w3: Web3, network: ChainNetwork, taken: list[ChainTransaction], report: RelayReport) -> None:
    """Entries whose nonce another transaction used: the chain had used the nonce before the relay
    asked for receipts, and none of the entry's signings has one. The key was used elsewhere, or the
    database was restored from a backup older than the chain. The call was not recorded, and never
    can be under that nonce: the entry goes back to pending (its hashes kept in `earlier_hashes`) to be
    signed again, and the signer's next nonce moves past every nonce the node has seen. Raises
    `chain_nonce_taken`, one open alert per account: the operator must find out which it was."""
    from oversight.services import alert_raise

    now = timezone.now()
    requeued: dict = {}
    with transaction.atomic():
        for signer_id in sorted({tx.signer_id for tx in taken}, key=str):
            row = (SignerNonce.objects.select_for_update(of=("self",)).select_related("account")
                   .get(network=network, account_id=signer_id))
            row.next_nonce = max(row.next_nonce, w3.eth.get_transaction_count(row.account.address, "pending"))
            row.save(update_fields=["next_nonce"])
            requeued[signer_id] = (row.account, [])
        for tx in taken:
            if ChainTransaction.objects.filter(pk=tx.pk, tx_hash=tx.tx_hash, status__in=IN_FLIGHT).update(
                    status=ChainTransaction.Status.PENDING, network=None, nonce=None, raw_tx=None, tx_hash=None,
                    signed_at=None, fee_bumped_at=None, earlier_hashes=[*tx.earlier_hashes, tx.tx_hash], updated_at=now):
                requeued[tx.signer_id][1].append(tx.nonce)
        for account, nonces in requeued.values():
            if not nonces:
                continue
            logger.warning("nonces %s of %s were used by transactions we did not sign; their writes are signed again",
                           nonces, account.address)
            report.requeued += len(nonces)
            alert_raise(
                kind="chain_nonce_taken",
                severity="high",
                message=f"Nonce(s) {', '.join(map(str, nonces))} of chain account {account.address} were used by "
                        "transactions the platform did not sign (the key used elsewhere, or the database restored "
                        "from a backup older than the chain); their writes are signed again with new nonces.",
                subject_type="chain_account",
                subject_id=account.pk,
                visible_to=[account.organization_id],
                data={"address": account.address, "nonces": nonces, "count": len(nonces)},
                dedupe_key=f"chain_nonce_taken:{account.address}",
            )


def _bump_fees(w3: Web3, stale: list[ChainTransaction], report: RelayReport) -> None:
    """Sign again, for the same nonce with fees 12.5% higher, each stale entry (`_stale`): the base fee
    rose past its cap, or the node holds it without mining it. The new signing is stored, with the
    earlier hash kept, before the caller broadcasts it; the update is conditional on the hash read, so
    of two relay runs only one bumps.

    Not bumped: an entry whose fees are zero (a chain without fees: fees are not why it waits), and
    one whose new cap would pass CHAIN_MAX_FEE_PER_GAS_WEI (it keeps waiting; `chain_write_stuck`
    tells the operator)."""
    if not stale:
        return
    now = timezone.now()
    room = 2 * _latest_base_fee(w3)  # as `_fees`: at least room for the base fee to double
    accounts: dict = {}
    for tx in stale:
        fields = TypedTransaction.from_bytes(HexBytes(bytes(tx.raw_tx))).as_dict()
        tip, cap = fields["maxPriorityFeePerGas"], fields["maxFeePerGas"]
        if not (tip or cap):
            continue
        new_tip = max(_bumped(tip), settings.CHAIN_PRIORITY_FEE_WEI)
        new_cap = max(_bumped(cap), room + new_tip)
        if new_cap > settings.CHAIN_MAX_FEE_PER_GAS_WEI:
            logger.warning("not bumping the fees of %s (nonce %s): %s wei per gas is over the cap of %s",
                           tx.tx_hash, tx.nonce, new_cap, settings.CHAIN_MAX_FEE_PER_GAS_WEI)
            continue
        params = {"type": 2, "chainId": fields["chainId"], "nonce": fields["nonce"], "gas": fields["gas"],
                  "value": fields["value"], "data": fields["data"], "accessList": fields["accessList"],
                  "maxPriorityFeePerGas": new_tip, "maxFeePerGas": new_cap}
        if fields.get("to"):
            params["to"] = Web3.to_checksum_address(fields["to"])
        if tx.signer_id not in accounts:
            signer = ChainAccount.objects.get(pk=tx.signer_id)
            accounts[tx.signer_id] = keys.signing_account(signer.encrypted_key, signer.address)
        signed = accounts[tx.signer_id].sign_transaction(params)
        new_hash = signed.hash.to_0x_hex()
        earlier = [*tx.earlier_hashes, tx.tx_hash]
        bumped = ChainTransaction.objects.filter(pk=tx.pk, tx_hash=tx.tx_hash, status=ChainTransaction.Status.SENT).update(
            raw_tx=bytes(signed.raw_transaction), tx_hash=new_hash, earlier_hashes=earlier, fee_bumped_at=now,
            attempts=models.F("attempts") + 1, updated_at=now)
        if not bumped:  # confirmed or bumped by another run meanwhile: resend what we read, harmlessly
            continue
        logger.info("fee bump of nonce %s of %s: %s -> %s (%s -> %s wei per gas)",
                    tx.nonce, tx.signer_id, tx.tx_hash, new_hash, cap, new_cap)
        tx.raw_tx, tx.tx_hash, tx.earlier_hashes, tx.fee_bumped_at = bytes(signed.raw_transaction), new_hash, earlier, now
        tx.attempts += 1
        report.fee_bumped += 1
        _fault("after_fee_bump", tx)


def _signer_blocked(signer: ChainAccount, exc: Exception, report: RelayReport) -> None:
    """The node refuses this signer's transactions: say so once (one open alert per account)."""
    from oversight.services import alert_raise

    address = signer.address
    report.errors.append(f"{address}: {exc}")
    logger.warning("chain writes of %s are held: %s", address, exc)
    alert_raise(
        kind="chain_signer_blocked",
        severity="high",
        message=f"The node refuses the transactions of chain account {address} (its writes wait): {str(exc)[:300]}",
        subject_type="chain_account",
        subject_id=signer.pk,
        visible_to=[signer.organization_id],
        data={"address": address, "error": str(exc)[:500]},
        dedupe_key=f"chain_signer_blocked:{address}",
    )


def reconcile_lost_transactions(*, w3: Web3 | None = None, network: ChainNetwork | None = None, window: int = 500) -> int:
    """Resend confirmed transactions whose receipts the node no longer has.

    A node restarted from an older state snapshot (Anvil killed between dumps) forgets
    its newest blocks. Our stored raw transactions are resent in nonce order; they are
    the same signed bytes, so they get the same hashes and nonces: nothing is duplicated.
    """
    w3 = w3 or client.web3()
    network = network or active_network_for(w3)
    recent = list(
        ChainTransaction.objects.filter(network=network, status=ChainTransaction.Status.CONFIRMED)
        .exclude(raw_tx=None)
        .order_by("-block_number", "-nonce")[:window]
    )
    receipts = _receipts(w3, [tx.tx_hash for tx in recent])
    lost = [tx for tx in recent if receipts.get(tx.tx_hash) is None]
    if not lost:
        return 0
    logger.warning("%d confirmed transactions are gone from the node; resending the stored bytes", len(lost))
    ChainTransaction.objects.filter(pk__in=[t.pk for t in lost]).update(
        status=ChainTransaction.Status.SIGNED, block_number=None, confirmed_at=None, updated_at=timezone.now()
    )
    report = RelayReport()
    _resume_in_flight(w3, network, report)
    return len(lost)


def _mark_failed(tx: ChainTransaction, code: str, message: str) -> None:
    from oversight.services import alert_raise

    with transaction.atomic():
        updated = ChainTransaction.objects.filter(pk=tx.pk).exclude(status=ChainTransaction.Status.CONFIRMED).update(
            status=ChainTransaction.Status.FAILED,
            error_code=code[:80],
            error_message=message[:2000],
            updated_at=timezone.now(),
        )
        if updated and code != ChainTransaction.LOST_IN_RESET:
            alert_raise(
                kind="chain_write_failed",
                severity="high",
                message=f"{tx.contract}.{tx.function} for {tx.subject_type or 'platform'} {tx.subject_id} failed: {code}",
                subject_type=tx.subject_type,
                subject_id=tx.subject_id,
                data={"tx": str(tx.pk), "error_code": code, "error": message[:500]},
            )
    tx.status = ChainTransaction.Status.FAILED
    tx.error_code = code


def outbox_watch(*, now=None) -> list:
    """Raise `chain_write_stuck` (one open alert per account) when an entry signed more than
    CHAIN_STUCK_SECONDS ago still has no receipt: the node dropped it, refuses it, or its nonce was
    used by another transaction (a key used elsewhere, a database restored behind the chain). Read
    only: the relay keeps resending. Returns the alerts raised or still open."""
    from oversight.services import alert_raise

    now = now or timezone.now()
    since = now - timedelta(seconds=settings.CHAIN_STUCK_SECONDS)
    stuck = (
        ChainTransaction.objects.filter(status__in=IN_FLIGHT, signed_at__lt=since)
        .values("signer_id", "signer__address", "signer__organization_id")
        .annotate(count=Count("id"), first_nonce=Min("nonce"), oldest=Min("signed_at"))
        .order_by("signer__address")
    )
    alerts = []
    for row in stuck:
        address = row["signer__address"]
        minutes = int((now - row["oldest"]).total_seconds()) // 60
        alerts.append(alert_raise(
            kind="chain_write_stuck",
            severity="high",
            message=f"{row['count']} chain write(s) of {address} from nonce {row['first_nonce']} have had no "
                    f"receipt for {minutes} min.",
            subject_type="chain_account",
            subject_id=row["signer_id"],
            visible_to=[row["signer__organization_id"]],
            data={"address": address, "count": row["count"], "first_nonce": row["first_nonce"],
                  "waiting_since": row["oldest"].isoformat()},
            dedupe_key=f"chain_write_stuck:{address}",
        ))
    return alerts


def _ensure_dev_funds(w3: Web3, address: str) -> None:
    if not settings.CHAIN_DEV_FUNDING:
        return
    if w3.eth.get_balance(address) < DEV_FUNDING_THRESHOLD_WEI:
        w3.provider.make_request("anvil_setBalance", [address, hex(DEV_FUNDING_WEI)])


def pending_count() -> int:
    return ChainTransaction.objects.filter(Q(status=ChainTransaction.Status.PENDING) | Q(status__in=IN_FLIGHT)).count()
