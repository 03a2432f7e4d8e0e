"""Secret leaks: no private key in any API response, log line (ours or a real worker's) or audit payload.

Every test of this package is scanned after it runs (conftest.no_secret_leaks). This module proves
that the scan bites, then drives a whole journey through the API with a real Celery worker signing
and relaying every chain write, and scans the worker's log too.
"""

from __future__ import annotations

import base64
import logging
import types
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from audit.services import audit_append, audit_batches_close
from chain import keys
from chain.deploy import chain_ensure_deployed
from chain.models import ChainAccount, ChainTransaction
from chain.services import chain_account_create
from tests.security import leaks
from tests.support.factories import DEMO_PASSWORD, auth, make_operator, next_bic, next_uscc
from tests.support.processes import Worker, wait_until


def _key_of(account: ChainAccount) -> bytes:
    return bytes(keys.signing_account(bytes(account.encrypted_key), account.address).key)


def test_the_scan_finds_a_key_in_a_response_a_log_line_and_an_audit_payload(leak_log, api):
    account = chain_account_create(label="planted")
    raw = _key_of(account)
    needles = leaks.secret_needles()
    assert any(n.text == raw.hex() for n in needles)

    clean = leaks.find_leaks([("response", '{"chain_address": "%s"}' % account.address)], needles)
    assert clean == []
    forms = {
        "hex, 0x, upper case": "0x" + raw.hex().upper(),
        "a 64-hex string in JSON": '{"note": "%s"}' % raw.hex(),
        "base64": base64.b64encode(raw).decode(),
        "url-safe base64": base64.urlsafe_b64encode(raw).decode(),
        "the encrypted key": bytes(account.encrypted_key).decode(),
    }
    for form, text in forms.items():
        assert leaks.find_leaks([(form, f"prefix {text} suffix")], needles), form

    # Through the real recorders: a log line and an audit payload.
    leak_log.take()
    logging.getLogger("chain.relay").debug("signing with %s", raw.hex())
    recorded = leak_log.take()
    assert leaks.find_leaks(recorded, needles), recorded
    sid = transaction.savepoint()
    audit_append(event_type="test.leak", object_type="test", object_id="x", data={"oops": "0x" + raw.hex()})
    assert leaks.find_leaks(leaks.stored_payloads(), needles)
    transaction.savepoint_rollback(sid)
    assert not leaks.find_leaks(leaks.stored_payloads(), needles)


def test_a_response_carrying_a_key_is_caught(leak_log, api, settings):
    """The recorder sees test-client responses, streamed ones included."""
    from django.http import StreamingHttpResponse
    from django.urls import path

    account = chain_account_create(label="streamed")
    raw = _key_of(account)
    urlpatterns = [path("leaky/", lambda request: StreamingHttpResponse(iter([b"a,", raw.hex().encode()])))]
    module = types.ModuleType("leaky_urls")
    module.urlpatterns = urlpatterns
    settings.ROOT_URLCONF = module
    leak_log.take()
    response = api.get("/leaky/")
    assert b"".join(response.streaming_content).endswith(raw.hex().encode())
    assert leaks.find_leaks(leak_log.take(), leaks.secret_needles())


def test_key_errors_never_carry_the_key(settings):
    account = chain_account_create(label="errors")
    raw_hex = _key_of(account).hex()
    failures = []
    try:
        keys.signing_account(bytes(account.encrypted_key), "0x" + "00" * 20)
    except keys.KeyError_ as exc:
        failures.append(exc)
    settings.CHAIN_KEY_ENCRYPTION_KEYS = ["another-secret"]
    try:
        keys.signing_account(bytes(account.encrypted_key), account.address)
    except keys.KeyError_ as exc:
        failures.append(exc)
    assert len(failures) == 2
    for exc in failures:
        text = f"{exc!r} {exc} {exc.__cause__!r}"
        assert raw_hex not in text.lower()
    assert raw_hex not in repr(account).lower() and "encrypted" not in repr(account)


@pytest.mark.django_db(transaction=True)
@pytest.mark.chain
def test_a_whole_journey_with_a_real_worker_leaks_no_key(leak_log, anvil_node, settings, worker_env, tmp_path):
    settings.CHAIN_RPC_URL = anvil_node.url
    chain_ensure_deployed()
    log_path = tmp_path / "worker.log"
    worker = Worker(env=worker_env, log_path=log_path).start()
    try:
        operator = auth(APIClient(), make_operator("leak-op"))
        clients = {}
        for kind, extra in (("exporter", {"uscc": next_uscc(), "safe_classification": "A"}),
                            ("bank", {"bic": next_bic()}), ("regulator", {})):
            body = {"kind": kind, "name": f"Leak {kind}", **extra,
                    "admin_user": {"username": f"leak-{kind}", "password": DEMO_PASSWORD}}
            response = operator.post("/api/organizations/", body, format="json")
            assert response.status_code == 201, response.json()
            token = APIClient().post("/api/auth/token/", {"username": f"leak-{kind}", "password": DEMO_PASSWORD},
                                     format="json").json()["token"]
            clients[kind] = APIClient()
            clients[kind].credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
            clients[kind].org_id = response.json()["id"]
        exporter, bank, regulator = clients["exporter"], clients["bank"], clients["regulator"]
        assert exporter.get("/api/me/").json()["organization"]["id"] == exporter.org_id
        exporter_uscc = regulator.get(f"/api/organizations/{exporter.org_id}/").json()["uscc"]
        declaration = operator.post("/api/customs/declarations/", {
            "number": "531655555555550001", "exporter_uscc": exporter_uscc,
            "export_date": (timezone.localdate() - timedelta(days=5)).isoformat(), "currency": "USD",
            "fob_value": "50000.00", "destination_country": "VN", "consignee": "Hanoi Buyer JSC"}, format="json")
        assert declaration.status_code == 201, declaration.json()
        receivable = exporter.post("/api/receivables/", {
            "invoice_number": "LEAK-1", "buyer_name": "Hanoi Buyer JSC", "buyer_country": "VN", "currency": "USD",
            "amount": "50000.00", "issue_date": "2026-11-01", "due_date": "2027-03-01",
            "declarations": [{"number": "531655555555550001", "amount": "50000.00"}]}, format="json").json()
        financing = exporter.post("/api/financings/", {"receivable": receivable["id"], "bank": bank.org_id,
                                                       "amount": "30000.00", "tenor_days": 90}, format="json").json()
        assert bank.post(f"/api/financings/{financing['id']}/approve/", {"interest_rate": "4.10"},
                         format="json").status_code == 200
        assert bank.post(f"/api/financings/{financing['id']}/disburse/", format="json").status_code == 200
        assert bank.post("/api/fx-receipts/", {"receivable": receivable["id"], "amount": "1000.00", "currency": "USD",
                                               "value_date": timezone.localdate().isoformat(), "payer_name": "Hanoi Buyer JSC",
                                               "reference": "LEAK-FX"}, format="json").status_code == 201
        grant = exporter.post("/api/credit-authorizations/", {
            "bank": bank.org_id, "purpose": "Financing review", "scopes": ["basic", "transaction_credit"],
            "data_from": (timezone.localdate() - timedelta(days=30)).isoformat(),
            "data_to": timezone.localdate().isoformat(),
            "expires_at": (timezone.now() + timedelta(days=7)).replace(microsecond=0).isoformat()}, format="json")
        assert grant.status_code == 201, grant.json()

        def everything_confirmed():
            return not ChainTransaction.objects.exclude(status="confirmed").exists()

        wait_until(everything_confirmed, timeout=120, message="every chain write relayed by the worker")
        report = bank.get(f"/api/credit-reports/{exporter.org_id}/", {"authorization": grant.json()["id"]})
        assert report.status_code == 200, report.json()
        assert exporter.post(f"/api/credit-authorizations/{grant.json()['id']}/revoke/").status_code == 200
        audit_batches_close(max_seconds=0)  # its anchor's outbox row wakes the worker on commit
        wait_until(everything_confirmed, timeout=120, message="the lookup, the revocation and the anchor relayed")
        for path in ("/api/audit/events/?page_size=500", "/api/audit/verification/", "/api/audit/export/",
                     "/api/oversight/exports/financings.csv", "/api/oversight/exports/audit-events.csv",
                     "/api/oversight/stats/", "/api/organizations/", "/api/financings/", "/api/credit/accesses/",
                     f"/api/credit-authorizations/{grant.json()['id']}/", "/api/audit/events/1/proof/", "/api/health/"):
            response = regulator.get(path)
            assert response.status_code == 200, (path, response.status_code)
            if response.streaming:
                b"".join(response.streaming_content)
    finally:
        worker.kill()

    accounts = ChainAccount.objects.count()
    assert accounts >= 5  # platform, operator, exporter, bank, regulator: every key was used to sign
    signers = set(ChainTransaction.objects.values_list("signer__label", flat=True))
    assert {"platform"} < signers and len(signers) >= 3, signers  # the platform's and the members' own keys
    items = leak_log.take() + leaks.stored_payloads() + [("worker log", log_path.read_text(errors="replace"))]
    items += [(f"raw tx {pk}", bytes(raw).hex()) for pk, raw in
              ChainTransaction.objects.exclude(raw_tx=None).values_list("pk", "raw_tx")]
    assert len(items) > 50
    assert "relay" in log_path.read_text(errors="replace")  # the worker did log its work
    found = leaks.find_leaks(items, leaks.secret_needles())
    assert not found, found
