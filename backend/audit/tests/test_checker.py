"""The checker that the platform and the standalone verifier share, on logs built in memory."""

from __future__ import annotations

import copy

import pytest

from tradefin_verifier.checker import AnchoredBatch, AnchorsUnreadable, check_log
from tradefin_verifier.hashing import GENESIS_PREV_HASH, entry_hash, payload_hash
from tradefin_verifier.merkle import tree_hash



def build_log(n: int) -> list[dict]:
    records, prev = [], GENESIS_PREV_HASH
    for seq in range(1, n + 1):
        payload = {"type": "test.event", "data": {"n": seq, "text": f"événement {seq}"}, "object": {"type": "t", "id": str(seq)}}
        p_hash = payload_hash(payload)
        e_hash = entry_hash(prev, p_hash)
        records.append({"seq": seq, "payload": payload, "payload_hash": p_hash, "prev_hash": prev, "entry_hash": e_hash,
                        "batch": None})
        prev = e_hash
    return records


def anchor(records: list[dict], bounds: list[tuple[int, int]]) -> list[AnchoredBatch]:
    batches = []
    for first, last in bounds:
        root = tree_hash([bytes.fromhex(r["entry_hash"]) for r in records[first - 1:last]]).hex()
        batches.append(AnchoredBatch(first, last, root))
        for r in records[first - 1:last]:
            r["batch"] = {"first_seq": first, "last_seq": last, "root": root, "confirmed": True}
    return batches


BOUNDS = [(1, 4), (5, 9), (10, 10), (11, 16)]


@pytest.fixture
def log():
    records = build_log(20)
    return records, anchor(records, BOUNDS)


def rewrite(record: dict, payload: dict) -> None:
    """A consistent rewrite of one record: new payload, payload hash and entry hash."""
    record["payload"] = payload
    record["payload_hash"] = payload_hash(payload)
    record["entry_hash"] = entry_hash(record["prev_hash"], record["payload_hash"])


def test_an_intact_log_verifies_through_the_last_anchored_batch(log):
    records, anchors = log
    report = check_log(records, anchors)
    assert report.ok and report.first_bad_seq is None
    assert (report.verified_through_seq, report.last_seq, report.unanchored_from_seq) == (16, 20, 17)
    assert (report.batches_verified, report.batches_on_chain, report.events_checked) == (4, 4, 20)


def test_a_fully_anchored_log_has_no_unanchored_tail():
    records = build_log(9)
    report = check_log(records, anchor(records, [(1, 9)]))
    assert report.ok and report.unanchored_from_seq is None and report.verified_through_seq == 9


@pytest.mark.parametrize("seq", [1, 3, 4, 5, 10, 16, 17, 20])
def test_an_edited_payload_is_named(log, seq):
    records, anchors = log
    records[seq - 1]["payload"]["data"]["n"] = 999
    report = check_log(records, anchors)
    assert (report.ok, report.first_bad_seq, report.reason) == (False, seq, "payload_hash_mismatch")


@pytest.mark.parametrize("seq", [1, 2, 4, 5, 9, 10, 11, 16])
def test_a_consistently_rewritten_entry_is_named_through_its_successor_and_the_anchor(log, seq):
    records, anchors = log
    rewrite(records[seq - 1], {"forged": True})
    report = check_log(records, anchors)
    assert (report.first_bad_seq, report.reason) == (seq, "entry_rewritten")


def test_past_the_anchors_a_rewrite_shows_as_a_broken_link_after_it(log):
    # No root to settle it: the link into seq 19 is broken, and the message says either side may be at fault.
    records, anchors = log
    rewrite(records[17], {"forged": True})
    report = check_log(records, anchors)
    assert (report.first_bad_seq, report.reason) == (19, "broken_chain_link")
    assert "seq 18 rewritten" in report.message


def test_a_rewrite_of_the_last_event_in_the_tail_is_invisible_without_an_anchor(log):
    # Nothing witnesses the tail's last entry: exactly why batches must close quickly.
    records, anchors = log
    rewrite(records[-1], {"forged": True})
    assert check_log(records, anchors).ok


def test_a_rewrite_that_recomputes_every_later_hash_is_narrowed_to_its_batch(log):
    records, anchors = log
    rewrite(records[6], {"forged": True})  # seq 7, in batch 5..9
    for r in records[7:]:
        r["prev_hash"] = records[r["seq"] - 2]["entry_hash"]
        r["entry_hash"] = entry_hash(r["prev_hash"], r["payload_hash"])
    report = check_log(records, anchors)
    assert (report.first_bad_seq, report.reason, report.verified_through_seq) == (5, "root_mismatch", 4)


@pytest.mark.parametrize("seq", [1, 4, 7, 10, 16, 17, 20])
def test_a_deleted_row_is_named(log, seq):
    records, anchors = log
    del records[seq - 1]
    report = check_log(records, anchors, head_seq=20)
    assert (report.first_bad_seq, report.reason) == (seq, "missing_event")


@pytest.mark.parametrize("i,j", [(2, 3), (3, 8), (6, 7), (9, 14), (1, 20), (17, 19)])
def test_swapped_rows_are_named_at_the_first_of_the_two(log, i, j):
    records, anchors = log
    a, b = records[i - 1], records[j - 1]
    for key in ("payload", "payload_hash", "prev_hash", "entry_hash"):
        a[key], b[key] = b[key], a[key]
    report = check_log(records, anchors)
    assert report.first_bad_seq == i
    assert report.reason == "broken_chain_link"


def test_reordered_lines_are_named(log):
    records, anchors = log
    records[5], records[6] = records[6], records[5]  # seq 7 comes before seq 6
    report = check_log(records, anchors)
    assert (report.first_bad_seq, report.reason) == (6, "missing_event")


def test_a_duplicated_line_is_named(log):
    records, anchors = log
    records.insert(8, copy.deepcopy(records[7]))  # seq 8 twice
    report = check_log(records, anchors)
    assert (report.first_bad_seq, report.reason) == (9, "out_of_order")


def test_a_changed_stored_root_is_named_at_its_batch(log):
    records, anchors = log
    for r in records[4:9]:
        r["batch"] = {**r["batch"], "root": "ab" * 32}
    report = check_log(records, anchors)
    assert (report.first_bad_seq, report.reason, report.verified_through_seq) == (5, "stored_root_mismatch", 4)


def test_a_changed_entry_hash_is_named(log):
    records, anchors = log
    records[11]["entry_hash"] = "cd" * 32
    report = check_log(records, anchors)
    assert (report.first_bad_seq, report.reason) == (12, "entry_hash_mismatch")


def test_stated_batch_boundaries_must_match_the_chain(log):
    records, anchors = log
    records[12]["batch"] = {**records[12]["batch"], "first_seq": 12}
    report = check_log(records, anchors)
    assert (report.first_bad_seq, report.reason) == (13, "batch_boundary_mismatch")


def test_an_event_the_log_leaves_unbatched_but_the_chain_anchors_is_bad(log):
    records, anchors = log
    records[2]["batch"] = None
    assert (check_log(records, anchors).first_bad_seq, check_log(records, anchors).reason) == (3, "batch_boundary_mismatch")


def test_a_batch_recorded_as_confirmed_but_absent_on_chain_is_bad(log):
    records, anchors = log
    for r in records[16:20]:
        r["batch"] = {"first_seq": 17, "last_seq": 20, "root": "ef" * 32, "confirmed": True}
    report = check_log(records, anchors)
    assert (report.first_bad_seq, report.reason) == (17, "batch_missing_on_chain")
    for r in records[16:20]:
        r["batch"]["confirmed"] = False  # still pending: not bad, just not anchored yet
    assert check_log(records, anchors).ok


def test_a_log_shorter_than_its_anchors_is_bad(log):
    records, anchors = log
    report = check_log(records[:13], anchors)
    assert (report.first_bad_seq, report.reason) == (14, "missing_event")


def test_a_lost_tail_is_bad_when_the_head_says_so(log):
    records, anchors = log
    assert check_log(records[:18], anchors, head_seq=18).ok
    report = check_log(records[:18], anchors, head_seq=20)
    assert (report.first_bad_seq, report.reason) == (19, "missing_event")


def test_garbage_records_are_named_not_crashed_on(log):
    records, anchors = log
    records[3] = {"invalid_line": 4}
    assert (check_log(records, anchors).first_bad_seq, check_log(records, anchors).reason) == (4, "invalid_record")
    records[3] = {"seq": 4, "payload": [1.5], "prev_hash": "00", "entry_hash": "zz"}
    assert check_log(records, anchors).reason == "invalid_record"


def test_anchors_that_do_not_tile_the_log_are_a_reading_error_not_a_verdict(log):
    records, anchors = log
    with pytest.raises(AnchorsUnreadable):
        check_log(records, [anchors[0], anchors[2]])
    with pytest.raises(AnchorsUnreadable):
        check_log(records, [AnchoredBatch(2, 4, anchors[0].root)])


def test_an_empty_log_with_no_anchors_is_fine_and_with_anchors_is_not():
    assert check_log([], []).ok
    report = check_log([], [AnchoredBatch(1, 1, "aa" * 32)])
    assert (report.first_bad_seq, report.reason) == (1, "missing_event")
