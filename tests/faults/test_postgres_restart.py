"""An immediate restart of PostgreSQL under load: no false 2xx, and service comes back by itself.

The database is a private cluster started for this test, so that restarting it disturbs nobody.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.faults.harness import Http, Stack, Traffic, login
from tests.support.processes import REPO, Anvil, free_port, wait_until

pytestmark = [pytest.mark.chain, pytest.mark.faults]


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        pytest.skip("no PostgreSQL server binaries on this machine")
    return found[-1]


def _as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=120, **kwargs)


class PrivatePostgres:
    def __init__(self, root: Path):
        self.root = root
        self.data = root / "data"
        self.port = free_port()

    def url(self, db: str = "tradefin_fault") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"

    def _ctl(self, *args: str) -> None:
        _as_postgres([_pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.root / "pg.log"), "-w", *args])

    def start(self) -> "PrivatePostgres":
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        _as_postgres([_pg_bin("initdb"), "-D", str(self.data), "--auth=trust", "-U", "postgres", "--no-locale", "-E", "UTF8"])
        self._ctl("-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1", "start")
        subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-c", "CREATE DATABASE tradefin_fault"],
                       check=True, capture_output=True, timeout=60)
        return self

    def restart_immediately(self) -> None:
        self._ctl("-m", "immediate", "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1", "restart")

    def stop(self) -> None:
        try:
            self._ctl("-m", "immediate", "stop")
        except subprocess.CalledProcessError:
            pass


def _manage(env: dict, *args: str) -> None:
    done = subprocess.run([str(REPO / ".venv" / "bin" / "python"), str(REPO / "backend" / "manage.py"), *args],
                          env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"


def test_postgres_immediate_restart_under_load(tmp_path, worker_env):
    pg_root = Path(f"/tmp/tradefin-pg-{os.getpid()}-{free_port()}")
    postgres = PrivatePostgres(pg_root).start()
    anvil = Anvil(port=free_port(), log_path=tmp_path / "anvil.log").start()
    env = {**worker_env, "DATABASE_URL": postgres.url(), "CHAIN_RPC_URL": anvil.url, "DATABASE_CONN_MAX_AGE": "60"}
    stack = None
    try:
        _manage(env, "migrate", "--noinput")
        _manage(env, "chain_deploy")
        _manage(env, "seed_demo")
        stack = Stack(env=env, tmp=tmp_path, anvil=anvil)
        stack.start_web()
        stack.start_worker()
        operator, exporter = login(stack, "operator"), login(stack, "exporter")
        banks = [login(stack, "bank"), login(stack, "bank2")]
        ids = {org["name"]: org["id"] for org in operator.get("/api/organizations/?page_size=50").body["results"]}
        exporter_row = next(o for o in operator.get("/api/organizations/?kind=exporter").body["results"] if o["uscc"] == "91450100MA5KX0001Y")
        bank_rows = operator.get("/api/organizations/?kind=bank").body["results"]
        bank_ids = [next(b["id"] for b in bank_rows if b["bic"] == bic) for bic in ("BKCHCNBJ480", "ICBKCNBJGXI")]
        assert ids
        traffic = Traffic(stack=stack, operator=operator, exporter=exporter, banks=banks,
                          exporter_uscc=exporter_row["uscc"], bank_ids=bank_ids)
        thread = threading.Thread(target=traffic.run, kwargs={"rounds": 30, "threads": 3, "deadline_s": 120})
        thread.start()
        wait_until(lambda: len(traffic.ok) >= 8, timeout=90, message="traffic under way")
        postgres.restart_immediately()
        thread.join(timeout=180)

        # Service came back by itself: no process was restarted.
        wait_until(lambda: operator.get("/api/customs/declarations/").status == 200, timeout=60, message="API back")
        assert stack.web.poll() is None
        statuses = Counter(status for (_, status) in traffic.other)
        assert set(statuses) <= {503, 409, 0}, statuses  # refusals during the outage are 503s, never 500s

        ok_file = tmp_path / "ok.json"
        ok_file.write_text(json.dumps(traffic.ok))
        check = subprocess.run(
            [str(REPO / ".venv" / "bin" / "python"), "-m", "tests.faults.check_cli", str(ok_file)],
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.test"}, cwd=REPO, capture_output=True, text=True, timeout=300,
        )
        assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-3000:]
        assert json.loads(check.stdout.strip().splitlines()[-1])["ok"] == len(traffic.ok)
    finally:
        if stack:
            stack.stop()
        anvil.kill()
        postgres.stop()
        shutil.rmtree(pg_root, ignore_errors=True)
