"""Reads our contracts' events into the database.

A cursor per network; logs are read in chunks; the last few blocks are read
again each time (a short reorg changes nothing: rows are keyed by tx hash and
log index and inserted with ON CONFLICT DO NOTHING).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import transaction
from eth_utils import event_abi_to_log_topic
from hexbytes import HexBytes
from web3 import Web3
from web3._utils.events import get_event_data

from chain import client
from chain.models import ChainEvent, ChainNetwork, IndexerCursor
from chain.relay import active_network_for


@lru_cache(maxsize=1)
def _event_abis() -> dict[bytes, tuple[str, dict[str, Any]]]:
    table = {}
    for name in client.CONTRACT_NAMES:
        for entry in client.abi(name):
            if entry.get("type") == "event":
                table[bytes(event_abi_to_log_topic(entry))] = (name, entry)
    return table


def _jsonable(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, HexBytes)):
        return "0x" + bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, int) and abs(value) > 2**53:
        return str(value)
    return value


def index_run(*, w3: Web3 | None = None, network: ChainNetwork | None = None) -> int:
    """Read new logs of our contracts; returns how many new events were stored."""
    w3 = w3 or client.web3()
    network = network or active_network_for(w3)
    addresses = {d.address.lower(): d.name for d in network.deployments.all()}
    if not addresses:
        return 0
    cursor, _ = IndexerCursor.objects.get_or_create(network=network)
    head = w3.eth.block_number
    start = max(0, cursor.last_block - settings.CHAIN_INDEXER_REREAD_BLOCKS + 1)
    chunk = settings.CHAIN_INDEXER_CHUNK_BLOCKS
    stored = 0
    abis = _event_abis()
    for from_block in range(start, head + 1, chunk):
        to_block = min(head, from_block + chunk - 1)
        logs = w3.eth.get_logs(
            {
                "fromBlock": from_block,
                "toBlock": to_block,
                "address": [Web3.to_checksum_address(a) for a in addresses],
            }
        )
        rows = []
        for log in logs:
            topic0 = bytes(log["topics"][0]) if log["topics"] else b""
            known = abis.get(topic0)
            if known is None:
                continue
            contract_name, event_abi = known
            decoded = get_event_data(w3.codec, event_abi, log)
            rows.append(
                ChainEvent(
                    network=network,
                    block_number=log["blockNumber"],
                    block_hash=log["blockHash"].to_0x_hex(),
                    tx_hash=log["transactionHash"].to_0x_hex(),
                    log_index=log["logIndex"],
                    contract=contract_name,
                    address=log["address"],
                    event=decoded["event"],
                    args={k: _jsonable(v) for k, v in decoded["args"].items()},
                )
            )
        with transaction.atomic():
            if rows:
                before = ChainEvent.objects.filter(network=network).count()
                ChainEvent.objects.bulk_create(rows, ignore_conflicts=True)
                stored += ChainEvent.objects.filter(network=network).count() - before
            IndexerCursor.objects.filter(pk=cursor.pk).update(last_block=to_block)
        cursor.last_block = to_block
    return stored
