"""What every benchmark shares: the machine's description, results files, a bench database."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
PY = str(REPO / ".venv" / "bin" / "python")


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
    except (OSError, StopIteration):
        mem_kb = 0
    load = os.getloadavg()
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(), "kernel": platform.release(),
        "load_average_at_start": [round(x, 2) for x in load],
    }


def write_result(name: str, figures: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    record = {"benchmark": name, "measured_at": datetime.now(timezone.utc).isoformat(), "machine": machine(), **figures}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(record, indent=2, default=str) + "\n")
    return path


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summarize_ms(samples_s: list[float]) -> dict:
    ms = [s * 1000 for s in samples_s]
    return {"n": len(ms), "p50_ms": round(percentile(ms, 50), 2), "p99_ms": round(percentile(ms, 99), 2),
            "mean_ms": round(statistics.fmean(ms), 2) if ms else None}


def bench_env(database: str, **extra: str) -> dict:
    """Environment for processes of a benchmark: its own database, the services of .run/services.env."""
    env = dict(os.environ)
    services = REPO / ".run" / "services.env"
    if services.exists():
        for line in services.read_text().splitlines():
            if line.startswith("export ") and "=" in line:
                key, value = line[len("export "):].split("=", 1)
                env.setdefault(key, value.strip().strip("'\""))
    base = env.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tradefin")
    env["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + database
    env["PYTHONPATH"] = f"{REPO / 'backend'}:{REPO}"
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    env.update(extra)
    return env


def manage(env: dict, *args: str, timeout: float = 1800) -> str:
    done = subprocess.run([PY, str(REPO / "backend" / "manage.py"), *args], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return done.stdout


def admin_connection(env: dict, name: str):
    """An autocommit connection to the server of the benchmark's database, for statements on database
    `name`, which must be a benchmark's own (never the platform's)."""
    import psycopg

    assert name.startswith("tradefin_bench"), name
    return psycopg.connect(env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres", autocommit=True)


def drop_database(env: dict, name: str) -> None:
    with admin_connection(env, name) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def recreate_database(env: dict) -> None:
    """Drop and create the benchmark's own database (never the platform's)."""
    name = env["DATABASE_URL"].rsplit("/", 1)[1]
    drop_database(env, name)
    with admin_connection(env, name) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
