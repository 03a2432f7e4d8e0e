"""Checking an audit log against the batches anchored on chain: the one algorithm that both the
platform (`GET /api/audit/verification/`) and the standalone verifier run.

Pure Python, no Django: the platform imports it from this package, which installs and runs without it.

Inputs: the log's records in `seq` order, and the batches the anchor contract holds, which are the
authority (their boundaries and roots come from the chain, never from the log). Each record is a
mapping with `seq`, `payload`, `payload_hash` (optional: recomputed anyway), `prev_hash`,
`entry_hash` and `batch`: what the log claims about its anchoring, `None` or
`{"first_seq", "last_seq", "root", "confirmed"}` where `confirmed` means "anchored on the contract
being checked" (the caller decides that from the platform's records or the export).

What is checked, and who is blamed:
- every `seq` follows the previous one (a gap blames the missing seq);
- every payload hashes to its `payload_hash`, every `entry_hash` is SHA-256(prev_hash || payload_hash),
  and every `prev_hash` is the previous entry's hash (the first one is 32 zero bytes);
- every anchored batch's RFC 9162 root, recomputed from the log's entry hashes, is the root on chain;
- what the log says about its batches (boundaries, stored root, "confirmed") agrees with the chain.

A broken link between seq s-1 and s is ambiguous on its own: s-1 may have been rewritten (s still
carries the old hash) or s replaced. The anchored root decides: if putting the hash s is chained to
back in place of s-1's entry hash reproduces the anchored root, s-1 was rewritten; otherwise s is
the first bad seq. A rewrite that recomputes every later hash leaves no such witness: the chain then
narrows it down to the first batch whose root differs, and `first_bad_seq` is that batch's first seq.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Iterator, Mapping, Sequence

from .hashing import GENESIS_PREV_HASH, entry_hash, payload_hash
from .merkle import tree_hash

_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class AnchoredBatch:
    """A batch as the anchor contract holds it: `first_seq..last_seq` (inclusive) under `root` (hex)."""

    first_seq: int
    last_seq: int
    root: str


class AnchorsUnreadable(Exception):
    """The anchors read from the chain do not tile 1..n: the reading is incomplete, not the log bad."""


@dataclass
class Report:
    ok: bool = True
    first_bad_seq: int | None = None
    reason: str | None = None
    message: str = ""
    last_seq: int = 0
    verified_through_seq: int = 0
    anchored_through_seq: int = 0
    unanchored_from_seq: int | None = None
    events_checked: int = 0
    batches_verified: int = 0
    batches_on_chain: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(order=True)
class _Blame:
    seq: int
    rank: int  # among blames of the same seq, the more specific reason wins
    reason: str = field(compare=False)
    message: str = field(compare=False)


@dataclass
class _Row:
    seq: int
    prev_hash: str
    entry_hash: str
    claim: Mapping[str, Any] | None


class _Records:
    """The log's records, one at a time, with one record of lookahead and local checks applied."""

    def __init__(self, events: Iterable[Mapping[str, Any]]):
        self._it: Iterator[Mapping[str, Any]] = iter(events)
        self._peeked: Mapping[str, Any] | None = None
        self._done = False

    def peek(self) -> Mapping[str, Any] | None:
        if self._peeked is None and not self._done:
            try:
                self._peeked = next(self._it)
            except StopIteration:
                self._done = True
        return self._peeked

    def take(self) -> Mapping[str, Any] | None:
        record = self.peek()
        self._peeked = None
        return record


def _is_hash(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and set(value) <= _HEX


def _local_blame(record: Mapping[str, Any], expected_seq: int) -> tuple[_Row | None, _Blame | None]:
    """Parse one record and check what it can show on its own: its seq, payload hash and entry hash."""
    seq = record.get("seq") if isinstance(record, Mapping) else None
    if not isinstance(seq, int) or isinstance(seq, bool):
        return None, _Blame(expected_seq, 0, "invalid_record", f"The record where seq {expected_seq} belongs has no integer seq.")
    if seq > expected_seq:
        return None, _Blame(expected_seq, 0, "missing_event", f"Seq {expected_seq} is missing: the next record is seq {seq}.")
    if seq < expected_seq:
        return None, _Blame(expected_seq, 0, "out_of_order",
                            f"Seq {expected_seq} was expected but seq {seq} came again (duplicated or reordered).")
    prev, stated_entry = record.get("prev_hash"), record.get("entry_hash")
    if not (_is_hash(prev) and _is_hash(stated_entry)) or not isinstance(record.get("payload"), dict):
        return None, _Blame(seq, 0, "invalid_record", f"Seq {seq} lacks a payload object or well-formed hex hashes.")
    try:
        computed_payload_hash = payload_hash(record["payload"])
    except Exception as exc:  # noqa: BLE001 - anything non-canonicalizable is a bad record, not a crash
        return None, _Blame(seq, 0, "invalid_record", f"The payload of seq {seq} cannot be canonicalized: {exc}.")
    row = _Row(seq=seq, prev_hash=prev, entry_hash=stated_entry, claim=record.get("batch"))
    stated_payload_hash = record.get("payload_hash")
    if stated_payload_hash is not None and stated_payload_hash != computed_payload_hash:
        return row, _Blame(seq, 1, "payload_hash_mismatch",
                           f"The payload of seq {seq} does not hash to its payload_hash: it was changed.")
    if entry_hash(prev, computed_payload_hash) != stated_entry:
        return row, _Blame(seq, 2, "entry_hash_mismatch",
                           f"The entry_hash of seq {seq} is not SHA-256(prev_hash || SHA-256(payload)).")
    return row, None


def _claim_blame(row: _Row, batch: AnchoredBatch | None) -> _Blame | None:
    claim = row.claim
    if batch is None:
        if claim and claim.get("confirmed"):
            return _Blame(int(claim.get("first_seq", row.seq)), 4, "batch_missing_on_chain",
                          f"Seq {row.seq} is recorded as anchored in batch {claim.get('first_seq')}..{claim.get('last_seq')}, "
                          "but the anchor contract holds no such batch.")
        return None
    if not claim:
        return _Blame(row.seq, 4, "batch_boundary_mismatch",
                      f"The log puts seq {row.seq} in no batch, but the chain anchors it in {batch.first_seq}..{batch.last_seq}.")
    if (claim.get("first_seq"), claim.get("last_seq")) != (batch.first_seq, batch.last_seq):
        return _Blame(row.seq, 4, "batch_boundary_mismatch",
                      f"The log puts seq {row.seq} in batch {claim.get('first_seq')}..{claim.get('last_seq')}, "
                      f"but the chain anchors it in {batch.first_seq}..{batch.last_seq}.")
    return None


def _links(rows: Sequence[_Row], prev_entry: str) -> list[tuple[int, str]]:
    """(index in rows, the hash that row is chained to) for every broken link."""
    breaks = []
    for i, row in enumerate(rows):
        if row.prev_hash != prev_entry:
            breaks.append((i, row.prev_hash))
        prev_entry = row.entry_hash
    return breaks


def _root(entries: Sequence[str]) -> str:
    return tree_hash([bytes.fromhex(e) for e in entries]).hex()


def _link_blame(rows: Sequence[_Row], index: int, witness: str, batch: AnchoredBatch | None) -> _Blame:
    """Blame for the broken link into rows[index]: the row before it if the anchor says so, else this row."""
    seq = rows[index].seq
    if batch is not None and index > 0:
        entries = [r.entry_hash for r in rows]
        entries[index - 1] = witness
        if _root(entries) == batch.root:
            return _Blame(seq - 1, 3, "entry_rewritten",
                          f"Seq {seq - 1} was rewritten: seq {seq} is chained to another entry hash, "
                          "and that hash is the one the anchored root contains.")
    return _Blame(seq, 3, "broken_chain_link",
                  f"The prev_hash of seq {seq} is not the entry_hash of seq {seq - 1}: "
                  f"seq {seq} was replaced or moved" + ("." if seq == 1 else f" (or seq {seq - 1} rewritten)."))


def _validated(anchors: Sequence[AnchoredBatch]) -> list[AnchoredBatch]:
    ordered = sorted(anchors, key=lambda b: b.first_seq)
    expected = 1
    for batch in ordered:
        if batch.first_seq != expected or batch.last_seq < batch.first_seq or not _is_hash(batch.root):
            raise AnchorsUnreadable(
                f"The anchors read from the chain do not tile the log: expected a batch from seq {expected}, "
                f"got {batch.first_seq}..{batch.last_seq}."
            )
        expected = batch.last_seq + 1
    return ordered


def check_log(
    events: Iterable[Mapping[str, Any]],
    anchors: Sequence[AnchoredBatch],
    *,
    head_seq: int | None = None,
) -> Report:
    """Check the records against the anchors; stop at the first bad seq. `head_seq`: the log's own
    idea of its last seq, if it has one (a log that ends before it lost its tail)."""
    batches = _validated(anchors)
    report = Report(batches_on_chain=len(batches), anchored_through_seq=batches[-1].last_seq if batches else 0)
    records = _Records(events)
    expected, prev_entry = 1, GENESIS_PREV_HASH

    def fail(blame: _Blame) -> Report:
        report.ok = False
        report.first_bad_seq, report.reason, report.message = blame.seq, blame.reason, blame.message
        report.unanchored_from_seq = None
        return report

    for batch in batches:
        rows: list[_Row] = []
        blames: list[_Blame] = []
        halted = False
        while expected <= batch.last_seq:
            record = records.take()
            if record is None:
                blames.append(_Blame(expected, 5, "missing_event",
                                     f"The chain anchors seqs up to {batch.last_seq}, but the log ends at seq {expected - 1}."))
                halted = True
                break
            row, blame = _local_blame(record, expected)
            report.events_checked += 1
            if row is not None:
                rows.append(row)
                report.last_seq = row.seq
                claim_blame = _claim_blame(row, batch)
                if claim_blame:
                    blames.append(claim_blame)
            if blame is not None:
                blames.append(blame)
                if row is None:
                    halted = True
                    break
            expected += 1
        for index, witness in _links(rows, prev_entry):
            blames.append(_link_blame(rows, index, witness, None if halted else batch))
        if not halted:
            root = _root([r.entry_hash for r in rows])
            # The next record may be chained to an older version of this batch's last entry.
            following = records.peek()
            if root != batch.root and isinstance(following, Mapping) and following.get("seq") == batch.last_seq + 1:
                witness = following.get("prev_hash")
                if _is_hash(witness) and witness != rows[-1].entry_hash:
                    if _root([r.entry_hash for r in rows[:-1]] + [witness]) == batch.root:
                        blames.append(_Blame(batch.last_seq, 3, "entry_rewritten",
                                             f"Seq {batch.last_seq} was rewritten: seq {batch.last_seq + 1} is chained to "
                                             "another entry hash, and that hash is the one the anchored root contains."))
            if not blames and root != batch.root:
                blames.append(_Blame(batch.first_seq, 6, "root_mismatch",
                                     f"The entries of seqs {batch.first_seq}..{batch.last_seq} do not hash to the root "
                                     "anchored on chain: at least one of them was changed, added or removed."))
            if not blames:
                stored = {(r.claim or {}).get("root") for r in rows}
                if stored != {batch.root}:
                    blames.append(_Blame(batch.first_seq, 7, "stored_root_mismatch",
                                         f"The stored root of batch {batch.first_seq}..{batch.last_seq} is not the root "
                                         "anchored on chain (the entries themselves match the chain)."))
        if blames:
            return fail(min(blames))
        prev_entry = rows[-1].entry_hash
        report.verified_through_seq = batch.last_seq
        report.batches_verified += 1

    # Past the anchors: hash-chain checks only; these events are not anchored (yet).
    while True:
        record = records.take()
        if record is None:
            break
        row, blame = _local_blame(record, expected)
        report.events_checked += 1
        if row is None:
            return fail(blame)
        report.last_seq = row.seq
        link = _link_blame([row], 0, row.prev_hash, None) if row.prev_hash != prev_entry else None
        found = [b for b in (blame, link, _claim_blame(row, None)) if b is not None]
        if found:
            return fail(min(found))
        prev_entry = row.entry_hash
        expected += 1

    if head_seq is not None and head_seq > report.last_seq:
        return fail(_Blame(report.last_seq + 1, 5, "missing_event",
                           f"The log's head is at seq {head_seq}, but the records end at seq {report.last_seq}."))
    if report.last_seq > report.verified_through_seq:
        report.unanchored_from_seq = report.verified_through_seq + 1
    return report
