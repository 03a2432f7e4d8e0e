"""The standalone verifier: installable on its own, free of Django, and speaking the contract's ABI."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from eth_utils import keccak

REPO = Path(__file__).resolve().parents[3]
FORBIDDEN = {"django", "rest_framework", "web3", "eth_utils", "eth_abi", "psycopg", "celery", "audit", "chain", "config"}


def test_it_installs_on_its_own_and_its_console_script_runs(tmp_path):
    source = shutil.copytree(REPO / "verifier", tmp_path / "verifier")  # build artifacts stay out of the repo
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-build-isolation", "--no-deps", "--no-index",
                    "--target", str(target), str(source)], check=True, capture_output=True, timeout=300)
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(target)}
    done = subprocess.run([str(target / "bin" / "tradefin-verify"), "--version"], env=env, capture_output=True, text=True)
    assert (done.returncode, done.stdout.strip()) == (0, "tradefin-verify 1.0.0")
    done = subprocess.run([str(target / "bin" / "tradefin-verify"), "log", str(tmp_path / "missing.jsonl"),
                           "--rpc-url", "http://127.0.0.1:9", "--contract", "0x" + "00" * 20, "--json"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "does not answer" in json.loads(done.stdout)["error"]


def test_it_imports_nothing_of_the_platform_or_web3():
    for path in (REPO / "verifier" / "src" / "tradefin_verifier").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module.split(".")[0])
        assert not imported & FORBIDDEN, (path.name, imported & FORBIDDEN)
    pyproject = (REPO / "verifier" / "pyproject.toml").read_text()
    assert 'dependencies = ["rfc8785>=0.1.4"]' in pyproject and 'tradefin-verify = "tradefin_verifier.cli:main"' in pyproject


def test_its_abi_constants_are_the_compiled_contracts(monkeypatch):
    monkeypatch.syspath_prepend(str(REPO / "verifier" / "src"))
    from tradefin_verifier import rpc

    artifact = json.loads((REPO / "contracts" / "out" / "AuditAnchor.sol" / "AuditAnchor.json").read_text())
    for signature, selector in rpc.SELECTORS.items():
        assert artifact["methodIdentifiers"][signature] == selector
    event = next(e for e in artifact["abi"] if e.get("type") == "event" and e["name"] == "BatchAnchored")
    signature = f"BatchAnchored({','.join(i['type'] for i in event['inputs'])})"
    assert rpc.BATCH_ANCHORED_TOPIC == "0x" + keccak(text=signature).hex()
    assert [(i["name"], i["type"], i["indexed"]) for i in event["inputs"]] == [  # what read_anchors decodes
        ("batchKey", "uint256", False), ("root", "bytes32", False)]
