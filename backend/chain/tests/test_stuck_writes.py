"""Writes left without a receipt. One the node holds without mining is signed again for its nonce
with higher fees (a fee bump): whichever signing is mined, the call is recorded once and the entry
confirmed with that hash. One whose nonce another transaction took is signed again for a new nonce.

Each test runs its own Anvil, since it stops mining (the session's node is shared)."""

import logging
import re

import pytest
from django.db import transaction

from chain import client, keys, relay
from chain.deploy import chain_ensure_deployed
from chain.indexer import index_run
from chain.models import ChainEvent, ChainTransaction, SignerNonce
from chain.relay import relay_run
from chain.services import chain_call_enqueue, platform_account
from tests.support.processes import Anvil, free_port, wait_until

pytestmark = [pytest.mark.django_db, pytest.mark.chain]


@pytest.fixture
def node(settings, tmp_path):
    """Our contracts on a node of this test's own, which mines only when the test says so."""
    anvil = Anvil(port=free_port(), log_path=tmp_path / "anvil.log").start()
    try:
        settings.CHAIN_RPC_URL = anvil.url
        chain_ensure_deployed()
        w3 = client.web3()
        w3.anvil_log = anvil.log_path
        w3.provider.make_request("evm_setAutomine", [False])
        w3.provider.make_request("evm_setIntervalMining", [0])
        yield w3
    finally:
        anvil.kill()


def _register(*fingerprints: int) -> list[ChainTransaction]:
    with transaction.atomic():
        return [chain_call_enqueue(signer=platform_account(), contract="FinancingRegistry", function="registerDeclaration",
                                   args=["0x" + f"{f:064x}", 1000]) for f in fingerprints]


def _fresh(txs):
    return [ChainTransaction.objects.get(pk=t.pk) for t in txs]


def _pooled(w3, address: str) -> dict[int, dict]:
    """The node's pending transactions of `address`, by nonce."""
    pending = w3.provider.make_request("txpool_content", [])["result"]["pending"]
    mine = next((txs for sender, txs in pending.items() if sender.lower() == address.lower()), {})
    return {int(nonce): tx for nonce, tx in mine.items()}


def _receipt(w3, tx_hash: str):
    return w3.provider.make_request("eth_getTransactionReceipt", [tx_hash])["result"]


def _up(fee: int) -> int:
    """The documented bump, +12.5% rounded up, written apart from the relay's constants."""
    return -(-fee * 1125 // 1000)


def test_a_write_left_unmined_is_signed_again_for_its_nonce_with_higher_fees_and_recorded_once(node, settings):
    settings.CHAIN_FEE_BUMP_SECONDS = 60
    txs = _register(501, 502, 503)
    report = relay_run()
    assert (report.sent, report.confirmed) == (3, 0)
    sent = _fresh(txs)
    first = {t.pk: (t.nonce, t.tx_hash) for t in sent}
    address = platform_account().address
    pooled = _pooled(node, address)
    assert {n: p["hash"] for n, p in pooled.items()} == {t.nonce: t.tx_hash for t in sent}

    # Not yet stale: sent again unchanged.
    assert relay_run().fee_bumped == 0
    assert {t.pk: (t.nonce, t.tx_hash) for t in _fresh(txs)} == first

    settings.CHAIN_FEE_BUMP_SECONDS = 0
    report = relay_run()
    assert (report.fee_bumped, report.requeued, report.errors) == (3, 0, [])
    bumped = _fresh(txs)
    repooled = _pooled(node, address)
    for tx in bumped:
        nonce, earlier = first[tx.pk]
        assert tx.nonce == nonce and tx.tx_hash != earlier
        assert (tx.earlier_hashes, tx.attempts, tx.status) == ([earlier], 2, "sent")
        assert tx.fee_bumped_at is not None
        # The node replaced the pooled signing with the new one, at fees 12.5% higher.
        new, old = repooled[nonce], pooled[nonce]
        assert new["hash"] == tx.tx_hash
        assert int(new["maxPriorityFeePerGas"], 16) == _up(int(old["maxPriorityFeePerGas"], 16))
        assert int(new["maxFeePerGas"], 16) >= _up(int(old["maxFeePerGas"], 16))
        assert (new["input"], new["to"], new["gas"]) == (old["input"], old["to"], old["gas"])

    settings.CHAIN_FEE_BUMP_SECONDS = 60
    node.provider.make_request("evm_mine", [])
    assert relay_run().confirmed == 3
    bump_hashes = {b.pk: b.tx_hash for b in bumped}
    for tx in _fresh(txs):
        assert (tx.status, tx.tx_hash, tx.earlier_hashes) == ("confirmed", bump_hashes[tx.pk], [first[tx.pk][1]])
        assert _receipt(node, tx.tx_hash)["status"] == "0x1"
        assert _receipt(node, first[tx.pk][1]) is None
    assert node.eth.get_transaction_count(address) == max(n for n, _ in first.values()) + 1
    _assert_registered_once(501, 502, 503)


def _assert_registered_once(*fingerprints: int) -> None:
    index_run()
    registered = ChainEvent.objects.filter(event="DeclarationRegistered").values_list("args__fingerprint", flat=True)
    wanted = {"0x" + f"{f:064x}" for f in fingerprints}
    assert sorted(f for f in registered if f in wanted) == sorted(wanted)  # each exactly once


class _Crash(Exception):
    pass


def test_if_the_earlier_signing_is_mined_the_entry_confirms_with_its_hash(node, settings, monkeypatch):
    [tx] = _register(601)
    relay_run()
    tx.refresh_from_db()
    earlier = tx.tx_hash

    def crash_after_storing_the_bump(step, entry):
        if step == "after_fee_bump":
            raise _Crash

    # The relay stores a fee bump and dies before broadcasting it: the node still holds the earlier one.
    settings.CHAIN_FEE_BUMP_SECONDS = 0
    monkeypatch.setattr(relay, "fault_hook", crash_after_storing_the_bump)
    with pytest.raises(_Crash):
        relay_run()
    monkeypatch.setattr(relay, "fault_hook", None)
    tx.refresh_from_db()
    bump = tx.tx_hash
    assert bump != earlier and tx.earlier_hashes == [earlier]
    assert _pooled(node, platform_account().address)[tx.nonce]["hash"] == earlier

    node.provider.make_request("evm_mine", [])
    settings.CHAIN_FEE_BUMP_SECONDS = 60
    report = relay_run()  # resends the bump: "nonce too low", harmless
    assert (report.confirmed, report.errors) == (1, [])
    tx.refresh_from_db()
    assert (tx.status, tx.tx_hash, tx.earlier_hashes) == ("confirmed", earlier, [bump])
    assert tx.block_number == int(_receipt(node, earlier)["blockNumber"], 16)
    assert _receipt(node, bump) is None


def test_two_relay_runs_bump_an_entry_once(node, settings):
    [tx] = _register(701)
    relay_run()
    stale = ChainTransaction.objects.get(pk=tx.pk)  # what a second, slower relay run read
    settings.CHAIN_FEE_BUMP_SECONDS = 0
    assert relay_run().fee_bumped == 1
    tx.refresh_from_db()

    report = relay.RelayReport()
    relay._bump_fees(node, relay._stale([stale]), report)
    assert report.fee_bumped == 0
    again = ChainTransaction.objects.get(pk=tx.pk)
    assert (again.tx_hash, again.earlier_hashes, again.attempts) == (tx.tx_hash, tx.earlier_hashes, 2)
    # It resends the bytes it read; the node holds the bump at a higher fee and says so, harmlessly.
    relay._broadcast_many(node, [stale], report)
    assert report.errors == []
    assert _pooled(node, platform_account().address)[tx.nonce]["hash"] == tx.tx_hash


def test_fees_are_not_bumped_past_the_cap(node, settings, caplog):
    [tx] = _register(801)
    relay_run()
    tx.refresh_from_db()
    cap = int(_pooled(node, platform_account().address)[tx.nonce]["maxFeePerGas"], 16)
    settings.CHAIN_FEE_BUMP_SECONDS = 0
    settings.CHAIN_MAX_FEE_PER_GAS_WEI = _up(cap) - 1
    with caplog.at_level(logging.WARNING, logger="chain.relay"):
        assert relay_run().fee_bumped == 0
    assert "over the cap" in caplog.text
    unchanged = ChainTransaction.objects.get(pk=tx.pk)
    assert (unchanged.tx_hash, unchanged.earlier_hashes, unchanged.attempts) == (tx.tx_hash, [], 1)

    settings.CHAIN_MAX_FEE_PER_GAS_WEI = _up(cap)
    assert relay_run().fee_bumped == 1


def test_a_nonce_another_transaction_took_is_given_up_and_the_write_signed_again(node, settings):
    from oversight.models import Alert

    node.provider.make_request("evm_setAutomine", [True])
    settings.CHAIN_FEE_BUMP_SECONDS = 60
    [first] = _register(901)
    relay_run()
    first.refresh_from_db()
    assert first.status == "confirmed"
    platform = platform_account()
    # The key used elsewhere (or the database restored behind the chain): a transaction the platform
    # did not sign takes the next nonce.
    outside = keys.signing_account(platform.encrypted_key, platform.address).sign_transaction({
        "to": platform.address, "value": 0, "gas": 21_000, "nonce": first.nonce + 1, "chainId": node.eth.chain_id,
        "type": 2, "maxFeePerGas": 10**11, "maxPriorityFeePerGas": 10**9})
    node.eth.send_raw_transaction(outside.raw_transaction)
    victim, later = _register(902, 903)
    relay_run()  # the victim is signed for the taken nonce ("nonce too low"); the later one for the next
    victim.refresh_from_db()
    later.refresh_from_db()
    assert (victim.status, victim.nonce) == ("sent", first.nonce + 1)
    assert (later.status, later.nonce) == ("confirmed", first.nonce + 2)
    taken_hash = victim.tx_hash

    assert relay_run().requeued == 0  # not given up before CHAIN_FEE_BUMP_SECONDS
    settings.CHAIN_FEE_BUMP_SECONDS = 0
    report = relay_run()
    assert (report.requeued, report.fee_bumped, report.errors) == (1, 0, [])
    victim.refresh_from_db()
    assert (victim.status, victim.nonce, victim.earlier_hashes) == ("confirmed", first.nonce + 3, [taken_hash])
    assert victim.tx_hash != taken_hash and _receipt(node, victim.tx_hash)["status"] == "0x1"
    assert SignerNonce.objects.get(account=platform).next_nonce == first.nonce + 4 == node.eth.get_transaction_count(platform.address)
    alert = Alert.objects.get(kind="chain_nonce_taken")
    assert alert.severity == "high" and alert.data == {"address": platform.address, "nonces": [first.nonce + 1], "count": 1}
    _assert_registered_once(901, 902, 903)
    assert relay_run().requeued == 0
    assert Alert.objects.filter(kind="chain_nonce_taken").count() == 1


def test_after_a_restore_behind_the_chain_the_next_nonce_moves_past_the_chain(node, settings):
    node.provider.make_request("evm_setAutomine", [True])
    txs = _register(911, 912, 913)
    relay_run()
    platform = platform_account()
    count = node.eth.get_transaction_count(platform.address)
    # The database restored from a backup taken before the last three writes: it has lost them, and
    # its next nonce is three behind the chain's.
    ChainTransaction.objects.filter(pk__in=[t.pk for t in txs]).delete()
    SignerNonce.objects.filter(account=platform).update(next_nonce=count - 3)
    [write] = _register(914)
    relay_run()
    write.refresh_from_db()
    assert (write.status, write.nonce) == ("sent", count - 3)

    settings.CHAIN_FEE_BUMP_SECONDS = 0
    assert relay_run().requeued == 1
    write.refresh_from_db()
    assert (write.status, write.nonce) == ("confirmed", count)  # one run: straight past every used nonce
    assert SignerNonce.objects.get(account=platform).next_nonce == count + 1 == node.eth.get_transaction_count(platform.address)
    _assert_registered_once(911, 912, 913, 914)


def _calls_during(w3, run) -> list[str]:
    """The JSON-RPC methods the node received while `run()` ran, in order, read from its own log (Anvil
    logs each call's method name, batched ones too). A `web3_sha3` call, which the platform never
    makes, marks each end: once the log shows it, it shows every call before it."""
    log = w3.anvil_log

    def calls() -> list[str]:
        return [line.strip() for line in log.read_text().splitlines() if re.fullmatch(r"\s*[a-z0-9]+_[A-Za-z0-9]+\s*", line)]

    w3.provider.make_request("web3_sha3", ["0x00"])
    wait_until(lambda: "web3_sha3" in calls(), timeout=10, interval=0.05, message="the node's log shows the marker")
    start = len(calls())
    run()
    w3.provider.make_request("web3_sha3", ["0x01"])
    wait_until(lambda: "web3_sha3" in calls()[start:], timeout=10, interval=0.05, message="the node's log shows the marker")
    made = calls()[start:]
    return made[:made.index("web3_sha3")]


def test_a_relay_run_asks_for_the_used_nonce_counts_only_when_an_entry_is_stale_and_before_the_receipts(node, settings):
    settings.CHAIN_FEE_BUMP_SECONDS = 60
    _register(801, 802)
    assert relay_run().sent == 2

    # In flight, not stale: the run reads receipts and resends, and asks for no count.
    calls = _calls_during(node, relay_run)
    assert "eth_getTransactionReceipt" in calls
    assert "eth_getTransactionCount" not in calls

    # Stale: the count is asked for first, before any receipt, so that a nonce below it was used
    # before the receipts were read (the taken-nonce rule depends on that order).
    settings.CHAIN_FEE_BUMP_SECONDS = 0
    calls = _calls_during(node, relay_run)
    assert calls.count("eth_getTransactionCount") >= 1
    assert calls.index("eth_getTransactionCount") < calls.index("eth_getTransactionReceipt")
