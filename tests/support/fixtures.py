from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.processes import REPO, Anvil, Worker, free_port

DEMO_PASSWORD = "demo-pass-2026"


@pytest.fixture(scope="session")
def anvil_node(tmp_path_factory):
    """One real Anvil for the session; tests that need a clean chain, or stop mining, start their own."""
    log = tmp_path_factory.mktemp("anvil") / "anvil.log"
    node = Anvil(port=free_port(), log_path=log).start()
    yield node
    node.kill()


@pytest.fixture
def chain(anvil_node, db, settings):
    """Our contracts deployed on the session's Anvil, for this test's database."""
    from chain.deploy import chain_ensure_deployed

    settings.CHAIN_RPC_URL = anvil_node.url
    report = chain_ensure_deployed()
    return report


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()


def _test_database_url() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def worker_env(anvil_node, settings):
    """Environment for a real Celery worker that talks to this test's database and chain."""
    broker = settings.CELERY_BROKER_URL
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PYTHONPATH": f"{REPO / 'backend'}:{REPO}",
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": broker,
        "CHAIN_RPC_URL": anvil_node.url,
    }
    return env


@pytest.fixture
def worker(worker_env, tmp_path):
    proc = Worker(env=worker_env, log_path=tmp_path / "worker.log").start()
    yield proc
    proc.kill()
