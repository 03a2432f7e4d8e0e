"""Tampering with the audit log through real SQL; the platform's verification and the standalone
verifier (a separate interpreter, without Django, on an exported file) both name the first bad seq."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db import connection

from tradefin_verifier.hashing import entry_hash, payload_hash
from audit.models import AuditBatch, AuditEvent
from audit.tests.support import anchor_contract, anchor_everything, append_events, export_via_api, run_verifier
from tests.support.factories import auth, make_declaration, make_org, user_of

pytestmark = [pytest.mark.django_db, pytest.mark.chain]

ANCHORED_THROUGH = 25  # batches of 6: 1..6, 7..12, 13..18, 19..24, 25..25; then 26..30 are not anchored


@pytest.fixture
def log(chain, api, settings):
    """30 events from real onboarding and customs services plus filler; 1..25 anchored on Anvil."""
    regulator = make_org("regulator")
    exporter = make_org("exporter")
    make_org("bank")
    make_declaration(exporter)
    make_declaration(exporter, fob="2500.50", currency="EUR")
    append_events(25 - AuditEvent.objects.count(), visible_to=[exporter.pk])
    batches = anchor_everything(max_events=6)
    assert [(b.first_seq, b.last_seq) for b in batches] == [(1, 6), (7, 12), (13, 18), (19, 24), (25, 25)]
    append_events(5)
    auth(api, user_of(regulator))
    return {"api": api, "contract": anchor_contract().address, "rpc": settings.CHAIN_RPC_URL}


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def verify_both(log, tmp_path) -> tuple[dict, int, dict]:
    endpoint = log["api"].get("/api/audit/verification/")
    assert endpoint.status_code == 200
    export = export_via_api(log["api"], tmp_path / "audit-log.jsonl")
    code, cli = run_verifier("log", str(export), "--rpc-url", log["rpc"], "--contract", log["contract"])
    return endpoint.json(), code, cli


def test_an_intact_log_verifies_in_the_platform_and_in_the_standalone_verifier(log, tmp_path):
    platform, code, cli = verify_both(log, tmp_path)
    assert platform["ok"] is True and platform["first_bad_seq"] is None and platform["reason"] is None
    assert (platform["verified_through_seq"], platform["last_seq"], platform["unanchored_from_seq"]) == (25, 30, 26)
    assert (platform["batches_verified"], platform["batches_on_chain"], platform["events_checked"]) == (5, 5, 30)
    assert platform["chain"]["contract"] == log["contract"] and platform["chain_resets"] == []
    assert platform["anchoring"]["anchored"] == 5 and platform["anchoring"]["unbatched_events"] == 5
    assert code == 0
    assert (cli["ok"], cli["first_bad_seq"], cli["verified_through_seq"], cli["unanchored_from_seq"]) == (True, None, 25, 26)
    assert cli["events_checked"] == 30
    code, cli = run_verifier("log", str(tmp_path / "audit-log.jsonl"), "--rpc-url", log["rpc"], "--contract",
                             log["contract"], "--require-anchored")
    assert code == 3


def test_the_management_command_exports_the_same_lines_as_the_endpoint(log, tmp_path):
    export_via_api(log["api"], tmp_path / "api.jsonl")
    call_command("export_audit_log", output=str(tmp_path / "command.jsonl"))
    lines = (tmp_path / "command.jsonl").read_text(encoding="utf-8").splitlines()
    assert (tmp_path / "api.jsonl").read_text(encoding="utf-8").splitlines() == lines
    first = json.loads(lines[0])
    assert first["seq"] == 1 and first["batch"]["anchor"]["status"] == "confirmed"
    assert first["batch"]["anchor"]["contract"] == log["contract"] and first["batch"]["anchor"]["chain_id"] == 31337
    assert json.loads(lines[-1])["batch"] is None


def edit_payload(seq):
    sql("UPDATE audit_auditevent SET payload = jsonb_set(payload, '{data,tampered}', 'true') WHERE seq = %s", [seq])


def delete_row(seq):
    sql("DELETE FROM audit_auditevent WHERE seq = %s", [seq])


def swap_rows(i, j):
    sql("UPDATE audit_auditevent SET seq = 1000000000 WHERE seq = %s", [i])
    sql("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [i, j])
    sql("UPDATE audit_auditevent SET seq = %s WHERE seq = 1000000000", [j])


def change_stored_root(first_seq):
    sql("UPDATE audit_auditbatch SET root = %s WHERE first_seq = %s", ["5a" * 32, first_seq])


def rewrite_consistently(seq):
    """Change the payload and recompute its payload hash and entry hash, leaving the next row alone."""
    event = AuditEvent.objects.get(seq=seq)
    payload = {**event.payload, "data": {"rewritten": True}}
    p_hash = payload_hash(payload)
    sql("UPDATE audit_auditevent SET payload = %s, payload_hash = %s, entry_hash = %s WHERE seq = %s",
        [json.dumps(payload), p_hash, entry_hash(event.prev_hash, p_hash), seq])


def change_entry_hash(seq):
    sql("UPDATE audit_auditevent SET entry_hash = %s WHERE seq = %s", ["7e" * 32, seq])


TAMPERING = [
    ("edit a payload (anchored)", lambda: edit_payload(8), 8, "payload_hash_mismatch"),
    ("edit a payload (first event)", lambda: edit_payload(1), 1, "payload_hash_mismatch"),
    ("edit a payload (not anchored yet)", lambda: edit_payload(27), 27, "payload_hash_mismatch"),
    ("delete a row (anchored)", lambda: delete_row(13), 13, "missing_event"),
    ("delete a row (last of a batch)", lambda: delete_row(24), 24, "missing_event"),
    ("delete a row (not anchored yet)", lambda: delete_row(28), 28, "missing_event"),
    ("swap two rows (across batches)", lambda: swap_rows(9, 16), 9, "broken_chain_link"),
    ("swap two rows (neighbours)", lambda: swap_rows(3, 4), 3, "broken_chain_link"),
    ("swap two rows (not anchored yet)", lambda: swap_rows(26, 29), 26, "broken_chain_link"),
    ("change a stored root", lambda: change_stored_root(7), 7, "stored_root_mismatch"),
    ("change the stored root of a one-event batch", lambda: change_stored_root(25), 25, "stored_root_mismatch"),
    ("rewrite an event consistently", lambda: rewrite_consistently(10), 10, "entry_rewritten"),
    ("rewrite the last event of a batch consistently", lambda: rewrite_consistently(18), 18, "entry_rewritten"),
    ("change an entry hash", lambda: change_entry_hash(20), 20, "entry_hash_mismatch"),
]


@pytest.mark.parametrize("tamper,bad_seq,reason", [t[1:] for t in TAMPERING], ids=[t[0] for t in TAMPERING])
def test_tampering_is_named_at_the_exact_first_bad_seq(log, tmp_path, tamper, bad_seq, reason):
    tamper()
    platform, code, cli = verify_both(log, tmp_path)
    assert (platform["ok"], platform["first_bad_seq"], platform["reason"]) == (False, bad_seq, reason), platform["message"]
    assert (code, cli["ok"], cli["first_bad_seq"], cli["reason"]) == (1, False, bad_seq, reason), cli["message"]
    assert platform["verified_through_seq"] == cli["verified_through_seq"] < bad_seq


def test_a_rewrite_of_every_later_hash_is_narrowed_to_the_first_batch_that_differs(log, tmp_path):
    # The attacker recomputes the whole chain from seq 15 on: only the anchored root can tell.
    rows = list(AuditEvent.objects.filter(seq__gte=15).order_by("seq"))
    prev = AuditEvent.objects.get(seq=14).entry_hash
    for event in rows:
        payload = {**event.payload, "data": {"rewritten": True}} if event.seq == 15 else event.payload
        p_hash = payload_hash(payload)
        new_entry = entry_hash(prev, p_hash)
        sql("UPDATE audit_auditevent SET payload = %s, payload_hash = %s, prev_hash = %s, entry_hash = %s WHERE seq = %s",
            [json.dumps(payload), p_hash, prev, new_entry, event.seq])
        prev = new_entry
    sql("UPDATE audit_audithead SET last_hash = %s", [prev])
    platform, code, cli = verify_both(log, tmp_path)
    assert (platform["first_bad_seq"], platform["reason"]) == (13, "root_mismatch")
    assert (code, cli["first_bad_seq"], cli["reason"]) == (1, 13, "root_mismatch")


def test_the_proof_endpoint_refuses_to_serve_a_proof_from_a_tampered_batch(log):
    change_entry_hash(20)
    response = log["api"].get("/api/audit/events/21/proof/")
    assert (response.status_code, response.json()["code"]) == (409, "audit_log_inconsistent")


def test_the_export_lies_about_its_anchors_in_vain(log, tmp_path):
    # An export edited after the fact (batch boundaries claimed differently) is caught against the chain.
    export = export_via_api(log["api"], tmp_path / "audit-log.jsonl")
    lines = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        if line["seq"] in (7, 8):
            line["batch"]["last_seq"] = 8
    export.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    code, cli = run_verifier("log", str(export), "--rpc-url", log["rpc"], "--contract", log["contract"])
    assert (code, cli["first_bad_seq"], cli["reason"]) == (1, 7, "batch_boundary_mismatch")


def test_only_the_regulator_runs_the_verification_and_exports(log, api):
    for kind in ("exporter", "bank"):
        auth(api, user_of(make_org(kind)))
        assert api.get("/api/audit/verification/").status_code == 403
        assert api.get("/api/audit/export/").status_code == 403
    api.credentials()
    assert api.get("/api/audit/verification/").status_code == 401
    assert AuditBatch.objects.count() == 5
