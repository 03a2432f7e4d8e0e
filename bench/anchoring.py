"""Audit anchoring: gas per event by batch size, and anchoring lag at a steady 100 events/s."""

from __future__ import annotations

import time

from bench.common import percentile


def _append_events(count: int, label: str) -> None:
    from django.db import transaction

    from audit.services import audit_append

    with transaction.atomic():
        for i in range(count):
            audit_append(event_type="bench.event", actor=None, object_type="bench", object_id=f"{label}-{i}",
                         data={"i": i, "amount": "100.00"})


def gas_per_event(sizes=(1, 10, 100, 512, 1000, 1024)) -> dict:
    from audit.services import audit_batch_close
    from chain.relay import relay_run

    out = {}
    for size in sizes:
        _append_events(size, f"gas{size}")
        batch = audit_batch_close(max_events=size, max_seconds=0)
        assert batch is not None and batch.last_seq - batch.first_seq + 1 == size
        relay_run()
        batch.chain_tx.refresh_from_db()
        out[str(size)] = {"anchor_tx_gas": batch.chain_tx.gas_used, "gas_per_event": round(batch.chain_tx.gas_used / size, 1)}
    return out


def anchoring_lag(env: dict, anvil, rate: int = 100, seconds: int = 30) -> dict:
    """A real worker with beat anchors while this process appends `rate` events a second."""
    from audit.models import AuditBatch, AuditEvent
    from django.conf import settings
    from tests.support.processes import Worker, wait_until

    start_seq = (AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    from bench.common import REPO

    log = REPO / ".run" / "bench-anchoring-worker.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.unlink(missing_ok=True)
    worker = Worker(env={**env, "AUDIT_BATCH_MAX_SECONDS": str(settings.AUDIT_BATCH_MAX_SECONDS)},
                    log_path=log).start(beat=True)
    try:
        from audit.services import audit_append
        from django.db import transaction

        interval = 1.0 / rate
        next_at = time.perf_counter()
        for i in range(rate * seconds):
            with transaction.atomic():
                audit_append(event_type="bench.lag", actor=None, object_type="bench", object_id=f"lag-{i}", data={"i": i})
            next_at += interval
            pause = next_at - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
        last_seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
        wait_until(lambda: AuditBatch.objects.filter(last_seq__gte=last_seq, chain_tx__status="confirmed").exists(),
                   timeout=120, interval=0.5, message="all events anchored")
    finally:
        worker.kill()
    lags = []
    rows = AuditEvent.objects.filter(seq__gte=start_seq, type="bench.lag").select_related("batch__chain_tx")
    for event in rows.iterator():
        confirmed = event.batch.chain_tx.confirmed_at
        lags.append((confirmed - event.created_at).total_seconds())
    return {"rate_events_per_s": rate, "seconds": seconds, "events": len(lags),
            "batch_max_seconds": float(settings.AUDIT_BATCH_MAX_SECONDS),
            "lag_p50_s": round(percentile(lags, 50), 2), "lag_p99_s": round(percentile(lags, 99), 2),
            "target_p99_s": 10, "meets_target": percentile(lags, 99) <= 10}


def anchoring_figures(env: dict, anvil) -> dict:
    gas = gas_per_event()
    return {"audit_gas_by_batch_size": gas,
            "audit_gas_target": "<= 100 gas per event at batches of 512 or more",
            "audit_gas_meets_target": all(v["gas_per_event"] <= 100 for k, v in gas.items() if int(k) >= 512),
            "anchoring_lag": anchoring_lag(env, anvil)}
