"""After a journey, the FinancingRegistry contract agrees with the database; a revert is never silent."""

import pytest
from rest_framework.test import APIClient

from chain import client
from chain.deploy import contract_address
from chain.models import ChainTransaction
from chain.relay import relay_run
from chain.services import uuid_to_bytes32
from common.money import to_minor_units
from customs.models import Declaration
from financing.models import Financing
from financing.tests.helpers import World
from oversight.models import Alert

pytestmark = [pytest.mark.django_db, pytest.mark.chain]

STATUS = {"approved": 1, "disbursed": 2, "partially_repaid": 2, "repaid": 3, "withdrawn": 3}


def registry():
    w3 = client.web3()
    return w3.eth.contract(address=contract_address("FinancingRegistry"), abi=client.abi("FinancingRegistry"))


def test_contract_state_and_events_agree_with_the_database(chain):
    world = World(APIClient)
    d1 = world.declaration(fob="60000.00")
    d2 = world.declaration(fob="50000.00")
    receivable = world.submit([(d1, "60000.00"), (d2, "40000.00")], amount="100000.00").json()
    f1 = world.apply(receivable["id"], world.bank, "50000.00").json()
    f2 = world.apply(receivable["id"], world.bank2, "50000.00").json()
    f3 = world.apply(receivable["id"], world.bank3, "10000.00").json()
    for bank, f in ((world.bank, f1), (world.bank2, f2)):
        assert world.client(bank).post(f"/api/financings/{f['id']}/approve/", {"interest_rate": "4.00"}, format="json").status_code == 200
    assert world.client(world.bank3).post(f"/api/financings/{f3['id']}/approve/", {"interest_rate": "4.00"}, format="json").status_code == 409
    world.client(world.bank).post(f"/api/financings/{f1['id']}/disburse/", format="json")
    world.client(world.bank2).post(f"/api/financings/{f2['id']}/disburse/", format="json")
    world.client(world.bank).post("/api/fx-receipts/", {"receivable": receivable["id"], "amount": "50000.00", "currency": "USD",
                                                        "value_date": "2026-11-20", "payer_name": "B", "reference": "R1"}, format="json")
    world.client(world.bank2).post("/api/fx-receipts/", {"receivable": receivable["id"], "amount": "20000.00", "currency": "USD",
                                                         "value_date": "2026-11-20", "payer_name": "B", "reference": "R2"}, format="json")

    for _ in range(5):  # a loaded node may show a receipt after the first run has stopped waiting
        report = relay_run()
        assert report.failed == 0, list(ChainTransaction.objects.filter(status="failed").values("function", "error_code", "error_message"))
        if report.idle:
            break
    unconfirmed = ChainTransaction.objects.exclude(status="confirmed")
    assert not unconfirmed.exists(), list(unconfirmed.values_list("function", "status", "error_code"))

    contract = registry()
    for declaration in Declaration.objects.all():
        face, outstanding, registered = contract.functions.declaration(declaration.fingerprint).call()
        assert registered
        assert face == to_minor_units(declaration.fob_value, declaration.currency)
        assert outstanding == to_minor_units(declaration.financed_amount, declaration.currency)
    for financing in Financing.objects.filter(approved_at__isnull=False).select_related("bank__chain_account"):
        bank, total, repaid, status = contract.functions.financing(uuid_to_bytes32(financing.pk)).call()
        assert bank == financing.bank.chain_account.address
        assert total == to_minor_units(financing.approved_amount, "USD")
        assert repaid == to_minor_units(financing.repaid_amount, "USD")
        assert status == STATUS[financing.status]
        fingerprints, amounts = contract.functions.financingDeclarations(uuid_to_bytes32(financing.pk)).call()
        expected = {r.declaration.fingerprint: to_minor_units(r.amount, "USD") for r in financing.reservations.all()}
        assert {"0x" + f.hex(): a for f, a in zip(fingerprints, amounts)} == expected
    # The refused approval left no trace on chain.
    assert contract.functions.financing(uuid_to_bytes32(f3["id"])).call()[0] == "0x" + "00" * 20
    # Events: one FinancingRecorded per approval, one FinancingClosed for the repaid one.
    recorded = contract.events.FinancingRecorded().get_logs(from_block=0)
    closed = contract.events.FinancingClosed().get_logs(from_block=0)
    ours = {uuid_to_bytes32(f1["id"]), uuid_to_bytes32(f2["id"])}
    assert {bytes(e["args"]["financingId"]) for e in recorded} >= ours
    assert [bytes(e["args"]["financingId"]) for e in closed if bytes(e["args"]["financingId"]) in ours] == [uuid_to_bytes32(f1["id"])]
    detail = world.client(world.exporter).get(f"/api/financings/{f1['id']}/").json()
    assert detail["chain"]["status"] == "confirmed" and detail["chain_record"]["status"] == "confirmed"


def test_a_revert_the_database_did_not_expect_marks_the_financing_and_alerts(chain):
    world = World(APIClient)
    d = world.declaration(fob="10000.00")
    receivable = world.submit([(d, "10000.00")], amount="10000.00").json()
    relay_run()  # the declaration is registered on chain with face value 10,000
    # Suppose the database were wrong: it believes the declaration is worth more than customs said.
    Declaration.objects.filter(pk=d.pk).update(fob_value="20000.00", allocated_amount="10000.00")
    from receivables.models import Receivable

    Receivable.objects.filter(pk=receivable["id"]).update(amount="20000.00")
    from receivables.models import ReceivableAllocation

    ReceivableAllocation.objects.filter(receivable_id=receivable["id"]).update(amount="20000.00")
    f = world.apply(receivable["id"], world.bank, "15000.00").json()
    assert world.client(world.bank).post(f"/api/financings/{f['id']}/approve/", {"interest_rate": "4.00"}, format="json").status_code == 200
    relay_run()
    detail = world.client(world.bank).get(f"/api/financings/{f['id']}/").json()
    assert detail["chain_record"]["status"] == "failed"
    tx = ChainTransaction.objects.get(subject_type="financing", subject_id=f["id"], function="recordFinancing")
    assert tx.error_code == "ExceedsFaceValue"
    assert Alert.objects.filter(kind="chain_write_failed", subject_id=f["id"]).count() == 1
    # The chain never recorded the excess.
    assert registry().functions.declaration(d.fingerprint).call()[1] == 0
