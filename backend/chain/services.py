"""Writes of the chain app: accounts and outbox entries. Called inside the business transaction."""

from __future__ import annotations

import uuid
from typing import Any, Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from chain import keys
from chain.client import to_json_arg
from chain.models import ChainAccount, ChainNetwork, ChainTransaction

RELAY_TASK_NAME = "chain.relay_outbox"


def uuid_to_bytes32(value: uuid.UUID | str) -> bytes:
    return uuid.UUID(str(value)).int.to_bytes(32, "big")


def chain_account_create(*, label: str, organization=None) -> ChainAccount:
    address, encrypted = keys.new_encrypted_key()
    return ChainAccount.objects.create(
        label=label, organization=organization, address=address, encrypted_key=encrypted
    )


def platform_account() -> ChainAccount:
    """The platform's own signer: deployer, declaration registrar and audit anchorer."""
    account = ChainAccount.objects.filter(label=ChainAccount.PLATFORM).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            if settings.CHAIN_PLATFORM_PRIVATE_KEY:
                address, encrypted = keys.encrypt_existing_key(settings.CHAIN_PLATFORM_PRIVATE_KEY)
                return ChainAccount.objects.create(
                    label=ChainAccount.PLATFORM, address=address, encrypted_key=encrypted
                )
            return chain_account_create(label=ChainAccount.PLATFORM)
    except IntegrityError:
        return ChainAccount.objects.get(label=ChainAccount.PLATFORM)


def network_active() -> ChainNetwork | None:
    return ChainNetwork.objects.filter(active=True).first()


def chain_call_enqueue(
    *,
    signer: ChainAccount,
    contract: str,
    function: str,
    args: list[Any],
    subject_type: str = "",
    subject_id: str = "",
    depends_on: Iterable[ChainTransaction | uuid.UUID | None] = (),
    replaces: ChainTransaction | None = None,
) -> ChainTransaction:
    """Record a contract call in the outbox; the relay signs and sends it after commit.

    `depends_on` names transactions (of any signer, as rows or ids) that must be confirmed first;
    a transaction whose dependency failed fails too. `replaces` is set by chain-reset replays
    (see `replay_takes_over`).
    """
    tx = ChainTransaction.objects.create(
        signer=signer,
        contract=contract,
        function=function,
        args=to_json_arg(list(args)),
        subject_type=subject_type,
        subject_id=str(subject_id),
        replaces=replaces,
    )
    # One INSERT of the links (the related manager's add() reads the existing links first, a query a
    # new entry, which has none, does not need).
    deps = dict.fromkeys(getattr(d, "pk", d) for d in depends_on if d is not None)
    if deps:
        link = ChainTransaction.depends_on.through
        link.objects.bulk_create([link(from_chaintransaction_id=tx.pk, to_chaintransaction_id=dep) for dep in deps])
    transaction.on_commit(_kick_relay)
    return tx


def replay_takes_over(tx: ChainTransaction | None) -> bool:
    """In a chain-reset replay: must the replay write this entry's call again on the new network?

    Yes when nothing stands for it on the active network: no entry, a failed one, one of an older
    network, or one still pending (made while the replay runs). A pending one is superseded here
    (failed as `chain_reset`, no alert) so that it is never sent; the replay's entry replaces it, and
    whatever depended on it waits for the replacement. No when the relay already signed it on the
    active network: it stands, and writing it again would be a duplicate.
    """
    if tx is None or tx.status == ChainTransaction.Status.FAILED:
        return True
    if tx.status == ChainTransaction.Status.PENDING:
        # Conditional: the relay locks the rows it signs, so exactly one of the two wins.
        superseded = ChainTransaction.objects.filter(pk=tx.pk, status=ChainTransaction.Status.PENDING).update(
            status=ChainTransaction.Status.FAILED, error_code=ChainTransaction.LOST_IN_RESET,
            error_message="Superseded by the replay after a chain reset.", updated_at=timezone.now())
        if superseded:
            tx.status = ChainTransaction.Status.FAILED
            return True
        tx.refresh_from_db()
    active = network_active()
    return active is None or tx.network_id != active.pk


RELAY_KICK_KEY = "chain:relay-kick-pending"


def _kick_relay() -> None:
    """Wake the relay after commit; the beat schedule sweeps anyway if the broker is down.

    At most one kick waits in the broker: the relay task clears the flag when it starts, so a commit
    after that kicks again, while a burst of commits (or a worker that was down) does not pile up
    hundreds of identical relay runs in front of the other tasks of the queue.
    """
    try:
        from django.core.cache import cache

        if not cache.add(RELAY_KICK_KEY, 1, timeout=30):
            return
    except Exception:  # noqa: BLE001 - without the cache, kick anyway
        pass
    try:
        from celery import current_app

        current_app.send_task(RELAY_TASK_NAME, ignore_result=True, retry=False)
    except Exception:  # noqa: BLE001 - the periodic sweep will pick the row up
        pass


def chain_block(tx: ChainTransaction | None) -> dict[str, Any] | None:
    """The `chain` object of API.md for a business object's latest chain write."""
    if tx is None:
        return None
    return {"status": tx.api_status, "tx_hash": tx.tx_hash, "block_number": tx.block_number}
