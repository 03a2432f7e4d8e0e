"""Helpers for the audit tests: appending events, anchoring them, exporting, running the verifier."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.db import transaction
from web3 import Web3

from audit.models import AuditBatch, AuditEvent
from audit.services import audit_append, audit_batches_close
from chain import client
from chain.deploy import contract_address
from chain.relay import relay_run

REPO = Path(__file__).resolve().parents[3]

# The verifier runs in a fresh interpreter that cannot import Django, web3 or our backend at all.
_VERIFIER_ENTRY = (
    "import sys\n"
    "for name in ('django', 'rest_framework', 'web3', 'eth_utils', 'eth_abi', 'psycopg', 'audit', 'chain', 'config'):\n"
    "    sys.modules[name] = None\n"
    "from tradefin_verifier.cli import main\n"
    "raise SystemExit(main(sys.argv[1:]))\n"
)


def append_events(count: int, *, actor=None, visible_to=(), event_type: str = "test.event", object_type: str = "test") -> list[AuditEvent]:
    events = []
    with transaction.atomic():
        for i in range(count):
            events.append(audit_append(event_type=event_type, actor=actor, object_type=object_type, object_id=f"obj-{i}",
                                       data={"i": i, "note": f"ligne {i} ✓"}, visible_to=visible_to))
    return events


def anchor_everything(*, max_events: int) -> list[AuditBatch]:
    """Close every batch now (however young) and relay the anchors to the chain."""
    batches = audit_batches_close(max_events=max_events, max_seconds=0)
    report = relay_run()
    assert report.failed == 0, report.errors
    return batches


def anchor_contract(w3: Web3 | None = None):
    w3 = w3 or client.web3()
    return w3.eth.contract(address=Web3.to_checksum_address(contract_address("AuditAnchor")), abi=client.abi("AuditAnchor"))


def export_via_api(api, path: Path) -> Path:
    response = api.get("/api/audit/export/")
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("application/jsonl")
    path.write_bytes(b"".join(response.streaming_content))
    return path


def run_verifier(*args: str, cwd: Path | None = None) -> tuple[int, dict]:
    """`tradefin-verify <args> --json` in a separate interpreter; returns (exit status, parsed JSON)."""
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO / "verifier" / "src"), "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-c", _VERIFIER_ENTRY, *args, "--json"], env=env, cwd=cwd or REPO,
                          capture_output=True, text=True, timeout=120)
    try:
        result = json.loads(done.stdout)
    except ValueError as exc:
        raise AssertionError(f"verifier printed no JSON (exit {done.returncode}): {done.stdout}\n{done.stderr}") from exc
    return done.returncode, result
