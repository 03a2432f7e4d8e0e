"""The independent verifier on 100k and 1M events: events written with a correct hash chain (COPY),
anchored on a private Anvil through the platform's batching and relay, exported as JSON Lines,
then checked by `tradefin-verify` in its own process. The in-platform check is timed beside it."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from datetime import datetime, timezone

from bench.common import REPO, bench_env, manage, recreate_database, write_result

DATABASE = "tradefin_bench_verify"
SIZES = (100_000, 1_000_000)


def _generate(upto: int) -> None:
    """Append events seq (head+1)..upto with a correct chain, by COPY."""
    import rfc8785
    from django.db import connection, transaction

    from tradefin_verifier.hashing import GENESIS_PREV_HASH
    from audit.models import AuditHead

    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditHead.objects.create(pk=1, last_seq=0, last_hash=GENESIS_PREV_HASH)
        prev, seq = head.last_hash, head.last_seq
        occurred = datetime.now(timezone.utc).isoformat()
        with connection.cursor() as cursor:
            with cursor.connection.cursor().copy(
                "COPY audit_auditevent (seq, type, object_type, object_id, visible_to, payload, payload_hash, prev_hash, "
                "entry_hash, created_at) FROM STDIN"
            ) as copy:
                for seq in range(seq + 1, upto + 1):
                    payload = {"type": "bench.event", "actor": None, "object": {"type": "bench", "id": str(seq)},
                               "data": {"amount": "100.00", "n": seq}, "occurred_at": occurred}
                    p_hash = hashlib.sha256(rfc8785.dumps(payload)).hexdigest()
                    e_hash = hashlib.sha256(bytes.fromhex(prev) + bytes.fromhex(p_hash)).hexdigest()
                    copy.write_row((seq, "bench.event", "bench", str(seq), "{}", json.dumps(payload), p_hash, prev, e_hash, occurred))
                    prev = e_hash
        AuditHead.objects.filter(pk=1).update(last_seq=upto, last_hash=prev)


def _anchor_all() -> int:
    from audit.services import audit_batches_close
    from chain.relay import relay_run

    batches = 0
    while True:
        closed = audit_batches_close(max_seconds=0)
        batches += len(closed)
        relay_run(max_rounds=1000)
        if not closed:
            return batches


def run() -> dict:
    from tests.support.processes import Anvil, free_port

    anvil = Anvil(port=free_port()).start()
    results = {}
    try:
        env = bench_env(DATABASE, DJANGO_SETTINGS_MODULE="config.settings.dev", CHAIN_RPC_URL=anvil.url,
                        LOG_LEVEL="WARNING", AUDIT_BATCH_MAX_EVENTS="1024")
        recreate_database(env)
        manage(env, "migrate", "--noinput")
        manage(env, "chain_deploy")
        os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PYTHONPATH", "CHAIN_RPC_URL", "AUDIT_BATCH_MAX_EVENTS")})
        sys.path[:0] = [str(REPO / "backend"), str(REPO)]
        import django

        django.setup()
        from audit.verification import audit_log_verify
        from chain.deploy import contract_address

        work = REPO / ".run" / "bench-verify"
        work.mkdir(parents=True, exist_ok=True)
        for size in SIZES:
            t = time.perf_counter()
            _generate(size)
            generated_s = time.perf_counter() - t
            t = time.perf_counter()
            batches = _anchor_all()
            anchored_s = time.perf_counter() - t
            export = work / f"audit-{size}.jsonl"
            t = time.perf_counter()
            manage(env, "export_audit_log", "-o", str(export))
            export_s = time.perf_counter() - t
            t = time.perf_counter()
            done = subprocess.run([str(REPO / ".venv" / "bin" / "tradefin-verify"), "log", str(export), "--rpc-url", anvil.url,
                                   "--contract", contract_address("AuditAnchor")], capture_output=True, text=True, timeout=1800)
            verify_s = time.perf_counter() - t
            t = time.perf_counter()
            inside = audit_log_verify()
            inside_s = time.perf_counter() - t
            results[str(size)] = {
                "generate_s": round(generated_s, 1), "anchor_s": round(anchored_s, 1), "new_batches": batches,
                "export_s": round(export_s, 1), "export_mib": round(export.stat().st_size / 2**20, 1),
                "verifier_cli_s": round(verify_s, 1), "verifier_exit": done.returncode,
                "verifier_output": done.stdout.strip().splitlines()[-1:] if done.stdout else done.stderr[-300:],
                "platform_check_s": round(inside_s, 1), "platform_check_ok": inside.get("ok"),
            }
            print(size, json.dumps(results[str(size)]), flush=True)
            export.unlink()
        figures = {"sizes": results, "target_s_for_1m": 60,
                   "meets_target": results[str(SIZES[-1])]["verifier_cli_s"] <= 60 and results[str(SIZES[-1])]["verifier_exit"] == 0}
        write_result("verification", figures)
        return figures
    finally:
        anvil.kill()


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
