"""Two tenants with one object of every kind, built through the real API and services.

Tenant A (exporter A, bank A) owns the objects the probes aim at; tenant B (exporter B, bank B) has
the same kind of business of its own, so that B's users are real tenants and not empty accounts.
The regulator and the operator see across tenants. Everything that goes on chain is relayed to the
session's Anvil, so audit events are anchored and their proofs served.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from audit.services import audit_batches_close
from chain.deploy import chain_ensure_deployed
from chain.indexer import index_run
from chain.relay import relay_run
from credit.models import CreditAccess
from oversight.services import alert_raise
from tests.support.factories import DEMO_PASSWORD, make_declaration, make_org, token_for, user_of

ROLES = ("anonymous", "exporter", "exporter2", "bank", "bank2", "regulator", "operator")


@dataclass
class SecurityWorld:
    orgs: dict[str, Any]
    users: dict[str, Any]
    tokens: dict[str, str]
    ids: dict[str, str] = field(default_factory=dict)

    def client(self, role: str) -> APIClient:
        api = APIClient()
        if role != "anonymous":
            api.credentials(HTTP_AUTHORIZATION=f"Bearer {self.tokens[role]}")
        return api

    def username(self, role: str) -> str:
        return self.users[role].username


def _ok(response, expected: int = 201) -> dict:
    assert response.status_code == expected, (response.status_code, response.content[:2000])
    return response.json()


def receivable_body(number: str, *, amount: str, invoice: str) -> dict:
    return {
        "invoice_number": invoice, "buyer_name": "Hanoi Buyer JSC", "buyer_country": "VN", "currency": "USD",
        "amount": amount, "issue_date": "2026-11-01", "due_date": "2027-03-01",
        "declarations": [{"number": number, "amount": amount}],
    }


def grant_body(bank_id: str, **extra) -> dict:
    today = timezone.localdate()
    body = {
        "bank": bank_id, "purpose": "Pre-shipment financing review", "scopes": ["basic", "transaction_credit"],
        "data_from": (today - timedelta(days=365)).isoformat(), "data_to": today.isoformat(),
        "expires_at": (timezone.now() + timedelta(days=30)).replace(microsecond=0).isoformat(),
    }
    body.update(extra)
    return body


def build_world() -> SecurityWorld:
    """Call with the chain deployed settings in force (CHAIN_RPC_URL) and database access."""
    chain_ensure_deployed()
    orgs = {
        "exporter": make_org("exporter", username="sec-exp-a", name="Nanning Security Export Co"),
        "exporter2": make_org("exporter", username="sec-exp-b", name="Pingxiang Other Tenant Co"),
        "bank": make_org("bank", username="sec-bank-a", name="Security Bank A"),
        "bank2": make_org("bank", username="sec-bank-b", name="Security Bank B"),
        "regulator": make_org("regulator", username="sec-reg", name="SAFE Guangxi (security suite)"),
        "operator": make_org("operator", username="sec-op", name="Platform Operations (security suite)"),
    }
    users = {role: user_of(org) for role, org in orgs.items()}
    world = SecurityWorld(orgs=orgs, users=users, tokens={role: token_for(u) for role, u in users.items()})
    exp, exp2, bank, bank2 = (world.client(r) for r in ("exporter", "exporter2", "bank", "bank2"))
    ids = world.ids

    # Customs data, receivables and financings of both tenants.
    declaration = make_declaration(orgs["exporter"], fob="100000.00")
    declaration2 = make_declaration(orgs["exporter2"], fob="100000.00")
    ids["declaration"] = str(declaration.pk)
    ids["declaration_number"] = declaration.number
    ids["spare_declaration_number"] = make_declaration(orgs["exporter"], fob="50000.00").number
    receivable = _ok(exp.post("/api/receivables/", receivable_body(declaration.number, amount="60000.00", invoice="SEC-A-1"),
                              format="json"))
    receivable2 = _ok(exp2.post("/api/receivables/", receivable_body(declaration2.number, amount="60000.00", invoice="SEC-B-1"),
                                format="json"))
    ids["receivable"] = receivable["id"]
    ids["receivable2"] = receivable2["id"]
    second = make_declaration(orgs["exporter"], fob="40000.00")
    repaid = _ok(exp.post("/api/receivables/", receivable_body(second.number, amount="40000.00", invoice="SEC-A-2"),
                          format="json"))
    third = make_declaration(orgs["exporter"], fob="30000.00")
    ids["receivable_unfinanced"] = _ok(exp.post(
        "/api/receivables/", receivable_body(third.number, amount="30000.00", invoice="SEC-A-3"), format="json"))["id"]

    def apply(client, receivable_id, bank_role, amount):
        return _ok(client.post("/api/financings/", {"receivable": receivable_id, "bank": str(orgs[bank_role].pk),
                                                      "amount": amount, "tenor_days": 90}, format="json"))

    # A's pending application (the target of approve/reject/withdraw probes) ...
    ids["financing"] = apply(exp, receivable["id"], "bank", "10000.00")["id"]
    # ... and a disbursed one that an FX receipt partly repaid.
    disbursed = apply(exp, repaid["id"], "bank", "20000.00")["id"]
    _ok(bank.post(f"/api/financings/{disbursed}/approve/", {"interest_rate": "4.00"}, format="json"), 200)
    _ok(bank.post(f"/api/financings/{disbursed}/disburse/", format="json"), 200)
    ids["financing_disbursed"] = disbursed
    ids["receivable_disbursed"] = repaid["id"]
    ids["fx_receipt"] = _ok(bank.post("/api/fx-receipts/", {
        "receivable": repaid["id"], "amount": "500.00", "currency": "USD", "value_date": "2026-11-20",
        "payer_name": "Hanoi Buyer JSC", "reference": "SEC-FX-1"}, format="json"))["id"]
    ids["financing2"] = apply(exp2, receivable2["id"], "bank2", "10000.00")["id"]

    # Credit: A grants bank A, bank A looks A up; B grants bank B.
    ids["authorization"] = _ok(exp.post("/api/credit-authorizations/", grant_body(str(orgs["bank"].pk)),
                                        format="json"))["id"]
    ids["authorization2"] = _ok(exp2.post("/api/credit-authorizations/", grant_body(str(orgs["bank2"].pk)),
                                          format="json"))["id"]
    _ok(bank.get(f"/api/credit-reports/{orgs['exporter'].pk}/", {"authorization": ids["authorization"]}), 200)
    ids["credit_access"] = str(CreditAccess.objects.filter(bank=orgs["bank"]).latest("occurred_at").pk)
    ids["penalty"] = _ok(world.client("regulator").post("/api/credit/penalties/", {
        "exporter": str(orgs["exporter"].pk), "decided_on": "2026-06-01", "amount": "1000.00", "currency": "CNY",
        "reason": "Late FX settlement filing", "reference": "GX-2026-001"}, format="json"))["id"]

    # An alert about A's financing, shown to A's two parties.
    alert = alert_raise(kind="security_suite", severity="low", message="An alert about tenant A's financing.",
                        subject_type="financing", subject_id=ids["financing"],
                        visible_to=[orgs["exporter"].pk, orgs["bank"].pk])
    ids["alert"] = str(alert.pk)

    # Relay everything to the chain, then anchor the audit log so that proofs exist.
    for _ in range(5):
        report = relay_run()
        assert report.failed == 0, report.errors
    audit_batches_close(max_seconds=0)
    report = relay_run()
    assert report.failed == 0, report.errors
    index_run()
    event = AuditEvent.objects.filter(object_type="financing", object_id=ids["financing"]).order_by("seq").first()
    assert event is not None and event.batch_id is not None
    ids["audit_event"] = str(event.seq)
    world.password = DEMO_PASSWORD
    return world
