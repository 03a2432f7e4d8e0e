"""Writes made while a chain-reset replay runs reach the new chain exactly once.

After a reset, `chain_ensure_deployed` redeploys and replays every app's records. Business traffic
does not stop meanwhile: a write made in that window depends on registrations of the *old* chain and
may race the replay writing the same subject. The relay resolves a dependency lost in the reset to
its replacement (`ChainTransaction.replaces`); the replay supersedes what is still pending and keeps
what the relay already signed on the new chain. Here the window is entered for real: a replay hook
registered by the test makes API writes between the redeployment and the members' replay, and a
relay on its own connection runs in the middle of the replay, as the worker would.
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection
from rest_framework.test import APIClient

from chain import client, deploy
from chain.deploy import chain_ensure_deployed, contract_address
from chain.models import ChainNetwork, ChainTransaction
from chain.relay import relay_run
from chain.services import uuid_to_bytes32
from common.money import to_minor_units
from customs.models import Declaration
from financing.models import Financing
from financing.tests.helpers import World
from oversight.models import Alert
from tests.support.factories import make_declaration
from tests.support.processes import Anvil, free_port

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.chain]


def _drain(rounds: int = 8) -> None:
    for _ in range(rounds):
        if relay_run().idle:
            return


def _relay_on_its_own_connection() -> None:
    errors = []

    def work():
        try:
            relay_run()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive() and not errors, errors


@pytest.fixture
def window_hooks():
    added = []

    def add(order, name, hook):
        deploy.register_replay_hook(order, name, hook)
        added.append(name)

    yield add
    deploy._replay_hooks[:] = [h for h in deploy._replay_hooks if h[1] not in added]


def _registry():
    w3 = client.web3()
    return w3.eth.contract(address=contract_address("FinancingRegistry"), abi=client.abi("FinancingRegistry"))


def test_writes_made_while_the_replay_runs_reach_the_new_chain_exactly_once(settings, tmp_path, window_hooks):
    port = free_port()
    node = Anvil(port=port, extra_args=["--timestamp", "1780000000"], log_path=tmp_path / "anvil-1.log").start()
    try:
        settings.CHAIN_RPC_URL = node.url
        chain_ensure_deployed()
        world = World(APIClient)
        d1 = world.declaration(fob="100000.00")
        receivable = world.submit([(d1, "80000.00")], amount="80000.00").json()
        f1 = world.apply(receivable["id"], world.bank, "40000.00").json()
        f2 = world.apply(receivable["id"], world.bank2, "30000.00").json()
        bank, bank2 = world.client(world.bank), world.client(world.bank2)
        assert bank.post(f"/api/financings/{f1['id']}/approve/", {"interest_rate": "4.00"}, format="json").status_code == 200
        assert bank.post(f"/api/financings/{f1['id']}/disburse/", format="json").status_code == 200
        _drain()
        assert not ChainTransaction.objects.exclude(status="confirmed").exists()
        old_network = ChainNetwork.objects.get(active=True)

        node.kill()
        node = Anvil(port=port, extra_args=["--timestamp", "1780009000"], log_path=tmp_path / "anvil-2.log").start()

        made_in_window = {}

        def writes_in_the_window():
            # Redeployed, nothing replayed yet: every registration this depends on is the old chain's.
            response = bank2.post(f"/api/financings/{f2['id']}/approve/", {"interest_rate": "4.50"}, format="json")
            assert response.status_code == 200, response.json()
            response = bank.post("/api/fx-receipts/", {
                "receivable": receivable["id"], "amount": "10000.00", "currency": "USD", "value_date": "2026-11-20",
                "payer_name": "Hanoi Buyer JSC", "reference": "WINDOW-1"}, format="json")
            assert response.status_code == 201, response.json()
            made_in_window["d2"] = make_declaration(world.exporter, fob="20000.00")
            return 3

        window_hooks(5, "test:writes-before-the-members-replay", writes_in_the_window)
        window_hooks(15, "test:relay-after-the-members-replay", lambda: _relay_on_its_own_connection() or 0)

        report = chain_ensure_deployed()
        assert report.reset and report.replayed["test:writes-before-the-members-replay"] == 3
        _drain()

        new_network = ChainNetwork.objects.get(active=True)
        assert new_network.pk != old_network.pk
        failed = ChainTransaction.objects.filter(status="failed").exclude(error_code="chain_reset")
        assert not failed.exists(), list(failed.values("contract", "function", "error_code", "error_message"))
        assert not ChainTransaction.objects.exclude(status__in=["confirmed", "failed"]).exists()
        assert not Alert.objects.filter(kind="chain_write_failed").exists()

        # The new chain holds every record exactly once, with the amounts of the database.
        registry = _registry()
        d2 = made_in_window["d2"]
        for declaration in Declaration.objects.filter(pk__in=[d1.pk, d2.pk]):
            face, outstanding, registered = registry.functions.declaration(declaration.fingerprint).call()
            assert registered and face == to_minor_units(declaration.fob_value, "USD")
            assert outstanding == to_minor_units(declaration.financed_amount, "USD")
        assert Declaration.objects.get(pk=d1.pk).financed_amount == Decimal("70000.00")
        for financing, status in ((Financing.objects.get(pk=f1["id"]), 2), (Financing.objects.get(pk=f2["id"]), 1)):
            total, repaid, on_chain_status = registry.functions.financing(uuid_to_bytes32(financing.pk)).call()[1:]
            assert (total, repaid, on_chain_status) == (
                to_minor_units(financing.approved_amount, "USD"), to_minor_units(financing.repaid_amount, "USD"), status)
        assert Financing.objects.get(pk=f1["id"]).repaid_amount == Decimal("10000.00")

        def count(event):
            return len(getattr(registry.events, event)().get_logs(from_block=0))

        assert (count("DeclarationRegistered"), count("FinancingRecorded"), count("FinancingDisbursed"),
                count("FinancingRepaid")) == (2, 2, 1, 1)
        members = client.web3().eth.contract(address=contract_address("MemberRegistry"), abi=client.abi("MemberRegistry"))
        registered = [log["args"]["account"] for log in members.events.MemberRegistered().get_logs(from_block=0)]
        assert len(registered) == len(set(registered)) == 6  # two exporters, three banks, a regulator

        # What the window wrote before the replay was superseded (never sent), and replaced.
        superseded = ChainTransaction.objects.filter(error_message__startswith="Superseded by the replay")
        assert superseded.exists()
        for tx in superseded:
            assert tx.nonce is None and tx.replaced_by.filter(status="confirmed", network=new_network).count() == 1
        detail = world.client(world.exporter).get(f"/api/financings/{f2['id']}/").json()
        assert detail["chain"]["status"] == "confirmed" and detail["chain_record"]["status"] == "confirmed"
    finally:
        node.kill()
