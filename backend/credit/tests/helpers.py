"""Builders for the credit tests: organizations with logged-in clients, grants and lookups through the API."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from credit.models import CreditAccess
from tests.support.factories import auth, make_org, user_of

ALL_SCOPES = ["basic", "transaction_credit", "regulatory_credit"]


class CreditWorld:
    """Two exporters, two banks, a regulator and an operator, each with its own API client."""

    def __init__(self):
        self.exporter = make_org("exporter", username="credit-exp-a", name="Nanning Export Co")
        self.exporter2 = make_org("exporter", username="credit-exp-b", name="Pingxiang Trading Co")
        self.bank = make_org("bank", username="credit-bank-a", name="Bank A")
        self.bank2 = make_org("bank", username="credit-bank-b", name="Bank B")
        self.regulator = make_org("regulator", username="credit-reg", name="SAFE Guangxi")
        self.operator = make_org("operator", username="credit-op", name="Platform Operations")
        self._clients: dict = {}

    def client(self, org) -> APIClient:
        if org.pk not in self._clients:
            self._clients[org.pk] = auth(APIClient(), user_of(org))
        return self._clients[org.pk]

    def grant_body(self, *, bank=None, scopes=None, data_from: date | str | None = None,
                   data_to: date | str | None = None, expires_at=None, **extra) -> dict:
        today = timezone.localdate()
        body = {
            "bank": bank if isinstance(bank, str) else str((bank or self.bank).pk),
            "purpose": "Pre-shipment financing review",
            "scopes": scopes if scopes is not None else ["basic", "transaction_credit"],
            "data_from": _iso(data_from or today - timedelta(days=365)),
            "data_to": _iso(data_to or today),
            "expires_at": _iso(expires_at or timezone.now() + timedelta(days=30)),
        }
        body.update(extra)
        return body

    def grant(self, *, exporter=None, **kwargs):
        return self.client(exporter or self.exporter).post(
            "/api/credit-authorizations/", self.grant_body(**kwargs), format="json"
        )

    def lookup(self, *, bank=None, exporter=None, authorization=None, scopes: str | None = None):
        params = {}
        if authorization is not None:
            params["authorization"] = str(authorization)
        if scopes is not None:
            params["scopes"] = scopes
        exporter_id = (exporter or self.exporter).pk
        return self.client(bank or self.bank).get(f"/api/credit-reports/{exporter_id}/", params)


def relay_until_settled(max_runs: int = 50) -> int:
    """Run the real relay until nothing is pending or in flight; returns how many writes failed.

    One pass can leave a sent transaction unconfirmed when the node is slow to show its receipt;
    the next pass confirms it (and sends what depended on it).
    """
    from chain.models import ChainTransaction
    from chain.relay import pending_count, relay_run
    from tests.support.processes import wait_until

    before = ChainTransaction.objects.filter(status=ChainTransaction.Status.FAILED).count()
    runs = iter(range(max_runs))

    def settled():
        next(runs)
        relay_run()
        return pending_count() == 0

    wait_until(settled, timeout=120, interval=0.1, message="the outbox drained")
    return ChainTransaction.objects.filter(status=ChainTransaction.Status.FAILED).count() - before


def _iso(value) -> str:
    return value if isinstance(value, str) else value.isoformat()


def audit_events(event_type: str, object_id) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(type=event_type, object_id=str(object_id)).order_by("seq"))


def last_access() -> CreditAccess:
    return CreditAccess.objects.order_by("-occurred_at", "-id").first()
