"""Chain: gas per record (alone and relayed in batches), relay throughput against naive one-at-a-time sending, anchoring lag.

Runs against a private Anvil and the benchmark's own database.
"""

from __future__ import annotations

import json
import os
import sys
import time

from bench.common import REPO, bench_env, manage, recreate_database, write_result

DATABASE = "tradefin_bench_chain"


def _setup(env: dict) -> None:
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PYTHONPATH", "CHAIN_RPC_URL")})
    sys.path[:0] = [str(REPO / "backend"), str(REPO)]
    import django

    django.setup()


def _enqueue_declarations(count: int, offset: int) -> list:
    from django.db import transaction

    from chain.services import chain_call_enqueue, platform_account

    platform = platform_account()
    with transaction.atomic():
        return [chain_call_enqueue(signer=platform, contract="FinancingRegistry", function="registerDeclaration",
                                   args=["0x" + f"{offset + i:064x}", 1000 + i]) for i in range(count)]


def _relay_until_confirmed(pks: list, *, seconds: float) -> None:
    """Run the relay until every one of these entries is confirmed (a busy node shows some receipts
    late; the relay resumes them); bounded."""
    from chain.models import ChainTransaction
    from chain.relay import relay_run

    deadline = time.perf_counter() + seconds
    while ChainTransaction.objects.filter(pk__in=pks, status="confirmed").count() < len(pks):
        assert time.perf_counter() < deadline, "relay did not confirm the batch"
        relay_run(max_rounds=1000)


def relay_vs_naive(count: int = 200) -> dict:
    """The relay (pipelined signing, stored before broadcast, receipts collected after) against a naive
    sender that builds, signs, sends and waits for each receipt in turn, same contract call, same node."""
    from eth_account import Account
    from web3 import Web3

    from chain import client
    from chain.deploy import contract_address
    from chain.relay import relay_run

    txs = _enqueue_declarations(count, 10_000_000)
    started, cpu_started = time.perf_counter(), time.process_time()
    _relay_until_confirmed([t.pk for t in txs], seconds=300)
    relay_s = time.perf_counter() - started
    # The relay's own CPU (this process: encoding, signing, storing), apart from the node's and the
    # database's: a figure that moves with the relay's code more than with the machine's load.
    relay_cpu_ms = (time.process_time() - cpu_started) * 1000 / count

    w3 = client.web3()
    naive = Account.create()
    w3.provider.make_request("anvil_setBalance", [naive.address, hex(10**21)])
    # The naive sender needs the registrar role: grant it from the platform account through the relay.
    from django.db import transaction

    from chain.services import chain_call_enqueue, platform_account

    with transaction.atomic():
        chain_call_enqueue(signer=platform_account(), contract="FinancingRegistry", function="grantRole",
                           args=[Web3.keccak(text="REGISTRAR_ROLE"), naive.address])
    relay_run()
    registry = w3.eth.contract(address=contract_address("FinancingRegistry"), abi=client.abi("FinancingRegistry"))
    started = time.perf_counter()
    for i in range(count):
        call = registry.functions.registerDeclaration(Web3.to_bytes(20_000_000 + i).rjust(32, b"\0"), 1000 + i)
        tx = call.build_transaction({"from": naive.address, "nonce": w3.eth.get_transaction_count(naive.address),
                                     "chainId": w3.eth.chain_id})
        signed = naive.sign_transaction(tx)
        w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(signed.raw_transaction), poll_latency=0.1)
    naive_s = time.perf_counter() - started
    return {"transactions": count, "relay_tx_per_s": round(count / relay_s, 1), "relay_cpu_ms_per_tx": round(relay_cpu_ms, 2),
            "naive_tx_per_s": round(count / naive_s, 1),
            "ratio": round(naive_s / relay_s, 2), "target_ratio": 3.0, "meets_target": naive_s / relay_s >= 3.0}


def gas_per_record() -> dict:
    """Gas of a financing record (1 and 5 declarations) and of a credit access, from real receipts."""

    from rest_framework.test import APIClient

    from chain.models import ChainTransaction
    from tests.support.factories import auth, make_declaration, make_org, user_of

    exporter, bank = make_org("exporter"), make_org("bank")
    figures = {}
    for declarations in (1, 5):
        ds = [make_declaration(exporter, fob="1000.00") for _ in range(declarations)]
        api = auth(APIClient(), user_of(exporter))
        receivable = api.post("/api/receivables/", {
            "invoice_number": f"GAS-{declarations}", "buyer_name": "B", "buyer_country": "VN", "currency": "USD",
            "amount": f"{1000 * declarations}.00", "issue_date": "2026-11-01", "due_date": "2027-01-01",
            "declarations": [{"number": d.number, "amount": "1000.00"} for d in ds]}, format="json").json()
        financing = api.post("/api/financings/", {"receivable": receivable["id"], "bank": str(bank.pk),
                                                  "amount": f"{1000 * declarations}.00", "tenor_days": 30}, format="json").json()
        auth(APIClient(), user_of(bank)).post(f"/api/financings/{financing['id']}/approve/", {"interest_rate": "4.00"}, format="json")
        tx = _settled(ChainTransaction.objects.filter(subject_id=financing["id"], function="recordFinancing"))
        figures[f"financing_record_{declarations}_declarations"] = tx.gas_used

    from datetime import timedelta

    from django.utils import timezone

    grant = auth(APIClient(), user_of(exporter)).post("/api/credit-authorizations/", {
        "bank": str(bank.pk), "purpose": "Gas measurement", "scopes": ["basic", "transaction_credit"],
        "data_from": str(timezone.localdate() - timedelta(days=30)), "data_to": str(timezone.localdate()),
        "expires_at": (timezone.now() + timedelta(days=5)).isoformat()}, format="json").json()
    grant_tx = _settled(ChainTransaction.objects.filter(function="grant", subject_id=grant["id"]))
    figures["credit_grant"] = grant_tx.gas_used
    lookup = auth(APIClient(), user_of(bank)).get(f"/api/credit-reports/{exporter.pk}/", {"authorization": grant["id"]})
    assert lookup.status_code == 200, lookup.content
    figures["credit_access"] = _settled(ChainTransaction.objects.filter(function="recordAccess")).gas_used
    return figures


BATCH_SIZES = (1, 10, 100, 1000)


def gas_by_batch_size(sizes=BATCH_SIZES) -> dict:
    """Gas per financing record and per credit access when `n` of them are relayed together.

    Each is its own transaction, signed by the bank that approved or looked up (its key, its
    attestation; a record is checked on-chain against its declarations' face values), so nothing is
    shared between the records of a batch: the figure shows whether gas per record moves with the
    batch's size and the registry's growth. Written through the services (what the API calls), then
    relayed in one go and read from the receipts.
    """
    from datetime import timedelta
    from decimal import Decimal

    from django.db.models import Max, Min, Sum
    from django.utils import timezone

    from chain.models import ChainTransaction
    from credit.services import credit_authorization_grant, credit_report_lookup
    from financing.services import financing_apply, financing_approve
    from receivables.services import AllocationRequest, receivable_submit
    from tests.support.factories import make_declaration, make_org, user_of

    exporter, bank = make_org("exporter"), make_org("bank")
    exporter_user, bank_user = user_of(exporter), user_of(bank)
    today = timezone.localdate()

    def relayed(pks: list) -> dict:
        _relay_until_confirmed(pks, seconds=600)
        gas = ChainTransaction.objects.filter(pk__in=pks).aggregate(
            total=Sum("gas_used"), low=Min("gas_used"), high=Max("gas_used"))
        return {"transactions": len(pks), "total_gas": gas["total"], "gas_per_record": round(gas["total"] / len(pks), 1),
                "min_gas": gas["low"], "max_gas": gas["high"]}

    records, accesses = {}, {}
    for n in sizes:
        financings = []
        for i in range(n):
            declaration = make_declaration(exporter, fob="1000.00")
            receivable = receivable_submit(
                exporter_user=exporter_user, invoice_number=f"BATCH-{n}-{i}", buyer_name="Batch Buyer", buyer_country="VN",
                currency="USD", amount=Decimal("1000.00"), issue_date=today, due_date=today + timedelta(days=90),
                declarations=[AllocationRequest(number=declaration.number, amount=Decimal("1000.00"))])
            financings.append(financing_apply(exporter_user=exporter_user, receivable=receivable, bank=bank,
                                              amount=Decimal("800.00"), tenor_days=60))
        approved = [financing_approve(bank_user=bank_user, financing_id=f.pk, amount=None, interest_rate=Decimal("4.00"))
                    for f in financings]
        records[str(n)] = relayed([f.record_tx_id for f in approved])

        authorization = credit_authorization_grant(
            user=exporter_user, bank_id=bank.pk, purpose=f"Gas by batch size {n}", scopes=["basic"],
            data_from=today - timedelta(days=30), data_to=today, expires_at=timezone.now() + timedelta(days=5))
        _relay_until_confirmed([authorization.grant_tx_id], seconds=60)  # lookups are served under a mined grant
        lookups = [credit_report_lookup(user=bank_user, exporter_id=exporter.pk, authorization_id=authorization.pk)
                   for _ in range(n)]
        accesses[str(n)] = relayed([lookup.access.chain_tx_id for lookup in lookups])
    return {"financing_record_1_declaration": records, "credit_access": accesses}


def _settled(rows):
    """Relay until the (last) matching transaction is confirmed; bounded."""
    from chain.relay import relay_run

    deadline = time.perf_counter() + 60
    while time.perf_counter() < deadline:
        relay_run()
        tx = rows.order_by("-created_at").first()
        if tx is not None and tx.status == "confirmed":
            return tx
        time.sleep(0.2)
    raise AssertionError(f"not confirmed: {tx and (tx.function, tx.status, tx.error_code)}")


def run() -> dict:
    from tests.support.processes import Anvil, free_port

    anvil = Anvil(port=free_port()).start()
    try:
        env = bench_env(DATABASE, DJANGO_SETTINGS_MODULE="config.settings.dev", CHAIN_RPC_URL=anvil.url, LOG_LEVEL="WARNING")
        recreate_database(env)
        manage(env, "migrate", "--noinput")
        manage(env, "chain_deploy")
        _setup(env)
        figures = {"relay": relay_vs_naive(), "gas": gas_per_record(), "gas_by_batch_size": gas_by_batch_size(),
                   "gas_by_batch_size_note": "each record and each access is its own transaction (signed by its bank); "
                                             "a batch is n of them relayed together"}
        try:
            from bench.anchoring import anchoring_figures

            figures.update(anchoring_figures(env, anvil))
        except ImportError:
            figures["anchoring"] = "not measured: bench/anchoring.py is missing"
        write_result("chain", figures)
        return figures
    finally:
        anvil.kill()


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
