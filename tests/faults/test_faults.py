"""Fault injection through the real stack. Each test is bounded in count and time and stops by itself."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from tests.faults.harness import Http, check_promise, wait_for_outbox_drained
from tests.support.processes import Anvil, wait_until

pytestmark = [pytest.mark.chain, pytest.mark.faults]


def _in_background(traffic, rounds):
    thread = threading.Thread(target=traffic.run, kwargs={"rounds": rounds, "threads": 3, "deadline_s": 90})
    thread.start()
    return thread


def test_anvil_killed_mid_stream_and_restarted_with_its_state(fault_stack, traffic):
    worker = _in_background(traffic, rounds=24)
    wait_until(lambda: len(traffic.ok) >= 12, timeout=60, message="traffic under way")
    port, state = fault_stack.anvil.port, fault_stack.anvil.state_path
    fault_stack.anvil.kill(signal.SIGKILL)
    time.sleep(1.5)  # the platform keeps taking requests while the chain is away
    fault_stack.anvil = Anvil(port=port, state_path=state, log_path=fault_stack.tmp / "anvil2.log",
                              extra_args=["--state-interval", "1"]).start()
    worker.join(timeout=120)
    wait_for_outbox_drained(timeout=150)
    figures = check_promise(traffic)
    assert figures["ok"] > 0


def test_anvil_restarted_without_state_is_a_chain_reset(fault_stack, traffic):
    from chain.models import ChainNetwork

    # Traffic goes on through the reset, the redeployment and the replay: writes made while the
    # replay runs depend on registrations of the old chain, and must still land exactly once.
    worker = _in_background(traffic, rounds=20)
    wait_until(lambda: len(traffic.ok) >= 8, timeout=60, message="traffic under way")
    port = fault_stack.anvil.port
    fault_stack.anvil.kill(signal.SIGKILL)
    fault_stack.anvil = Anvil(port=port, log_path=fault_stack.tmp / "anvil2.log").start()  # empty chain, new genesis
    wait_until(lambda: ChainNetwork.objects.count() == 2 and ChainNetwork.objects.get(active=True).deployments.count() == 4,
               timeout=90, message="redeployed on the new chain")
    worker.join(timeout=120)
    traffic.run(rounds=3, threads=2)
    wait_for_outbox_drained(timeout=150)
    check_promise(traffic)


@pytest.mark.parametrize("step", ["before_sign", "after_sign", "after_broadcast", "after_receipt"])
def test_worker_killed_at_each_step_of_a_chain_write(fault_stack, traffic, step, tmp_path):
    fault_stack.kill_worker()
    marker = tmp_path / f"crashed-{step}"
    fault_stack.env.update({"RELAY_CRASH_AT": step, "RELAY_CRASH_MARKER": str(marker)})
    fault_stack.start_worker()
    traffic.run(rounds=6, threads=2)
    wait_until(marker.exists, timeout=60, message=f"the relay was killed at {step}")
    wait_for_outbox_drained(timeout=150)
    check_promise(traffic)


def test_redis_restart_loses_nothing_in_the_outbox(private_redis, fault_stack, traffic):
    thread = _in_background(traffic, rounds=16)
    wait_until(lambda: len(traffic.ok) >= 6, timeout=60, message="traffic under way")
    private_redis.kill()
    time.sleep(1)
    private_redis.start()
    thread.join(timeout=120)
    wait_for_outbox_drained(timeout=150)
    check_promise(traffic)


def test_one_hundred_identical_posts_with_one_key_have_one_effect(fault_stack, traffic):
    from customs.models import Declaration

    body = {"number": "531699990000000001", "exporter_uscc": traffic.exporter_uscc, "export_date": "2026-11-01",
            "currency": "USD", "fob_value": "5000.00", "destination_country": "VN", "consignee": "Idem Buyer"}
    results = []
    lock = threading.Lock()

    def post():
        response = traffic.operator.post("/api/customs/declarations/", body, headers={"Idempotency-Key": "same-key-100"})
        with lock:
            results.append(response)

    threads = [threading.Thread(target=post) for _ in range(100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(results) == 100
    assert {r.status for r in results} == {201}
    assert len({r.body["id"] for r in results}) == 1
    assert Declaration.objects.filter(number=body["number"]).count() == 1
    traffic.ok.append(("declaration", results[0].body["id"]))
    different = traffic.operator.post("/api/customs/declarations/", {**body, "fob_value": "6000.00"},
                                      headers={"Idempotency-Key": "same-key-100"})
    assert different.status == 409
    wait_for_outbox_drained()
    check_promise(traffic)


def test_two_hundred_chain_writes_in_flight_from_one_signer(fault_stack, traffic):
    from chain.models import ChainTransaction
    from chain.services import platform_account

    from concurrent.futures import ThreadPoolExecutor

    def declare(i):
        response = traffic.operator.post("/api/customs/declarations/", {
            "number": f"53169999{i:010d}", "exporter_uscc": traffic.exporter_uscc, "export_date": "2026-11-01",
            "currency": "USD", "fob_value": "100.00", "destination_country": "VN", "consignee": "Nonce Buyer"})
        assert response.status == 201, response.body
        return response.body["id"]

    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = list(pool.map(declare, range(200)))
    traffic.ok.extend(("declaration", i) for i in ids)
    wait_for_outbox_drained(timeout=180)
    platform = platform_account()
    writes = ChainTransaction.objects.filter(signer=platform, subject_type="declaration", subject_id__in=ids)
    assert writes.count() == 200
    assert set(writes.values_list("status", flat=True)) == {"confirmed"}
    nonces = sorted(ChainTransaction.objects.filter(signer=platform, network__active=True).values_list("nonce", flat=True))
    assert nonces == list(range(len(nonces)))
    check_promise(traffic)
