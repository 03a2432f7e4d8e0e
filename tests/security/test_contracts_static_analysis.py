"""Slither and forge lint on contracts/src: every finding must be triaged in docs/security.md.

A new finding (a detector on a function not in the triage table) fails this test with the finding's
text; so does a triage row that no longer matches any finding (stale). High-impact findings cannot be
accepted, only fixed.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from tests.support.processes import REPO

SCRIPT = REPO / "tests" / "security" / "contracts_analysis.sh"
OUT = REPO / ".run" / "contracts-analysis"
DOC = REPO / "docs" / "security.md"
VERDICTS = {"accepted", "false positive"}


def triage_table() -> dict[tuple[str, str], dict[str, str]]:
    """Rows of the table between the slither-triage markers: | detector | where | impact | verdict | why |."""
    text = DOC.read_text()
    block = re.search(r"<!-- slither-triage -->(.*?)<!-- /slither-triage -->", text, re.S)
    assert block, "docs/security.md has no <!-- slither-triage --> table"
    rows = {}
    for line in block.group(1).splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or cells[0] in ("Detector", "") or set(cells[0]) <= {"-", ":"}:
            continue
        detector, where, impact, verdict, why = cells
        rows[(detector, where)] = {"impact": impact, "verdict": verdict, "why": why}
    return rows


def finding_key(detector: dict) -> tuple[str, str]:
    element = detector["elements"][0] if detector["elements"] else {}
    parent = element.get("type_specific_fields", {}).get("parent", {}).get("name")
    where = f"{parent}.{element.get('name')}" if parent and element.get("type") == "function" else element.get("name", "?")
    return detector["check"], where


@pytest.fixture(scope="module")
def analysis():
    result = subprocess.run(["bash", str(SCRIPT)], cwd=REPO, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads((OUT / "slither.json").read_text())
    assert report["success"], report.get("error")
    return report, (OUT / "forge-lint.txt").read_text()


def test_the_triage_table_is_well_formed():
    table = triage_table()
    assert table
    for key, row in table.items():
        assert row["verdict"] in VERDICTS, (key, row)
        assert row["impact"] != "High" or row["verdict"] == "false positive", f"{key}: a High finding must be fixed"
        assert len(row["why"]) > 20, (key, "say why")


def test_every_slither_finding_is_triaged(analysis):
    report, _ = analysis
    findings = {finding_key(d): d for d in report["results"].get("detectors", [])}
    table = triage_table()
    new = [f"{k[0]} in {k[1]} ({d['impact']}): {d['description'].strip()}" for k, d in findings.items() if k not in table]
    assert not new, "new Slither findings: fix them or triage them in docs/security.md:\n" + "\n".join(new)
    stale = sorted(set(table) - set(findings))
    assert not stale, f"triage rows that match no finding any more (remove them): {stale}"
    for key, detector in findings.items():
        assert table[key]["impact"] == detector["impact"], (key, detector["impact"])


def test_slither_analysed_our_contracts(analysis):
    summary = re.search(r"analyzed \((\d+) contracts with (\d+) detectors\)", (OUT / "slither.txt").read_text())
    assert summary and int(summary.group(1)) >= 9 and int(summary.group(2)) >= 90, summary
    for contract in ("MemberRegistry", "FinancingRegistry", "AuthorizationRegistry", "AuditAnchor"):
        assert (OUT / "out" / f"{contract}.sol" / f"{contract}.json").exists(), contract


def test_forge_lint_finds_nothing(analysis):
    _, lint = analysis
    assert not re.search(r"^(warning|note|error|help)\b", lint, re.M), lint
