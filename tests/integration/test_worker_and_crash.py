"""Real processes: a Celery worker relaying onboarding to Anvil, and a relay killed mid-write."""

from __future__ import annotations

import signal
import subprocess

import pytest
from web3 import Web3

from chain import client
from chain.deploy import chain_ensure_deployed, contract_address
from chain.models import ChainEvent, ChainTransaction
from tests.support.factories import auth, make_operator
from tests.support.processes import REPO, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.chain]


def onboard_exporter(api, operator, username="nanning", uscc="91450100MA5KX0001Y"):
    response = auth(api, operator).post(
        "/api/organizations/",
        {"kind": "exporter", "name": f"Export {username}", "uscc": uscc, "safe_classification": "A",
         "admin_user": {"username": username, "password": "long-enough-pass-1"}},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_real_worker_relays_onboarding_and_indexes_the_event(api, anvil_node, settings, worker_env, tmp_path):
    from tests.support.processes import Worker

    settings.CHAIN_RPC_URL = anvil_node.url
    chain_ensure_deployed()
    worker = Worker(env={**worker_env, "WORKER_HEARTBEAT_SECONDS": "1"}, log_path=tmp_path / "worker.log").start(beat=True)
    try:
        # Beat's heartbeats reach every queue's consumer: health reports the workers alive.
        wait_until(lambda: api.get("/api/health/").json()["workers"]["ok"], timeout=60, message="every queue's heartbeat")
        body = onboard_exporter(api, make_operator())
        tx = wait_until(
            lambda: ChainTransaction.objects.filter(subject_id=body["id"], status="confirmed").first(),
            timeout=60, message="registration confirmed by the worker",
        )
        event = wait_until(
            lambda: ChainEvent.objects.filter(event="MemberRegistered", args__account=body["chain_address"]).first(),
            timeout=60, message="MemberRegistered indexed",
        )
        assert event.tx_hash == tx.tx_hash
        assert api.get(f"/api/organizations/{body['id']}/").json()["chain"]["status"] == "confirmed"
    finally:
        worker.kill()


def test_a_queue_nobody_consumes_has_no_heartbeat(api, anvil_node, settings, worker_env, tmp_path):
    from tests.support.processes import Worker

    settings.CHAIN_RPC_URL = anvil_node.url
    worker = Worker(env={**worker_env, "WORKER_HEARTBEAT_SECONDS": "1"}, queues="celery,audit",
                    log_path=tmp_path / "worker.log").start(beat=True)
    try:
        queues = wait_until(
            lambda: (lambda q: q if q["celery"]["ok"] and q["audit"]["ok"] else None)(
                api.get("/api/health/").json()["workers"]["queues"]),
            timeout=60, message="the consumed queues' heartbeats")
        # Sent in the same beat ticks as those two, but to a queue no worker reads.
        assert queues["chain"] == {"ok": False, "last_seen": None, "age_seconds": None}
        assert api.get("/api/health/").json()["workers"]["ok"] is False
    finally:
        worker.kill()


def _relay_subprocess(env: dict, crash_at: str | None) -> subprocess.CompletedProcess:
    run_env = {**env}
    if crash_at:
        run_env["RELAY_CRASH_AT"] = crash_at
    return subprocess.run(
        [str(REPO / ".venv" / "bin" / "python"), str(REPO / "backend" / "manage.py"), "chain_relay"],
        env=run_env, cwd=REPO, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize("crash_at", ["before_sign", "after_sign", "after_broadcast", "after_receipt"])
def test_relay_killed_mid_write_resumes_without_loss_or_duplicate(api, anvil_node, settings, worker_env, crash_at):
    settings.CHAIN_RPC_URL = anvil_node.url
    chain_ensure_deployed()
    body = onboard_exporter(api, make_operator())
    exporter_tx = ChainTransaction.objects.get(subject_id=body["id"])
    waiting = list(ChainTransaction.objects.filter(signer=exporter_tx.signer, status="pending").order_by("created_at", "id"))
    assert len(waiting) == 2  # the operator's registration, then the exporter's
    tx = waiting[0]  # the crash hits the first write
    w3 = client.web3()
    signer = tx.signer.address
    nonce_before = w3.eth.get_transaction_count(signer)

    crashed = _relay_subprocess(worker_env, crash_at)
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr[-2000:]
    tx.refresh_from_db()
    expected_status = {"before_sign": "pending", "after_sign": "signed", "after_broadcast": "signed", "after_receipt": "sent"}
    assert tx.status == expected_status[crash_at]
    if crash_at == "after_sign":
        assert tx.raw_tx is not None and tx.nonce == nonce_before
        assert w3.eth.get_transaction_count(signer) == nonce_before  # signed, stored, never sent

    resumed = _relay_subprocess(worker_env, None)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    for written in waiting:
        written.refresh_from_db()
        assert written.status == "confirmed"
    # Exactly one transaction per write: nothing lost, nothing sent twice, no nonce gap.
    assert w3.eth.get_transaction_count(signer) == nonce_before + len(waiting)
    assert [w.nonce for w in waiting] == list(range(nonce_before, nonce_before + len(waiting)))
    tx = exporter_tx
    tx.refresh_from_db()
    members = w3.eth.contract(address=contract_address("MemberRegistry"), abi=client.abi("MemberRegistry"))
    logs = members.events.MemberRegistered().get_logs(
        from_block=0, argument_filters={"account": Web3.to_checksum_address(body["chain_address"])}
    )
    assert len(logs) == 1
    assert logs[0]["transactionHash"].to_0x_hex() == tx.tx_hash
