"""Credit authorizations on the real chain (Anvil + AuthorizationRegistry), through the outbox and relay.

The grant, each served lookup and the revocation are on chain with the right addresses (platform
relays the grant, the bank records its own accesses, the exporter revokes from its own account);
the digest the platform computes is the contract's; the signature verifies off chain with
eth-account against the exporter's address as registered in the MemberRegistry.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from eth_account import Account
from eth_account.messages import encode_typed_data
from web3 import Web3

from chain import client
from chain.deploy import chain_ensure_deployed, contract_address
from chain.indexer import index_run
from chain.models import ChainAccount, ChainEvent, ChainTransaction
from chain.relay import relay_run
from chain.services import uuid_to_bytes32
from credit.models import CreditAccess, CreditAuthorization
from credit.tests.helpers import CreditWorld, audit_events, relay_until_settled
from organizations.services import member_role_hash
from tests.support.processes import Anvil, free_port, wait_until

pytestmark = [pytest.mark.chain]


def registry():
    w3 = client.web3()
    return w3, w3.eth.contract(address=contract_address("AuthorizationRegistry"), abi=client.abi("AuthorizationRegistry"))


def struct(typed_data) -> tuple:
    m = typed_data["message"]
    return (bytes.fromhex(m["authorizationId"][2:]), m["exporter"], m["bank"], m["purpose"], m["scopes"],
            m["dataFrom"], m["dataTo"], m["validFrom"], m["expiresAt"])


def sender_of(tx: ChainTransaction) -> str:
    return client.web3().eth.get_transaction(tx.tx_hash)["from"]


@pytest.mark.django_db
def test_the_python_digest_is_the_contracts_hash(chain):
    world = CreditWorld()
    grant = world.grant(scopes=["basic", "regulatory_credit"], purpose="Reviewing a 支付 request é").json()
    _, contract = registry()
    assert "0x" + contract.functions.hashAuthorization(struct(grant["typed_data"])).call().hex() == grant["digest"]
    # The domain the platform signs under is the deployed contract's.
    domain = grant["typed_data"]["domain"]
    assert domain["verifyingContract"] == contract.address
    assert domain["chainId"] == client.web3().eth.chain_id
    assert grant["typed_data"]["message"]["scopes"] == 5


@pytest.mark.django_db
def test_grant_accesses_and_revocation_are_on_chain_with_the_right_addresses(chain):
    world = CreditWorld()
    grant = world.grant(scopes=["basic", "transaction_credit"]).json()
    served = [world.lookup(authorization=grant["id"])["Credit-Access-Id"],
              world.lookup(authorization=grant["id"], scopes="basic")["Credit-Access-Id"]]
    refused = world.lookup(authorization=grant["id"], scopes="regulatory_credit")
    assert refused.status_code == 403

    assert relay_until_settled() == 0
    authorization = CreditAuthorization.objects.select_related("grant_tx").get(pk=grant["id"])
    assert authorization.grant_tx.status == "confirmed"
    platform = ChainAccount.objects.get(label=ChainAccount.PLATFORM).address
    exporter_address = world.exporter.chain_account.address
    bank_address = world.bank.chain_account.address
    assert sender_of(authorization.grant_tx) == platform

    w3, contract = registry()
    digest = bytes.fromhex(grant["digest"][2:])
    message = grant["typed_data"]["message"]
    assert list(contract.functions.authorization(digest).call()) == [
        exporter_address, bank_address, 3, message["validFrom"], message["expiresAt"], False, 2]
    assert contract.functions.isActive(digest).call() is True
    for access_id in served:
        access = CreditAccess.objects.select_related("chain_tx").get(pk=access_id)
        assert access.chain_tx.status == "confirmed"
        assert sender_of(access.chain_tx) == bank_address  # recorded from the bank's own account
        assert contract.functions.isAccessRecorded(uuid_to_bytes32(access_id)).call() is True
    refused_access = CreditAccess.objects.get(pk=refused.json()["details"]["access_id"])
    assert refused_access.chain_tx is None
    assert contract.functions.isAccessRecorded(uuid_to_bytes32(refused_access.pk)).call() is False

    detail = world.client(world.exporter).get(f"/api/credit-authorizations/{grant['id']}/").json()
    assert detail["chain"] == {"status": "confirmed", "tx_hash": authorization.grant_tx.tx_hash,
                               "block_number": authorization.grant_tx.block_number}
    log = world.client(world.exporter).get(f"/api/credit-authorizations/{grant['id']}/accesses/").json()["results"]
    assert {r["chain"]["status"] for r in log if not r["refused"]} == {"confirmed"}
    assert [r["chain"] for r in log if r["refused"]] == [None]

    # Revocation, sent from the exporter's own account.
    assert world.client(world.exporter).post(f"/api/credit-authorizations/{grant['id']}/revoke/").status_code == 200
    assert relay_until_settled() == 0
    authorization.refresh_from_db()
    assert authorization.revoke_tx.status == "confirmed"
    assert sender_of(authorization.revoke_tx) == exporter_address
    assert contract.functions.authorization(digest).call()[5] is True
    assert contract.functions.isActive(digest).call() is False

    # The indexer reads the three kinds of events back with the same addresses.
    index_run()
    granted = ChainEvent.objects.get(event="AuthorizationGranted", args__digest=grant["digest"])
    assert (granted.args["exporter"], granted.args["bank"]) == (exporter_address, bank_address)
    assert granted.args["authorizationId"] == "0x" + uuid_to_bytes32(grant["id"]).hex()
    accesses = ChainEvent.objects.filter(event="AccessRecorded", args__digest=grant["digest"])
    assert sorted(e.args["accessId"] for e in accesses) == sorted("0x" + uuid_to_bytes32(a).hex() for a in served)
    assert {e.args["bank"] for e in accesses} == {bank_address}
    revoked = ChainEvent.objects.get(event="AuthorizationRevoked", args__digest=grant["digest"])
    assert revoked.args["exporter"] == exporter_address


@pytest.mark.django_db
def test_the_signature_verifies_off_chain_against_the_registered_exporter(chain):
    """What a bank (or anyone) can check with the API's JSON, eth-account and the chain only."""
    world = CreditWorld()
    grant = world.grant(scopes=["transaction_credit"]).json()
    assert relay_until_settled() == 0

    signable = encode_typed_data(full_message=grant["typed_data"])
    signer = Account.recover_message(signable, signature=grant["signature"])
    assert signer == grant["typed_data"]["message"]["exporter"] == world.exporter.chain_account.address
    # The signer is registered as an exporter member, with the exporter's organization id.
    w3 = client.web3()
    members = w3.eth.contract(address=contract_address("MemberRegistry"), abi=client.abi("MemberRegistry"))
    role, org_id = members.functions.memberOf(signer).call()
    assert role == member_role_hash("exporter")
    assert org_id == uuid_to_bytes32(world.exporter.pk)
    # A tampered message (wider scopes) no longer recovers to the exporter.
    tampered = {**grant["typed_data"], "message": {**grant["typed_data"]["message"], "scopes": 7}}
    assert Account.recover_message(encode_typed_data(full_message=tampered), signature=grant["signature"]) != signer


@pytest.mark.django_db
def test_an_access_queued_before_a_revocation_is_recorded_before_it(chain):
    """The revoke (exporter's account) waits for accesses already queued (bank's account), or they would revert."""
    world = CreditWorld()
    grant = world.grant().json()
    access_id = world.lookup(authorization=grant["id"])["Credit-Access-Id"]
    world.client(world.exporter).post(f"/api/credit-authorizations/{grant['id']}/revoke/")
    revoke_tx = CreditAuthorization.objects.get(pk=grant["id"]).revoke_tx
    access_tx = CreditAccess.objects.get(pk=access_id).chain_tx
    assert access_tx in revoke_tx.depends_on.all()

    assert relay_until_settled() == 0
    access_tx.refresh_from_db()
    revoke_tx.refresh_from_db()
    assert (access_tx.status, revoke_tx.status) == ("confirmed", "confirmed")
    assert access_tx.block_number < revoke_tx.block_number
    _, contract = registry()
    assert contract.functions.authorization(bytes.fromhex(grant["digest"][2:])).call()[6] == 1


@pytest.mark.django_db
def test_a_chain_reset_grants_records_and_revokes_again(settings, tmp_path):
    node = Anvil(port=free_port(), log_path=tmp_path / "anvil.log").start()
    try:
        settings.CHAIN_RPC_URL = node.url
        chain_ensure_deployed()
        world = CreditWorld()
        kept = world.grant(scopes=["basic"]).json()
        withdrawn = world.grant(scopes=["basic", "transaction_credit"], bank=world.bank2).json()
        kept_access = world.lookup(authorization=kept["id"])["Credit-Access-Id"]
        withdrawn_access = world.lookup(bank=world.bank2, authorization=withdrawn["id"])["Credit-Access-Id"]
        world.client(world.exporter).post(f"/api/credit-authorizations/{withdrawn['id']}/revoke/")
        assert relay_until_settled() == 0

        node.kill()
        node.start()  # same port, empty chain: a new genesis
        report = chain_ensure_deployed()
        assert report.reset
        assert report.replayed["credit_authorizations"] == 2
        assert relay_until_settled() == 0

        _, contract = registry()
        for grant_id, access_id, bank, revoked in ((kept["id"], kept_access, world.bank, False),
                                                   (withdrawn["id"], withdrawn_access, world.bank2, True)):
            authorization = CreditAuthorization.objects.get(pk=grant_id)
            assert authorization.grant_tx.status == "confirmed"
            assert authorization.typed_data["domain"]["verifyingContract"] == contract.address
            digest = bytes.fromhex(authorization.digest[2:])
            assert "0x" + contract.functions.hashAuthorization(struct(authorization.typed_data)).call().hex() == authorization.digest
            state = contract.functions.authorization(digest).call()
            assert (state[0], state[1], state[5], state[6]) == (
                world.exporter.chain_account.address, bank.chain_account.address, revoked, 1)
            assert contract.functions.isAccessRecorded(uuid_to_bytes32(access_id)).call() is True
            assert CreditAccess.objects.get(pk=access_id).chain_tx.status == "confirmed"
            assert Account.recover_message(encode_typed_data(full_message=authorization.typed_data),
                                           signature=authorization.signature) == world.exporter.chain_account.address
            [event] = audit_events("credit.authorization_resigned", grant_id)
            assert event.payload["data"]["digest"] == authorization.digest
        withdrawn_row = CreditAuthorization.objects.get(pk=withdrawn["id"])
        assert withdrawn_row.revoke_tx.status == "confirmed"
        assert Web3.to_checksum_address(sender_of(withdrawn_row.revoke_tx)) == world.exporter.chain_account.address
    finally:
        node.kill()


@pytest.mark.django_db
def test_an_access_ahead_of_the_nodes_clock_waits_for_it_and_is_recorded_once(settings, tmp_path):
    """An access is recorded with the time it was served, by the platform's clock. A node whose clock is
    behind by more than the contract's tolerance (5 minutes; here an hour) refuses that time as in the
    future: the write waits for the node's clock instead of failing, for up to CHAIN_CLOCK_SKEW_SECONDS."""
    node = Anvil(port=free_port(), log_path=tmp_path / "anvil.log",
                 extra_args=["--timestamp", str(int(time.time()) - 3600)]).start()
    try:
        settings.CHAIN_RPC_URL = node.url
        settings.CHAIN_CLOCK_SKEW_SECONDS = 300
        chain_ensure_deployed()
        world = CreditWorld()
        grant = world.grant(scopes=["basic"]).json()
        first = CreditAccess.objects.get(pk=world.lookup(authorization=grant["id"])["Credit-Access-Id"])

        # The grant is recorded; the access is refused by the node's clock and waits, unfailed.
        wait_until(lambda: relay_run().deferred, timeout=30, message="the access deferred")
        first.chain_tx.refresh_from_db()
        assert first.chain_tx.status == "pending"
        assert CreditAuthorization.objects.get(pk=grant["id"]).grant_tx.status == "confirmed"
        assert not ChainTransaction.objects.filter(status="failed").exists()

        # Past the allowed skew it fails, naming the contract's reason.
        settings.CHAIN_CLOCK_SKEW_SECONDS = 0
        relay_run()
        first.chain_tx.refresh_from_db()
        assert (first.chain_tx.status, first.chain_tx.error_code) == ("failed", "AccessTimeInFuture")

        # Within it, a later access waits until the node's clock gets there, then is recorded once.
        settings.CHAIN_CLOCK_SKEW_SECONDS = 300
        second = CreditAccess.objects.get(pk=world.lookup(authorization=grant["id"])["Credit-Access-Id"])
        assert relay_run().deferred == 1
        client.web3().provider.make_request("evm_increaseTime", [3700])
        assert relay_until_settled() == 0
        second.chain_tx.refresh_from_db()
        assert second.chain_tx.status == "confirmed"
        _, contract = registry()
        assert contract.functions.isAccessRecorded(uuid_to_bytes32(second.pk)).call() is True
        assert contract.functions.isAccessRecorded(uuid_to_bytes32(first.pk)).call() is False
    finally:
        node.kill()


@pytest.mark.django_db
def test_a_lookup_served_before_expiry_is_recorded_after_it_and_replayed_after_a_reset(settings, tmp_path):
    """The race at a grant's end: a lookup served in its last seconds reaches the chain after it expired
    (the relay's lag, or a chain outage; here the relay simply runs after the expiry). The contract
    judges an access at the time it was served, so it is recorded, with that time; and a chain reset
    replays it, though the grant has expired by then."""
    node = Anvil(port=free_port(), log_path=tmp_path / "anvil.log").start()
    try:
        settings.CHAIN_RPC_URL = node.url
        chain_ensure_deployed()
        world = CreditWorld()
        grant = world.grant(scopes=["basic"], expires_at=timezone.now() + timedelta(seconds=3)).json()
        access = CreditAccess.objects.get(pk=world.lookup(authorization=grant["id"])["Credit-Access-Id"])
        expires_at = grant["typed_data"]["message"]["expiresAt"]
        served_at = int(access.occurred_at.timestamp())
        assert served_at < expires_at
        wait_until(lambda: time.time() > expires_at + 1, timeout=10, message="the grant's expiry")

        assert relay_until_settled() == 0
        access.chain_tx.refresh_from_db()
        assert access.chain_tx.status == "confirmed"
        w3, contract = registry()
        assert w3.eth.get_block(access.chain_tx.block_number)["timestamp"] > expires_at  # recorded after it
        digest = bytes.fromhex(grant["digest"][2:])
        assert contract.functions.isActive(digest).call() is False
        assert contract.functions.isAccessRecorded(uuid_to_bytes32(access.pk)).call() is True
        index_run()
        event = ChainEvent.objects.get(event="AccessRecorded", args__accessId="0x" + uuid_to_bytes32(access.pk).hex())
        assert (event.args["digest"], event.args["accessedAt"]) == (grant["digest"], served_at)

        # A chain reset: the grant, expired by now, is granted again on the new chain, and its access too.
        first_records = (CreditAuthorization.objects.get(pk=grant["id"]).grant_tx_id, access.chain_tx_id)
        node.kill()
        node.start()
        report = chain_ensure_deployed()
        assert report.reset and report.replayed["credit_authorizations"] == 1
        assert relay_until_settled() == 0
        authorization = CreditAuthorization.objects.get(pk=grant["id"])
        access.refresh_from_db()
        assert (authorization.grant_tx.status, access.chain_tx.status) == ("confirmed", "confirmed")
        assert first_records[0] != authorization.grant_tx_id and first_records[1] != access.chain_tx_id  # sent again
        _, contract = registry()
        assert contract.functions.isAccessRecorded(uuid_to_bytes32(access.pk)).call() is True
        assert contract.functions.authorization(bytes.fromhex(authorization.digest[2:])).call()[6] == 1
    finally:
        node.kill()
