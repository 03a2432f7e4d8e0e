from __future__ import annotations

import os
import signal
import subprocess

import pytest
from django.core.management import call_command

from tests.faults.harness import Stack, Traffic, login
from tests.support.processes import Anvil, free_port, wait_until


class PrivateRedis:
    """A Redis of the test's own, so that restarting it disturbs nobody else."""

    def __init__(self, tmp):
        self.port = free_port()
        self.tmp = tmp
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.tmp)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        import redis

        wait_until(lambda: _ping(redis, self.url), timeout=20, message="redis up")
        return self

    def kill(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def _ping(redis, url):
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception:  # noqa: BLE001
        return False


@pytest.fixture
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path).start()
    yield server
    server.kill()


@pytest.fixture
def fault_stack(transactional_db, settings, tmp_path, worker_env, request):
    """Anvil (with a state file), gunicorn and a worker with beat, on this test's database."""
    redis_url = None
    if "private_redis" in request.fixturenames:
        redis_url = request.getfixturevalue("private_redis").url
    anvil = Anvil(port=free_port(), state_path=tmp_path / "anvil-state.json", log_path=tmp_path / "anvil.log",
                  extra_args=["--state-interval", "1"]).start()
    settings.CHAIN_RPC_URL = anvil.url
    env = {**worker_env, "CHAIN_RPC_URL": anvil.url, "AUDIT_BATCH_MAX_SECONDS": "1"}
    if redis_url:
        env.update({"CELERY_BROKER_URL": redis_url, "TEST_BROKER_URL": redis_url, "TEST_CACHE_URL": redis_url})
        settings.CELERY_BROKER_URL = redis_url
    from chain.deploy import chain_ensure_deployed

    chain_ensure_deployed()
    call_command("seed_demo")
    stack = Stack(env=env, tmp=tmp_path, anvil=anvil)
    stack.start_web()
    stack.start_worker()
    yield stack
    stack.stop()
    stack.anvil.kill()  # the node running now: a test may have restarted it (a new process)
    anvil.kill()


@pytest.fixture
def traffic(fault_stack):
    from organizations.models import Organization

    operator = login(fault_stack, "operator")
    exporter = login(fault_stack, "exporter")
    banks = [login(fault_stack, "bank"), login(fault_stack, "bank2")]
    uscc = Organization.objects.get(users__username="exporter").uscc
    bank_ids = [str(Organization.objects.get(users__username=u).pk) for u in ("bank", "bank2")]
    return Traffic(stack=fault_stack, operator=operator, exporter=exporter, banks=banks, exporter_uscc=uscc, bank_ids=bank_ids)
