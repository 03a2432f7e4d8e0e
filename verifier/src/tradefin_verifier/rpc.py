"""Reading the AuditAnchor contract over plain Ethereum JSON-RPC (standard library only).

The ABI pieces are fixed by the contract and written out here so that no Keccak library is needed;
the verifier's tests check them against the compiled ABI.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Sequence

from .checker import AnchoredBatch, AnchorsUnreadable

# keccak256("BatchAnchored(uint256,bytes32)"): (batchKey = firstSeq << 64 | lastSeq, root), no indexed topic.
BATCH_ANCHORED_TOPIC = "0x918963b929ee333a4459d3fc1e5818538256af8fbbe3a8ca2aa9feb79491a9ae"
SEQ_MASK = (1 << 64) - 1
SELECTORS = {
    "nextSeq()": "fb6320d0",
    "rootOf(uint64,uint64)": "cbbb5959",
    "verifyInclusion(uint64,uint64,uint256,bytes32,bytes32[])": "d4988a3c",
}


class RpcError(Exception):
    """The node could not be reached or refused a call."""


@dataclass
class Node:
    url: str
    timeout: float = 15.0
    _id: int = 0

    def call(self, method: str, params: list[Any]) -> Any:
        self._id += 1
        body = json.dumps({"jsonrpc": "2.0", "id": self._id, "method": method, "params": params}).encode()
        request = urllib.request.Request(self.url, data=body, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read())
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise RpcError(f"{method} at {self.url}: {exc}") from exc
        if answer.get("error"):
            raise RpcError(f"{method}: {answer['error'].get('message', answer['error'])}")
        return answer["result"]

    def chain_id(self) -> int:
        return int(self.call("eth_chainId", []), 16)

    def block_number(self) -> int:
        return int(self.call("eth_blockNumber", []), 16)

    def genesis_hash(self) -> str:
        return self.call("eth_getBlockByNumber", ["0x0", False])["hash"]

    def has_code(self, address: str, block: int) -> bool:
        code = self.call("eth_getCode", [address, hex(block)])
        return code not in ("0x", "0x0", "", None)

    def eth_call(self, address: str, data: str, block: int) -> bytes:
        return bytes.fromhex(self.call("eth_call", [{"to": address, "data": data}, hex(block)])[2:])


def _word(value: int | bytes) -> str:
    if isinstance(value, bytes):
        return value.rjust(32, b"\0").hex()
    return value.to_bytes(32, "big").hex()


def next_seq(node: Node, address: str, block: int) -> int:
    return int.from_bytes(node.eth_call(address, "0x" + SELECTORS["nextSeq()"], block), "big")


def root_of(node: Node, address: str, first_seq: int, last_seq: int, block: int) -> str:
    data = "0x" + SELECTORS["rootOf(uint64,uint64)"] + _word(first_seq) + _word(last_seq)
    return node.eth_call(address, data, block).hex()


def verify_inclusion_on_chain(node: Node, address: str, *, first_seq: int, last_seq: int, leaf_index: int,
                              entry_hash: bytes, audit_path: Sequence[bytes], block: int) -> bool:
    """The contract's own check of an inclusion proof (its `verifyInclusion` view)."""
    head = [_word(first_seq), _word(last_seq), _word(leaf_index), _word(entry_hash), _word(5 * 32)]
    tail = [_word(len(audit_path)), *(_word(p) for p in audit_path)]
    data = "0x" + SELECTORS["verifyInclusion(uint64,uint64,uint256,bytes32,bytes32[])"] + "".join(head + tail)
    return int.from_bytes(node.eth_call(address, data, block), "big") == 1


def read_anchors(node: Node, address: str, *, from_block: int, to_block: int, chunk: int = 10_000) -> list[AnchoredBatch]:
    """Every batch the contract anchored up to `to_block`, from its BatchAnchored events, cross-checked
    with its `nextSeq()` at that block (so a log reading that missed events is noticed)."""
    anchors: list[AnchoredBatch] = []
    start = from_block
    while start <= to_block:
        end = min(to_block, start + chunk - 1)
        logs = node.call("eth_getLogs", [{"address": address, "fromBlock": hex(start), "toBlock": hex(end),
                                          "topics": [BATCH_ANCHORED_TOPIC]}])
        for log in logs:
            if log.get("removed"):
                continue
            data = bytes.fromhex(log["data"][2:])
            if len(data) != 64 or len(log["topics"]) != 1:
                raise AnchorsUnreadable(f"Malformed BatchAnchored log in transaction {log.get('transactionHash')}.")
            key = int.from_bytes(data[0:32], "big")
            if key >> 128:
                raise AnchorsUnreadable(f"Malformed batch key in transaction {log.get('transactionHash')}.")
            anchors.append(AnchoredBatch(first_seq=key >> 64, last_seq=key & SEQ_MASK, root=data[32:64].hex()))
        start = end + 1
    # Batches tile 1..nextSeq()-1 (the checker insists); a gap or overlap here is a reading problem.
    anchors.sort(key=lambda batch: batch.first_seq)
    expected_next = anchors[-1].last_seq + 1 if anchors else 1
    actual_next = next_seq(node, address, to_block)
    if actual_next != expected_next:
        raise AnchorsUnreadable(
            f"The events read end at seq {expected_next - 1} but the contract's nextSeq() is {actual_next}: "
            "start reading at an earlier block (--from-block)."
        )
    return anchors
