"""Worker heartbeats in GET /api/health/: each queue's last heartbeat, stale past the limit, and not
part of the web process's own `ok` (a worker down must not take the API out of a load balancer)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from common.heartbeats import QUEUES, heartbeat_record, workers_status
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


def test_health_reports_each_queues_last_heartbeat_and_which_are_stale(chain, settings):
    settings.WORKER_HEARTBEAT_STALE_SECONDS = 90
    recent = timezone.now()
    for queue in QUEUES:
        heartbeat_record(queue, now=recent)  # what the worker does with the beat's message (tests/integration: for real)
    heartbeat_record("chain", now=recent - timedelta(seconds=120))  # the chain queue's worker stopped two minutes ago
    status, body = _health()
    assert status == 200 and body["ok"] is True  # the web process still serves
    workers = body["workers"]
    assert (workers["ok"], workers["stale_after_seconds"]) == (False, 90)
    assert workers["queues"]["chain"]["ok"] is False and workers["queues"]["chain"]["age_seconds"] >= 120
    for queue in ("celery", "audit"):
        assert workers["queues"][queue]["ok"] is True
        assert parse_datetime(workers["queues"][queue]["last_seen"]) == recent


def test_a_queue_is_stale_once_its_heartbeat_is_older_than_the_limit(settings):
    """The boundary, at fixed instants: no clock in the assertion."""
    settings.WORKER_HEARTBEAT_STALE_SECONDS = 90
    at = timezone.now()
    for queue in QUEUES:
        heartbeat_record(queue, now=at)
    assert workers_status(now=at + timedelta(seconds=90))["ok"] is True
    late = workers_status(now=at + timedelta(seconds=91))
    assert late["ok"] is False
    assert late["queues"]["audit"] == {"ok": False, "last_seen": at, "age_seconds": 91}


def test_beat_sends_a_heartbeat_to_each_queue_that_expires_with_the_stale_window(settings):
    entries = {name: entry for name, entry in app.conf.beat_schedule.items() if entry["task"] == "ops.heartbeat"}
    assert sorted(entry["options"]["queue"] for entry in entries.values()) == sorted(QUEUES)
    for entry in entries.values():
        assert entry["schedule"] == float(settings.WORKER_HEARTBEAT_SECONDS)
        assert entry["options"]["expires"] == float(settings.WORKER_HEARTBEAT_STALE_SECONDS)
