"""Anchoring audit batches on the real AuditAnchor contract (Anvil), proofs, forged proofs, roles, gas."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from web3 import Web3

from tradefin_verifier.merkle import inclusion_path, leaf_hash, tree_hash, verify_inclusion
from audit.models import AuditBatch, AuditEvent
from audit.services import audit_batch_close
from audit.tests.support import anchor_contract, anchor_everything, append_events, run_verifier
from chain import client
from chain.models import ChainTransaction
from chain.relay import relay_run
from chain.services import chain_call_enqueue, platform_account
from oversight.models import Alert
from tests.support.factories import auth, make_org, user_of

pytestmark = [pytest.mark.django_db, pytest.mark.chain]


def hb(hex_str: str) -> bytes:
    return bytes.fromhex(hex_str.removeprefix("0x"))


def test_a_batch_closes_at_the_size_limit_or_once_its_oldest_event_is_old_enough(chain, settings):
    settings.AUDIT_BATCH_MAX_EVENTS = 5
    settings.AUDIT_BATCH_MAX_SECONDS = 3.0
    now = timezone.now()
    append_events(3)
    assert AuditEvent.objects.count() == 3
    assert audit_batch_close(now=now) is None  # three young events: not full, not old
    first = audit_batch_close(now=now + timedelta(seconds=10))  # the oldest has now waited long enough
    assert (first.first_seq, first.last_seq) == (1, 3)
    append_events(12)
    full = [audit_batch_close(now=now) for _ in range(3)]
    assert [b.last_seq - b.first_seq + 1 if b else None for b in full] == [5, 5, None]  # 2 left: young, not full
    batches = list(AuditBatch.objects.order_by("first_seq"))
    assert batches[0].first_seq == 1
    assert all(b.first_seq == a.last_seq + 1 for a, b in zip(batches, batches[1:]))  # contiguous, no overlap
    for batch in batches:
        entries = AuditEvent.objects.filter(batch=batch).order_by("seq").values_list("entry_hash", flat=True)
        assert len(entries) == batch.last_seq - batch.first_seq + 1
        assert batch.root == tree_hash([bytes.fromhex(e) for e in entries]).hex()
        assert batch.chain_tx.contract == "AuditAnchor" and batch.chain_tx.function == "anchor"
        assert batch.chain_tx.args == [batch.first_seq, batch.last_seq, "0x" + batch.root]
    assert AuditEvent.objects.filter(batch__isnull=True).count() == 2


def test_anchored_roots_are_on_chain_and_every_proof_checks_off_and_on_chain(api, chain):
    regulator = make_org("regulator")
    append_events(17)
    batches = anchor_everything(max_events=7)
    total = AuditEvent.objects.count()
    assert [b.last_seq for b in batches][-1] == total
    contract = anchor_contract()
    assert contract.functions.nextSeq().call() == total + 1
    assert contract.functions.batchCount().call() == len(batches)
    logs = contract.events.BatchAnchored().get_logs(from_block=0)
    assert [(log["args"]["batchKey"] >> 64, log["args"]["batchKey"] & (2**64 - 1), bytes(log["args"]["root"]).hex()) for log in logs] == [
        (b.first_seq, b.last_seq, b.root) for b in batches
    ]

    auth(api, user_of(regulator))
    for event in AuditEvent.objects.order_by("seq"):
        response = api.get(f"/api/audit/events/{event.seq}/proof/")
        assert response.status_code == 200, response.json()
        proof = response.json()
        batch = event.batch
        batch.chain_tx.refresh_from_db()
        assert proof["anchor"] == {
            "contract": contract.address, "chain_id": 31337, "tx_hash": batch.chain_tx.tx_hash,
            "block_number": batch.chain_tx.block_number, "first_seq": batch.first_seq, "last_seq": batch.last_seq,
        }
        assert proof["leaf_index"] == event.seq - batch.first_seq
        assert proof["tree_size"] == batch.last_seq - batch.first_seq + 1
        assert proof["entry_hash"] == event.entry_hash and proof["root"] == batch.root
        path = [hb(p) for p in proof["audit_path"]]
        assert verify_inclusion(proof["leaf_index"], proof["tree_size"], hb(event.entry_hash), path, hb(proof["root"]))
        assert contract.functions.verifyInclusion(
            batch.first_seq, batch.last_seq, proof["leaf_index"], hb(event.entry_hash), path
        ).call()
        listed = api.get(f"/api/audit/events/{event.seq}/").json()
        assert listed["anchoring"]["state"] == "anchored"
        assert listed["anchoring"]["chain"]["status"] == "confirmed"


def _forgeries(first: int, last: int, index: int, entry: bytes, path: list[bytes], other_entry: bytes):
    size = last - first + 1
    for level in range(len(path)):
        wrong = bytearray(path[level])
        wrong[0] ^= 0x01
        yield f"wrong sibling at level {level}", first, last, index, entry, [*path[:level], bytes(wrong), *path[level + 1:]]
    yield "wrong index (+1)", first, last, (index + 1) % size, entry, path
    yield "wrong index (^2)", first, last, index ^ 2, entry, path
    yield "wrong tree size (one more)", first, last + 1, index, entry, path
    yield "wrong tree size (one less)", first, last - 1, index, entry, path
    yield "wrong tree size (double)", first, first + 2 * size - 1, index, entry, path
    yield "truncated path", first, last, index, entry, path[:-1]
    yield "path with an extra element", first, last, index, entry, [*path, path[-1]]
    yield "another entry", first, last, index, other_entry, path
    yield "leaf hash instead of entry", first, last, index, leaf_hash(entry), path


def _proof_file(tmp_path, name, *, contract, first, last, index, entry, path, root) -> str:
    proof = {"leaf_index": index, "tree_size": last - first + 1, "entry_hash": entry.hex(),
             "audit_path": [p.hex() for p in path], "root": root,
             "anchor": {"contract": contract, "first_seq": first, "last_seq": last}}
    target = tmp_path / f"{name}.json"
    target.write_text(json.dumps(proof))
    return str(target)


def test_forged_proofs_are_rejected_by_the_contract_view_and_off_chain(chain, tmp_path, settings):
    append_events(13)
    (batch,) = anchor_everything(max_events=64)
    entries = [hb(e) for e in AuditEvent.objects.filter(batch=batch).order_by("seq").values_list("entry_hash", flat=True)]
    contract = anchor_contract()
    # What an off-chain verifier trusts: the root the chain holds for (first_seq, last_seq); none for any other range.
    anchored = {(batch.first_seq, batch.last_seq): hb(batch.root)}
    checked = 0
    for index in (0, 5, 11, 12):
        path = inclusion_path(entries, index)
        assert contract.functions.verifyInclusion(batch.first_seq, batch.last_seq, index, entries[index], path).call()
        for desc, first, last, i, entry, forged in _forgeries(batch.first_seq, batch.last_seq, index, entries[index], path,
                                                            entries[(index + 1) % len(entries)]):
            on_chain = contract.functions.verifyInclusion(first, last, i, entry, forged).call()
            root = anchored.get((first, last))
            off_chain = root is not None and verify_inclusion(i, last - first + 1, entry, forged, root)
            assert (desc, on_chain, off_chain) == (desc, False, False)
            checked += 1
    assert checked > 40

    # The same through the standalone verifier, which asks the chain for the root and runs the contract's view.
    index = 5
    path = inclusion_path(entries, index)
    common = {"contract": contract.address, "root": batch.root}
    genuine = _proof_file(tmp_path, "genuine", first=batch.first_seq, last=batch.last_seq, index=index,
                          entry=entries[index], path=path, **common)
    code, result = run_verifier("proof", genuine, "--rpc-url", settings.CHAIN_RPC_URL)
    assert (code, result["ok"], result["contract_accepts"]) == (0, True, True)
    for n, (desc, first, last, i, entry, forged) in enumerate(
        _forgeries(batch.first_seq, batch.last_seq, index, entries[index], path, entries[index + 1])
    ):
        proof = _proof_file(tmp_path, f"forged{n}", first=first, last=last, index=i, entry=entry, path=forged, **common)
        code, result = run_verifier("proof", proof, "--rpc-url", settings.CHAIN_RPC_URL)
        assert (desc, code, result["ok"], result["contract_accepts"]) == (desc, 1, False, False), result


def test_the_proof_is_404_until_the_event_is_anchored_and_for_events_you_cannot_see(api, chain):
    regulator, exporter = make_org("regulator"), make_org("exporter")
    event = append_events(1, visible_to=[exporter.pk])[0]
    auth(api, user_of(regulator))
    response = api.get(f"/api/audit/events/{event.seq}/proof/")
    assert (response.status_code, response.json()["code"], response.json()["details"]["anchoring"]) == (404, "not_anchored", "unbatched")
    audit_batch_close(max_events=1000, max_seconds=0)
    response = api.get(f"/api/audit/events/{event.seq}/proof/")
    assert (response.status_code, response.json()["details"]["anchoring"]) == (404, "pending")  # closed, not yet on chain
    relay_run()
    assert api.get(f"/api/audit/events/{event.seq}/proof/").status_code == 200
    assert auth(api, user_of(exporter)).get(f"/api/audit/events/{event.seq}/proof/").status_code == 200
    other = make_org("exporter")
    response = auth(api, user_of(other)).get(f"/api/audit/events/{event.seq}/proof/")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert api.get("/api/audit/events/99999999/proof/").status_code == 404


def test_the_contract_refuses_an_overlapping_batch_and_a_caller_without_the_anchoring_role(chain, settings):
    append_events(4)
    anchor_everything(max_events=10)
    total = AuditEvent.objects.count()
    with transaction.atomic():
        replay = chain_call_enqueue(signer=platform_account(), contract="AuditAnchor", function="anchor",
                                    args=[1, total, "0x" + "11" * 32], subject_type="audit_batch", subject_id="x")
    relay_run()
    replay.refresh_from_db()
    assert (replay.status, replay.error_code) == (ChainTransaction.Status.FAILED, "NonContiguousBatch")
    assert Alert.objects.filter(kind="chain_write_failed", subject_id="x").exists()

    w3 = client.web3()
    outsider = w3.eth.account.create()
    w3.provider.make_request("anvil_setBalance", [outsider.address, hex(10**18)])
    contract = anchor_contract(w3)
    call = contract.functions.anchor(total + 1, total + 1, b"\x22" * 32)
    tx = call.build_transaction({"from": outsider.address, "nonce": 0, "gas": 200_000, "chainId": w3.eth.chain_id,
                                 "maxFeePerGas": 10**10, "maxPriorityFeePerGas": 10**9})
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(outsider.sign_transaction(tx).raw_transaction))
    assert receipt["status"] == 0
    assert contract.functions.nextSeq().call() == total + 1


def test_a_gap_in_the_log_stops_anchoring_before_it_and_raises_an_alert(chain):
    from django.db import connection

    append_events(6)
    audit_batch_close(max_events=3, max_seconds=0)  # 1..3
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 5")
    assert audit_batch_close(max_events=3, max_seconds=0).last_seq == 4  # stops before the hole
    assert audit_batch_close(max_events=3, max_seconds=0) is None
    alert = Alert.objects.get(kind="audit_anchoring_blocked")
    assert alert.data == {"missing_seq": 5, "next_seq": 6}
    assert audit_batch_close(max_events=3, max_seconds=0) is None
    assert Alert.objects.filter(kind="audit_anchoring_blocked").count() == 1  # one open alert, not one per attempt


def test_a_stalled_anchoring_raises_one_alert_until_the_log_is_anchored(chain, settings):
    from audit.services import audit_anchoring_watch
    from workers.celery_app import app

    settings.AUDIT_ANCHOR_STALL_SECONDS = 300
    append_events(4)
    now = timezone.now()
    assert audit_anchoring_watch(now=now) is None  # young events: anchoring may still catch up
    AuditEvent.objects.update(created_at=now - timedelta(minutes=10))
    alert = audit_anchoring_watch(now=now)
    assert alert is not None and alert.kind == "audit_anchoring_stalled" and alert.severity == "high"
    assert alert.data["first_seq"] == 1 and alert.data["batched"] is False
    assert alert.data["waited_seconds"] >= 600
    assert audit_anchoring_watch(now=now).pk == alert.pk  # one open alert, not one per check
    assert Alert.objects.filter(kind="audit_anchoring_stalled").count() == 1

    # Batched but the anchor not confirmed (nothing relays it): still stalled, from the batch's start.
    audit_batch_close(max_events=10, max_seconds=0)
    AuditBatch.objects.update(created_at=now - timedelta(minutes=10))
    from oversight.services import alert_acknowledge

    alert_acknowledge(alert=alert, user=user_of(make_org("regulator")))  # seen: the next check raises anew
    second = audit_anchoring_watch(now=now)
    assert second is not None and second.pk != alert.pk
    assert second.data["first_seq"] == 1 and second.data["batched"] is True

    # Anchored on chain (the acknowledgement is an event too): nothing waits, no alert.
    anchor_everything(max_events=10)
    assert AuditBatch.objects.exclude(chain_tx__status=ChainTransaction.Status.CONFIRMED).count() == 0
    assert audit_anchoring_watch(now=now + timedelta(hours=1)) is None
    # The watch runs on the default queue: a worker that does not consume `audit` still runs it.
    assert app.amqp.router.route({}, "oversight.watch_anchoring")["queue"].name == "celery"


def test_the_database_refuses_overlapping_batches(chain):
    from django.db import IntegrityError

    append_events(4)
    audit_batch_close(max_events=4, max_seconds=0)
    with pytest.raises(IntegrityError, match="audit_auditbatch_no_overlap"), transaction.atomic():
        AuditBatch.objects.create(first_seq=3, last_seq=6, root="ab" * 32)


GAS_BATCH_SIZES = (1, 16, 256, 1024)


def test_gas_per_event_falls_as_batches_grow(chain, capsys):
    """One anchor() per batch costs about the same whatever the batch size, so per event it falls as 1/n."""
    figures = []
    for size in GAS_BATCH_SIZES:
        append_events(size)
        (batch,) = anchor_everything(max_events=size)
        batch.chain_tx.refresh_from_db()
        assert batch.last_seq - batch.first_seq + 1 == size
        figures.append((size, batch.chain_tx.gas_used))
    per_event = [gas / size for size, gas in figures]
    assert all(a > b for a, b in zip(per_event, per_event[1:]))
    # The transaction's gas hardly depends on the size (only calldata bytes of the seq numbers vary).
    gases = [gas for _, gas in figures]
    assert max(gases) - min(gases) < 500 and max(gases) < 60_000
    with capsys.disabled():
        print("\nAuditAnchor.anchor() gas (whole transaction, receipt gasUsed):")
        for (size, gas), each in zip(figures, per_event):
            print(f"  batch of {size:>5} events: {gas:>6} gas  = {each:>9.1f} gas/event")
