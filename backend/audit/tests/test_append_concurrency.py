"""Appends from many connections at once chain correctly: one statement per append, no gap, no fork."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from tradefin_verifier.hashing import GENESIS_PREV_HASH, entry_hash, payload_hash

from audit.models import AuditEvent, AuditHead
from audit.services import audit_append

pytestmark = pytest.mark.django_db(transaction=True)

THREADS, PER_THREAD = 6, 25


def test_concurrent_appends_form_one_gapless_chain():
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    returned: list[AuditEvent] = []
    lock = threading.Lock()

    def work(worker: int) -> None:
        try:
            start.wait(timeout=10)
            for i in range(PER_THREAD):
                with transaction.atomic():
                    event = audit_append(event_type="test.concurrent", object_type="test", object_id=f"{worker}-{i}",
                                         data={"worker": worker, "i": i})
                with lock:
                    returned.append(event)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors

    rows = list(AuditEvent.objects.order_by("seq").values_list("seq", "payload", "payload_hash", "prev_hash", "entry_hash"))
    assert [r[0] for r in rows] == list(range(1, THREADS * PER_THREAD + 1))
    prev = GENESIS_PREV_HASH
    for seq, payload, p_hash, stored_prev, e_hash in rows:
        assert payload_hash(payload) == p_hash, seq
        assert stored_prev == prev, f"fork or gap at seq {seq}"
        assert e_hash == entry_hash(prev, p_hash), seq
        prev = e_hash
    head = AuditHead.objects.get(pk=1)
    assert (head.last_seq, head.last_hash) == (THREADS * PER_THREAD, prev)
    # What audit_append returned is what was stored.
    stored = {r[0]: (r[3], r[4]) for r in rows}
    assert {e.seq: (e.prev_hash, e.entry_hash) for e in returned} == stored
