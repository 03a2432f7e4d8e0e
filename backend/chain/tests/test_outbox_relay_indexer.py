"""Onboarding reaches the chain through the outbox and relay, and the indexer reads it back."""

import pytest
from web3 import Web3

from chain import client
from chain.deploy import contract_address
from chain.indexer import index_run
from chain.models import ChainAccount, ChainEvent, ChainTransaction
from chain.relay import relay_run
from organizations.services import member_role_hash
from tests.support.factories import auth, make_operator

pytestmark = [pytest.mark.django_db, pytest.mark.chain]


def members_contract(settings):
    w3 = client.web3()
    return w3, w3.eth.contract(address=contract_address("MemberRegistry"), abi=client.abi("MemberRegistry"))


def test_onboarding_registers_the_account_on_chain_and_the_indexer_reads_it(api, chain, settings):
    operator = make_operator()
    response = auth(api, operator).post(
        "/api/organizations/",
        {"kind": "exporter", "name": "Nanning Export", "uscc": "91450100MA5KX0001Y", "safe_classification": "A",
         "admin_user": {"username": "nanning", "password": "long-enough-pass-1"}},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert Web3.is_checksum_address(body["chain_address"])
    assert body["chain"]["status"] == "pending"
    assert "key" not in str(body).lower().replace("kind", "")

    report = relay_run()
    assert report.failed == 0
    tx = ChainTransaction.objects.get(subject_type="organization", subject_id=body["id"])
    assert tx.status == ChainTransaction.Status.CONFIRMED
    assert tx.block_number is not None

    w3, members = members_contract(settings)
    role, org_id = members.functions.memberOf(body["chain_address"]).call()
    assert role == member_role_hash("exporter")
    assert org_id == int(body["id"].replace("-", ""), 16).to_bytes(32, "big")

    detail = api.get(f"/api/organizations/{body['id']}/").json()
    assert detail["chain"] == {"status": "confirmed", "tx_hash": tx.tx_hash, "block_number": tx.block_number}

    assert index_run() >= 1
    event = ChainEvent.objects.get(event="MemberRegistered", args__account=body["chain_address"])
    assert event.tx_hash == tx.tx_hash
    # Reading again changes nothing.
    before = ChainEvent.objects.count()
    index_run()
    assert ChainEvent.objects.count() == before


def test_a_revert_is_recorded_as_failed_with_its_error_and_raises_an_alert(chain, settings):
    from django.db import transaction

    from chain.services import chain_call_enqueue, platform_account
    from oversight.models import Alert

    with transaction.atomic():
        tx = chain_call_enqueue(
            signer=platform_account(), contract="FinancingRegistry", function="registerDeclaration",
            args=["0x" + "11" * 32, 0], subject_type="declaration", subject_id="x",
        )
    relay_run()
    tx.refresh_from_db()
    assert tx.status == ChainTransaction.Status.FAILED
    assert tx.error_code == "ZeroAmount"
    assert tx.nonce is None  # nothing was signed, so no nonce was burnt
    assert Alert.objects.filter(kind="chain_write_failed", subject_id="x").count() == 1


def test_nonces_are_contiguous_per_signer(chain):
    from django.db import transaction

    from chain.services import chain_call_enqueue, platform_account

    platform = platform_account()
    with transaction.atomic():
        txs = [
            chain_call_enqueue(signer=platform, contract="FinancingRegistry", function="registerDeclaration",
                               args=["0x" + f"{i:064x}", 1000 + i])
            for i in range(1, 31)
        ]
    relay_run()
    nonces = sorted(ChainTransaction.objects.filter(pk__in=[t.pk for t in txs]).values_list("nonce", flat=True))
    assert nonces == list(range(nonces[0], nonces[0] + 30))
    assert set(ChainTransaction.objects.filter(pk__in=[t.pk for t in txs]).values_list("status", flat=True)) == {"confirmed"}
    w3 = client.web3()
    assert w3.eth.get_transaction_count(platform.address) == nonces[-1] + 1


def test_one_relay_run_per_signer_at_a_time_on_a_lock_of_its_own(chain):
    """A run that finds the signer's relay lock held (another worker's run of that signer) leaves its
    entries to that run. The lock lives in a key space of its own: a platform lock whose bigint key
    equals the signer's CRC-32 (as the relay's key once was) does not hold the signer back."""
    import zlib

    from django.db import connection, transaction

    from chain.relay import _advisory_key
    from chain.services import chain_call_enqueue, platform_account

    platform = platform_account()
    with transaction.atomic():
        tx = chain_call_enqueue(signer=platform, contract="FinancingRegistry", function="registerDeclaration",
                                args=["0x" + "ab" * 32, 5])
    # Another session of the same database, as Django opens its own.
    with connection.get_new_connection(connection.get_connection_params()) as other:
        other.autocommit = True
        other.execute("SELECT pg_advisory_lock(%s, %s)", _advisory_key(platform.pk))
        report = relay_run()
        tx.refresh_from_db()
        assert (tx.status, report.signed) == ("pending", 0)

        other.execute("SELECT pg_advisory_unlock(%s, %s)", _advisory_key(platform.pk))
        other.execute("SELECT pg_advisory_lock(%s)", [zlib.crc32(f"relay:{platform.pk}".encode())])
        report = relay_run()
        tx.refresh_from_db()
        assert (tx.status, report.signed) == ("confirmed", 1)


@pytest.mark.parametrize("tip", [0, 3 * 10**9])
def test_the_tip_offered_is_the_configured_one(chain, settings, tip):
    from django.db import transaction

    from chain.services import chain_call_enqueue, platform_account

    settings.CHAIN_PRIORITY_FEE_WEI = tip  # 0 on a permissioned chain with zero gas price
    with transaction.atomic():
        tx = chain_call_enqueue(signer=platform_account(), contract="FinancingRegistry", function="registerDeclaration",
                                args=["0x" + f"{tip + 77:064x}", 1000])
    relay_run()
    tx.refresh_from_db()
    assert tx.status == "confirmed"
    sent = client.web3().eth.get_transaction(tx.tx_hash)
    assert sent["maxPriorityFeePerGas"] == tip
    assert sent["maxFeePerGas"] >= tip


def test_keys_are_encrypted_at_rest(chain):
    from eth_account import Account

    from chain.keys import signing_account

    account = ChainAccount.objects.get(label="platform")
    decrypted = signing_account(account.encrypted_key, account.address)
    assert Account.from_key(decrypted.key).address == account.address
    assert bytes(decrypted.key) not in bytes(account.encrypted_key)
    assert decrypted.key.hex() not in bytes(account.encrypted_key).hex()
    assert "encrypted_key" not in repr(account) and decrypted.key.hex() not in repr(account)


def test_a_signer_the_node_refuses_holds_only_its_own_writes(chain, settings):
    from django.db import transaction

    from chain.services import chain_call_enqueue, platform_account
    from oversight.models import Alert
    from tests.support.factories import make_org

    bank = make_org("bank")
    relay_run()
    settings.CHAIN_DEV_FUNDING = False  # as outside dev: nobody tops the account up
    w3 = client.web3()
    w3.provider.make_request("anvil_setBalance", [bank.chain_account.address, "0x0"])
    with transaction.atomic():
        # Any account may deploy a contract: a write that only the missing funds can stop.
        held = chain_call_enqueue(signer=bank.chain_account, contract="MemberRegistry",
                                  function=ChainTransaction.DEPLOY, args=[bank.chain_account.address])
        other = chain_call_enqueue(signer=platform_account(), contract="FinancingRegistry",
                                   function="registerDeclaration", args=["0x" + "cd" * 32, 5])
    for _ in range(2):
        report = relay_run()
        assert any(bank.chain_account.address in error for error in report.errors)
    held.refresh_from_db()
    other.refresh_from_db()
    assert other.status == "confirmed"  # the platform's write went through
    assert held.status == "signed" and held.nonce is not None  # waits, signed once
    alert = Alert.objects.get(kind="chain_signer_blocked")  # one open alert, not one per run
    assert alert.data["address"] == bank.chain_account.address and bank.pk in alert.visible_to
    assert "nsufficient funds" in alert.data["error"]

    # Funded, the same signed bytes go out: same nonce, same hash, no second signature.
    w3.provider.make_request("anvil_setBalance", [bank.chain_account.address, hex(10**20)])
    nonce, tx_hash = held.nonce, held.tx_hash
    assert relay_run().errors == []
    held.refresh_from_db()
    assert (held.status, held.nonce, held.tx_hash, held.attempts) == ("confirmed", nonce, tx_hash, 1)
    assert w3.eth.get_transaction_count(bank.chain_account.address) == nonce + 1


def test_an_entry_without_a_receipt_for_too_long_raises_one_alert_per_account(chain, settings):
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from chain.relay import outbox_watch
    from chain.services import chain_call_enqueue, platform_account
    from oversight.models import Alert
    from workers.celery_app import app

    settings.CHAIN_STUCK_SECONDS = 600
    platform = platform_account()
    with transaction.atomic():
        txs = [chain_call_enqueue(signer=platform, contract="FinancingRegistry", function="registerDeclaration",
                                  args=["0x" + f"{i + 900:064x}", 5]) for i in range(3)]
    relay_run()
    assert outbox_watch() == []  # all confirmed
    # Two entries signed 20 minutes ago that the node never mined (the state a dropped transaction, or a
    # nonce used by another transaction, leaves behind).
    now = timezone.now()
    ChainTransaction.objects.filter(pk__in=[txs[1].pk, txs[2].pk]).update(status="sent", signed_at=now - timedelta(minutes=20))
    ChainTransaction.objects.filter(pk=txs[0].pk).update(status="sent", signed_at=now - timedelta(minutes=2))  # young
    alerts = outbox_watch(now=now)
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert.kind == "chain_write_stuck" and alert.severity == "high"
    assert alert.data["address"] == platform.address and alert.data["count"] == 2
    assert alert.data["first_nonce"] == min(t.nonce for t in ChainTransaction.objects.filter(pk__in=[txs[1].pk, txs[2].pk]))
    assert "for 20 min" in alert.message
    assert outbox_watch(now=now)[0].pk == alert.pk  # one open alert per account
    assert Alert.objects.filter(kind="chain_write_stuck").count() == 1
    # The relay finds the receipts (they were mined after all): nothing is stuck any more.
    relay_run()
    assert outbox_watch(now=now) == []
    assert app.amqp.router.route({}, "oversight.watch_outbox")["queue"].name == "celery"
