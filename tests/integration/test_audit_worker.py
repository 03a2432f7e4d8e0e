"""Stopped anchoring: a real Celery worker (with beat) anchors batches; it is killed while events
keep coming, restarted, and every event ends up anchored exactly once, in contiguous batches."""

from __future__ import annotations

import signal
import threading

import pytest
from django.db import connection

from audit.models import AuditBatch, AuditEvent
from audit.services import audit_append
from audit.tests.support import anchor_contract
from audit.verification import audit_log_verify
from chain.deploy import chain_ensure_deployed
from chain.models import ChainDeployment, ChainTransaction
from tests.support.processes import Worker, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.chain]

BATCH_MAX_EVENTS = 7


class Producer(threading.Thread):
    """Business keeps going: one audit event per small transaction until stopped."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.produced = 0
        self.error: BaseException | None = None

    def run(self):
        from django.db import transaction

        try:
            while not self.stop.is_set():
                with transaction.atomic():
                    audit_append(event_type="test.tick", object_type="tick", object_id=self.produced,
                                 data={"n": self.produced})
                self.produced += 1
                self.stop.wait(0.02)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.error = exc
        finally:
            connection.close()


def confirmed_batches() -> int:
    return AuditBatch.objects.filter(chain_tx__status=ChainTransaction.Status.CONFIRMED).count()


def test_anchoring_stopped_and_restarted_anchors_every_event_exactly_once(anvil_node, settings, worker_env, tmp_path):
    settings.CHAIN_RPC_URL = anvil_node.url
    chain_ensure_deployed()
    env = {**worker_env, "AUDIT_BATCH_MAX_EVENTS": str(BATCH_MAX_EVENTS), "AUDIT_BATCH_MAX_SECONDS": "1"}
    producer = Producer()
    worker = Worker(env=env, log_path=tmp_path / "worker-1.log").start(beat=True)
    try:
        producer.start()
        wait_until(lambda: confirmed_batches() >= 3, timeout=90, message="the worker anchoring batches")

        worker.kill(signal.SIGKILL)  # anchoring stops dead, mid-whatever it was doing
        batches_at_stop = AuditBatch.objects.count()
        events_at_stop = AuditEvent.objects.count()
        wait_until(lambda: AuditEvent.objects.count() >= events_at_stop + 4 * BATCH_MAX_EVENTS, timeout=60,
                   message="events piling up while anchoring is stopped")
        assert AuditBatch.objects.count() == batches_at_stop  # nobody closes batches while the worker is down

        worker = Worker(env=env, log_path=tmp_path / "worker-2.log").start(beat=True)
        wait_until(lambda: confirmed_batches() >= batches_at_stop + 4, timeout=90,
                   message="the restarted worker catching up while events keep coming")
        producer.stop.set()
        producer.join(timeout=10)
        assert producer.error is None
        total = AuditEvent.objects.count()
        wait_until(
            lambda: AuditBatch.objects.filter(last_seq=total, chain_tx__status=ChainTransaction.Status.CONFIRMED).exists()
            and confirmed_batches() == AuditBatch.objects.count(),
            timeout=90, message="every event anchored",
        )
    finally:
        producer.stop.set()
        worker.kill()

    assert total == producer.produced
    batches = list(AuditBatch.objects.order_by("first_seq"))
    assert batches[0].first_seq == 1 and batches[-1].last_seq == total
    assert all(b.first_seq == a.last_seq + 1 for a, b in zip(batches, batches[1:])), "batches tile the log"
    assert all(1 <= b.last_seq - b.first_seq + 1 <= BATCH_MAX_EVENTS for b in batches)
    assert any(b.last_seq - b.first_seq + 1 == BATCH_MAX_EVENTS for b in batches[batches_at_stop:])  # the backlog
    for batch in batches:
        assert AuditEvent.objects.filter(batch=batch).count() == batch.last_seq - batch.first_seq + 1
    assert not AuditEvent.objects.filter(batch__isnull=True).exists()

    # Exactly once on chain too: one anchor transaction and one BatchAnchored event per batch.
    assert ChainTransaction.objects.filter(contract="AuditAnchor", function="anchor").count() == len(batches)
    contract = anchor_contract()
    deployed_at = ChainDeployment.objects.get(network__active=True, name="AuditAnchor").block_number
    logs = contract.events.BatchAnchored().get_logs(from_block=deployed_at)
    assert [(log["args"]["batchKey"] >> 64, log["args"]["batchKey"] & (2**64 - 1), bytes(log["args"]["root"]).hex()) for log in logs] == [
        (b.first_seq, b.last_seq, b.root) for b in batches
    ]
    assert contract.functions.nextSeq().call() == total + 1

    result = audit_log_verify()
    assert (result["ok"], result["verified_through_seq"], result["unanchored_from_seq"]) == (True, total, None)
