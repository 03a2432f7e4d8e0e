"""`make bench`: every benchmark, each figure beside its baseline, results in bench/results/.

python -m bench [--only api_load,growth,chain,verification]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import traceback

from bench.common import RESULTS, machine

BENCHMARKS = ("api_load", "growth", "chain", "verification")


def _ensure_wrk() -> bool:
    if shutil.which("wrk"):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True)
        if not shutil.which("wrk"):
            subprocess.run(["apt-get", "update"], capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True)
    return bool(shutil.which("wrk"))


def _run_one(name: str) -> None:
    if name == "api_load":
        if not _ensure_wrk():
            print("api_load: skipped, wrk is not installed (apt-get install wrk)")
            return
        from bench.api_load import run
    elif name == "growth":
        from bench.growth import run
    elif name == "chain":
        from bench.chain_bench import run
    elif name == "verification":
        from bench.verification import run
    print(f"== {name}", flush=True)
    print(json.dumps(run(), indent=2, default=str), flush=True)


def summary() -> str:
    lines = ["# Benchmark results", "", f"Machine: {json.dumps(machine())}", ""]
    for name in BENCHMARKS:
        path = RESULTS / f"{name if name != 'chain' else 'chain'}.json"
        if not path.exists():
            lines.append(f"- {name}: not run")
            continue
        data = json.loads(path.read_text())
        lines.append(f"## {name} ({data['measured_at']}, load at start {data['machine']['load_average_at_start']})")
        lines.append("")
        lines.append("```json")
        lines.append(json.dumps({k: v for k, v in data.items() if k not in ("machine", "benchmark", "measured_at")}, indent=1))
        lines.append("```")
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default=",".join(BENCHMARKS))
    args = parser.parse_args()
    # Each benchmark configures Django for its own database, so each runs in its own process.
    failures = 0
    for name in args.only.split(","):
        if len(args.only.split(",")) > 1:
            done = subprocess.run([sys.executable, "-m", "bench", "--only", name])
            failures += done.returncode != 0
            continue
        try:
            _run_one(name)
        except Exception:  # noqa: BLE001 - report and go on with the other benchmarks
            traceback.print_exc()
            return 1
    (RESULTS / "SUMMARY.md").write_text(summary())
    print(f"results: {RESULTS}/ (SUMMARY.md)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
