"""Worker heartbeats in GET /api/health/: each queue's last heartbeat, stale past the limit, and not
part of the web process's own `ok` (a worker down must not take the API out of a load balancer)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from common.heartbeats import QUEUES, heartbeat_record
from workers.celery_app import app

pytestmark = pytest.mark.django_db


def _health():
    response = APIClient().get("/api/health/")
    return response.status_code, response.json()


def test_no_heartbeat_yet_is_reported_as_such_and_leaves_the_web_status_alone(chain):
    status, body = _health()
    assert status == 200 and body["ok"] is True
    assert body["workers"]["ok"] is False
    assert body["workers"]["queues"] == {q: {"ok": False, "last_seen": None, "age_seconds": None} for q in QUEUES}


def test_a_queue_is_fresh_after_its_heartbeat_and_stale_past_the_limit(chain, settings):
    settings.WORKER_HEARTBEAT_STALE_SECONDS = 90
    old = timezone.now() - timedelta(seconds=120)
    for queue in QUEUES:
        heartbeat_record(queue)  # what the worker does with the beat's message (tests/integration: for real)
    status, body = _health()
    assert body["workers"]["ok"] is True and body["workers"]["stale_after_seconds"] == 90
    for queue in QUEUES:
        entry = body["workers"]["queues"][queue]
        assert entry["ok"] is True and 0 <= entry["age_seconds"] <= 5 and entry["last_seen"]

    heartbeat_record("chain", now=old)  # the chain queue's worker stopped two minutes ago
    status, body = _health()
    assert status == 200 and body["ok"] is True
    assert body["workers"]["ok"] is False
    assert body["workers"]["queues"]["chain"]["ok"] is False
    assert body["workers"]["queues"]["chain"]["age_seconds"] >= 120
    assert body["workers"]["queues"]["audit"]["ok"] is True


def test_beat_sends_a_heartbeat_to_each_queue_that_expires_with_the_stale_window(settings):
    entries = {name: entry for name, entry in app.conf.beat_schedule.items() if entry["task"] == "ops.heartbeat"}
    assert sorted(entry["options"]["queue"] for entry in entries.values()) == sorted(QUEUES)
    for entry in entries.values():
        assert entry["schedule"] == float(settings.WORKER_HEARTBEAT_SECONDS)
        assert entry["options"]["expires"] == float(settings.WORKER_HEARTBEAT_STALE_SECONDS)
