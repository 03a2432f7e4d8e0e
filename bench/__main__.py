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


def _load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _mark(ok: bool | None) -> str:
    return "met" if ok else ("**not met**" if ok is not None else "")


def _cpu(result: dict) -> str:
    """CPU per request at saturation, where the run measured it."""
    cpu = result["saturation"].get("cpu_ms_per_request")
    return f"; CPU per request: server {cpu['server']} ms + PostgreSQL {cpu['postgres']} ms" if cpu else ""


def _beside(result: dict) -> str:
    """The baseline a ratio is against: the trivial GET measured just before and after, where the run did."""
    trivial = result.get("trivial_beside")
    return f" (trivial beside it: {trivial['rps']} rps)" if trivial else ""


def headline() -> list[str]:
    """Every figure beside its baseline and its target, as one table."""
    rows = []
    api = _load("api_load")
    if api:
        trivial = api["trivial_get_me"]
        rows.append(("API: trivial GET /api/me/ (baseline)", f"{trivial['saturation']['rps']} rps; p99 at half rate "
                     f"{trivial['half_rate']['p99_ms']} ms{_cpu(trivial)}", "", ""))
        for name, what in (("floor_audited_write", "the least a write does: one audit event"),
                           ("floor_chain_recorded_write", "the least a write does: signer read, outbox entry, audit event"),
                           ("floor_one_statement_submission", "a submission in one statement, as a stored procedure would")):
            if name in api:
                r = api[name]
                rows.append((f"API: floor, {what}", f"{r['saturation']['rps']} rps = "
                             f"{r['throughput_vs_trivial']:.1%} of trivial{_beside(r)}{_cpu(r)}", "", ""))
        for name in ("receivable_submission", "financing_approval", "credit_lookup"):
            if name in api:
                r = api[name]
                ratio = r["throughput_vs_trivial"]
                rows.append((f"API: {name.replace('_', ' ')}", f"{r['saturation']['rps']} rps = {ratio:.1%} of trivial"
                             f"{_beside(r)}{_cpu(r)}", ">= 40%", _mark(ratio >= 0.40)))
                rows.append((f"API: {name.replace('_', ' ')}, p99 at half rate", f"{r['half_rate']['p99_ms']} ms "
                             f"(p50 {r['half_rate']['p50_ms']} ms)", "<= 150 ms", _mark(r["half_rate"]["p99_ms"] <= 150)))
    growth = _load("growth")
    if growth:
        for name, ratio in growth["ratio_1m_to_10k_p50"].items():
            rows.append((f"Growth: {name.replace('_', ' ')}, p50 at 1M / at 10k", f"{ratio}", "<= 1.5",
                         _mark(ratio <= growth["target_ratio"])))
        for size, lookup in growth.get("credit_lookup_by_history", {}).items():
            declarations = lookup.get("declarations_by_month_ms")
            rows.append((f"Growth: credit lookup, {int(size):,} financings"
                         + (f" and {lookup['declarations_in_period']:,} declarations" if declarations else "")
                         + " in the exporter's year",
                         f"p50 {lookup['p50_ms']} ms, p99 {lookup['p99_ms']} ms; its history sums "
                         f"{lookup['history_sums_ms']['from_tallies']} ms (from the financings: "
                         f"{lookup['history_sums_ms']['from_financings']} ms)"
                         + (f"; its declarations by month {declarations['from_tallies']} ms (from the declarations: "
                            f"{declarations['from_declarations']} ms)" if declarations else "")
                         + (f"; its FX receipts ({lookup['receipts_in_period']:,}) {lookup['receipts_ms']['from_tallies']} ms "
                            f"(from the receipts: {lookup['receipts_ms']['from_receipts']} ms)" if "receipts_ms" in lookup else "")
                         + ("; the financing list's first page " + ", ".join(
                             f"{who} {ms} ms" for who, ms in lookup["financing_list_first_page_p50_ms"].items())
                            if "financing_list_first_page_p50_ms" in lookup else "")
                         + (f"; the regulator's statistics (all financings) {lookup['oversight_stats_p50_ms']} ms"
                            if "oversight_stats_p50_ms" in lookup else ""),
                         "", ""))
    chain = _load("chain")
    if chain:
        relay = chain["relay"]
        rows.append(("Chain: relay vs naive one-at-a-time", f"{relay['relay_tx_per_s']} vs {relay['naive_tx_per_s']} tx/s "
                     f"= {relay['ratio']}x; the relay's own CPU {relay.get('relay_cpu_ms_per_tx', '?')} ms per transaction", ">= 3x", _mark(relay["meets_target"])))
        for size, g in chain["audit_gas_by_batch_size"].items():
            target = int(size) >= 512
            rows.append((f"Chain: audit anchor, batch of {size}", f"{g['anchor_tx_gas']} gas = {g['gas_per_event']} per event",
                         "<= 100 per event" if target else "", _mark(g["gas_per_event"] <= 100) if target else ""))
        for name, gas in chain["gas"].items():
            rows.append((f"Chain: {name.replace('_', ' ')}", f"{gas} gas", "", ""))
        for name, by_size in chain.get("gas_by_batch_size", {}).items():
            for size, g in by_size.items():
                rows.append((f"Chain: {name.replace('_', ' ')}, {size} relayed together",
                             f"{g['gas_per_record']} gas each (min {g['min_gas']}, max {g['max_gas']})", "", ""))
        lag = chain["anchoring_lag"]
        rows.append((f"Chain: anchoring lag at {lag['rate_events_per_s']} events/s", f"p50 {lag['lag_p50_s']} s, "
                     f"p99 {lag['lag_p99_s']} s", "p99 <= 10 s", _mark(lag["meets_target"])))
    verification = _load("verification")
    if verification:
        for size, v in verification["sizes"].items():
            rows.append((f"Verification: {int(size):,} events", f"verifier {v['verifier_cli_s']} s; platform's own check "
                         f"{v['platform_check_s']} s", "<= 60 s for 1M" if size == "1000000" else "",
                         _mark(v["verifier_cli_s"] <= 60) if size == "1000000" else ""))
    lines = ["| Figure | Measured (beside its baseline) | Target | |", "| --- | --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return lines


def summary() -> str:
    lines = ["# Benchmark results", "", f"Machine: {json.dumps(machine())}", "",
             "Each benchmark's file holds its run's date and the machine's load when it started.", ""]
    lines += headline()
    lines.append("")
    for name in BENCHMARKS:
        data = _load(name)
        if data is None:
            lines.append(f"- {name}: not run")
            continue
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
