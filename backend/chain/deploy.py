"""Deploying our contracts and noticing a chain that was reset.

Deployments are recorded per network (chain id + genesis hash). If the node we
talk to has another genesis, or our contracts have no code there, the chain was
reset: we deploy again and every app re-enqueues its chain records (replay hooks).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable

from django.db import connection, transaction
from django.utils import timezone
from web3 import Web3

from chain import client
from chain.models import ChainDeployment, ChainNetwork, ChainTransaction
from chain.relay import RelayReport, relay_transactions
from chain.services import chain_call_enqueue, platform_account

logger = logging.getLogger(__name__)

DEPLOY_LOCK = 0x7F3D_0001

# (order, name, callable) registered by apps: re-enqueue their chain records on a new network.
_replay_hooks: list[tuple[int, str, Callable[[], int]]] = []


def register_replay_hook(order: int, name: str, hook: Callable[[], int]) -> None:
    if all(existing[1] != name for existing in _replay_hooks):
        _replay_hooks.append((order, name, hook))
        _replay_hooks.sort(key=lambda item: item[0])


@dataclass
class DeployReport:
    network_id: int
    deployed: dict[str, str] = field(default_factory=dict)
    reset: bool = False
    replayed: dict[str, int] = field(default_factory=dict)


def network_identity(w3: Web3) -> tuple[int, str]:
    return w3.eth.chain_id, w3.eth.get_block(0)["hash"].to_0x_hex()


def deployments_healthy(w3: Web3, network: ChainNetwork) -> bool:
    deployed = {d.name: d.address for d in network.deployments.all()}
    if set(deployed) != set(client.CONTRACT_NAMES):
        return False
    return all(len(w3.eth.get_code(Web3.to_checksum_address(addr))) > 0 for addr in deployed.values())


def chain_ensure_deployed(*, w3: Web3 | None = None) -> DeployReport:
    w3 = w3 or client.web3()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [DEPLOY_LOCK])
    try:
        return _ensure_deployed(w3)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [DEPLOY_LOCK])


def _ensure_deployed(w3: Web3) -> DeployReport:
    chain_id, genesis = network_identity(w3)
    active = ChainNetwork.objects.filter(active=True).first()
    if active and (active.chain_id, active.genesis_hash) == (chain_id, genesis) and deployments_healthy(w3, active):
        return DeployReport(network_id=active.pk)

    had_history = ChainNetwork.objects.exists()
    with transaction.atomic():
        now = timezone.now()
        ChainNetwork.objects.filter(active=True).update(active=False, superseded_at=now)
        # Nothing in flight on the old chain will ever confirm; the replay re-enqueues from our records.
        stale = ChainTransaction.objects.exclude(
            status__in=[ChainTransaction.Status.CONFIRMED, ChainTransaction.Status.FAILED]
        )
        if had_history:
            stale.update(status=ChainTransaction.Status.FAILED, error_code=ChainTransaction.LOST_IN_RESET,
                         error_message="The chain was reset before this transaction confirmed.", updated_at=now)
        # Never reuse a network row: its nonces and transactions belong to the chain that was lost.
        epoch = (ChainNetwork.objects.filter(chain_id=chain_id, genesis_hash=genesis)
                 .order_by("-epoch").values_list("epoch", flat=True).first())
        network = ChainNetwork.objects.create(
            chain_id=chain_id, genesis_hash=genesis, epoch=0 if epoch is None else epoch + 1, active=True
        )

    report = DeployReport(network_id=network.pk, reset=had_history)
    platform = platform_account()
    members_address = _deploy(w3, network, platform, "MemberRegistry", [platform.address])
    report.deployed["MemberRegistry"] = members_address
    report.deployed["FinancingRegistry"] = _deploy(w3, network, platform, "FinancingRegistry", [members_address, platform.address])
    report.deployed["AuthorizationRegistry"] = _deploy(w3, network, platform, "AuthorizationRegistry", [members_address])
    report.deployed["AuditAnchor"] = _deploy(w3, network, platform, "AuditAnchor", [platform.address])

    if had_history:
        for _, name, hook in _replay_hooks:
            with transaction.atomic():
                report.replayed[name] = hook()
        logger.warning("Chain reset detected: redeployed and replayed %s", report.replayed)
    return report


def _deploy(w3: Web3, network: ChainNetwork, platform, name: str, args: list) -> str:
    with transaction.atomic():
        tx = chain_call_enqueue(
            signer=platform, contract=name, function=ChainTransaction.DEPLOY, args=args,
            subject_type="deployment", subject_id=name,
        )
    report: RelayReport = relay_transactions(w3=w3, network=network, transactions=[tx])
    tx.refresh_from_db()
    if tx.status != ChainTransaction.Status.CONFIRMED or not tx.contract_address:
        raise RuntimeError(f"Deploying {name} failed: {tx.error_code} {tx.error_message} {report.errors}")
    bytecode = client.artifact(name)["bytecode"]
    ChainDeployment.objects.create(
        network=network, name=name, address=tx.contract_address, tx_hash=tx.tx_hash,
        block_number=tx.block_number, bytecode_hash=Web3.keccak(hexstr=bytecode).to_0x_hex(),
    )
    return tx.contract_address


def contract_address(name: str, network: ChainNetwork | None = None) -> str | None:
    network = network or ChainNetwork.objects.filter(active=True).first()
    if network is None:
        return None
    row = ChainDeployment.objects.filter(network=network, name=name).first()
    return row.address if row else None
