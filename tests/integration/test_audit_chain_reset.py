"""A chain reset: Anvil comes back empty. The platform notices, redeploys, re-anchors every batch
through the outbox, and the verification reports the reset and passes, without calling it tampering."""

from __future__ import annotations

import pytest
from web3 import Web3

from audit.models import AuditBatch, AuditEvent
from audit.tests.support import anchor_contract, anchor_everything, append_events, export_via_api, run_verifier
from chain import client
from chain.deploy import chain_ensure_deployed, contract_address
from chain.models import ChainTransaction
from chain.relay import relay_run
from tests.support.factories import auth, make_declaration, make_org, user_of
from tests.support.processes import Anvil, free_port

pytestmark = [pytest.mark.django_db, pytest.mark.chain]

GENESIS_TIME = 1_780_000_000


def genesis_of(url: str) -> str:
    return client.web3(url).eth.get_block(0)["hash"].to_0x_hex()


@pytest.mark.parametrize(
    "same_genesis",
    [False, True],
    ids=["new-genesis", "same-genesis-state-lost"],
)
def test_a_reset_chain_is_re_anchored_and_verification_reports_the_reset(api, settings, tmp_path, same_genesis):
    port = free_port()
    node = Anvil(port=port, extra_args=["--timestamp", str(GENESIS_TIME)], log_path=tmp_path / "anvil-1.log").start()
    try:
        settings.CHAIN_RPC_URL = node.url
        chain_ensure_deployed()
        regulator, exporter = make_org("regulator"), make_org("exporter")
        make_declaration(exporter)
        append_events(10)
        batches = anchor_everything(max_events=4)
        first_genesis, old_contract = genesis_of(node.url), contract_address("AuditAnchor")
        auth(api, user_of(regulator))
        assert api.get("/api/audit/verification/").json()["ok"] is True
        old_export = export_via_api(api, tmp_path / "before-reset.jsonl")

        node.kill()
        restart_time = GENESIS_TIME if same_genesis else GENESIS_TIME + 1000
        node = Anvil(port=port, extra_args=["--timestamp", str(restart_time)], log_path=tmp_path / "anvil-2.log").start()
        assert (genesis_of(node.url) == first_genesis) is same_genesis

        # Noticed, and not called tampering.
        noticed = api.get("/api/audit/verification/").json()
        assert (noticed["ok"], noticed["first_bad_seq"]) == (False, None)
        assert noticed["reason"] == ("anchor_contract_missing" if same_genesis else "chain_reset_detected")
        code, cli = run_verifier("log", str(old_export), "--rpc-url", node.url, "--contract", old_contract)
        assert code == 2 and "no contract code" in cli["error"] and "not evidence of tampering" in cli["error"]

        report = chain_ensure_deployed()
        assert report.reset and report.replayed["audit_batches"] == len(batches)
        waiting = api.get("/api/audit/verification/").json()  # redeployed, anchors still in the outbox
        assert waiting["ok"] is True and waiting["verified_through_seq"] == 0
        assert waiting["unanchored_from_seq"] == 1 and waiting["anchoring"]["awaiting_re_anchoring"] == len(batches)
        for _ in range(5):
            if relay_run().idle:
                break

        contract = anchor_contract()
        logs = contract.events.BatchAnchored().get_logs(from_block=0)
        assert [(log["args"]["batchKey"] >> 64, log["args"]["batchKey"] & (2**64 - 1), bytes(log["args"]["root"]).hex()) for log in logs] == [
            (b.first_seq, b.last_seq, b.root) for b in AuditBatch.objects.order_by("first_seq")
        ]
        total = AuditEvent.objects.count()
        assert contract.functions.nextSeq().call() == batches[-1].last_seq + 1 == total + 1
        for batch in AuditBatch.objects.select_related("chain_tx"):
            assert batch.chain_tx.status == ChainTransaction.Status.CONFIRMED
            assert batch.chain_tx.network.active

        after = api.get("/api/audit/verification/").json()
        assert (after["ok"], after["first_bad_seq"], after["verified_through_seq"]) == (True, None, total)
        assert after["batches_verified"] == len(batches)
        assert len(after["chain_resets"]) == 1
        reset = after["chain_resets"][0]
        assert (reset["contract"], reset["batches_anchored"], reset["genesis_hash"]) == (old_contract, len(batches), first_genesis)
        assert after["anchoring"]["re_anchored"] == len(batches) and after["anchoring"]["awaiting_re_anchoring"] == 0

        new_export = export_via_api(api, tmp_path / "after-reset.jsonl")
        new_contract = contract_address("AuditAnchor")
        code, cli = run_verifier("log", str(new_export), "--rpc-url", node.url, "--contract", new_contract)
        assert (code, cli["ok"], cli["verified_through_seq"]) == (0, True, total)
        assert Web3.is_checksum_address(new_contract)
        # Proofs now point at the new anchors.
        proof = api.get(f"/api/audit/events/{total}/proof/").json()
        assert proof["anchor"]["contract"] == new_contract
        assert proof["anchor"]["tx_hash"] == AuditBatch.objects.get(last_seq=total).chain_tx.tx_hash
    finally:
        node.kill()
