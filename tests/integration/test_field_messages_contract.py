"""The API's field messages and the portals' table that words them in the reader's language.

API.md's error shape carries field messages as English sentences; the portals recognise the ones
their forms can meet by wording (`frontend/src/shared/api/fieldMessages.ts`, first match wins) and
show them in Chinese or English. Nothing else ties the two lists: a sentence reworded on the server
would silently fall back to English. Here every wording the table knows is provoked through the API
and must be recognised as what it is, and a wording no probe provokes fails the test too, so that a
new entry in the table comes with its probe.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from financing.tests.helpers import World
from tests.support.factories import auth, make_operator

pytestmark = pytest.mark.django_db

TABLE = Path(__file__).resolve().parents[2] / "frontend" / "src" / "shared" / "api" / "fieldMessages.ts"


def _table() -> list[tuple[re.Pattern, str]]:
    """The table's (pattern, key) pairs in its order, the JavaScript patterns read as Python ones."""
    text = TABLE.read_text()
    start = text.index("const KNOWN")
    body = text[start:text.index("\n];", start)]
    entries = re.findall(r'^\s*\[/(.+)/, "(\w+)"\],', body, re.M)
    assert len(entries) == body.count('"],'), "an entry of the table was not read"
    return [(re.compile(source.replace("(?<", "(?P<")), key) for source, key in entries]


TABLE_ENTRIES = _table()


OMIT = object()  # a field left out of a request body


def recognised(message: str) -> str | None:
    for pattern, key in TABLE_ENTRIES:
        if pattern.search(message):
            return key
    return None


def flatten(details, prefix: str = "") -> dict[str, list[str]]:
    """`flattenDetails` of frontend/src/shared/api/errors.ts: the keys the portals' forms look up."""
    out: dict[str, list[str]] = {}
    if isinstance(details, str):
        out.setdefault(prefix or "non_field_errors", []).append(details)
    elif isinstance(details, list) and all(isinstance(item, str) for item in details):
        if details:
            out.setdefault(prefix or "non_field_errors", []).extend(details)
    elif isinstance(details, list):
        for index, item in enumerate(details):
            out.update(flatten(item, f"{prefix}[{index}]"))
    elif isinstance(details, dict):
        for key, value in details.items():
            for path, found in flatten(value, f"{prefix}.{key}" if prefix else key).items():
                out.setdefault(path, []).extend(found)
    return out


class Probes:
    """A world with something to aim at: declarations, a receivable applied to a bank, an operator."""

    def __init__(self):
        self.world = World(APIClient)
        w = self.world
        self.usd = w.declaration(fob="1000.00")
        self.eur = w.declaration(fob="1000.00", currency="EUR")
        self.full = w.declaration(fob="100.00")
        response = w.submit([(self.usd, "500.00")], amount="500.00", invoice="P-1")
        assert response.status_code == 201, response.content
        self.receivable = response.json()["id"]
        response = w.apply(self.receivable, w.bank, "400.00")
        assert response.status_code == 201, response.content
        self.financing = response.json()["id"]
        assert w.submit([(self.full, "100.00")], amount="100.00", invoice="P-2").status_code == 201
        self.operator = auth(APIClient(), make_operator())

    def submit(self, **changes):
        body = {"invoice_number": "N-1", "buyer_name": "Hanoi Buyer JSC", "buyer_country": "VN", "currency": "USD",
                "amount": "100.00", "issue_date": "2026-11-01", "due_date": "2027-03-01",
                "declarations": [{"number": self.usd.number, "amount": "100.00"}]}
        body.update(changes)
        body = {name: value for name, value in body.items() if value is not OMIT}
        return self.world.client(self.world.exporter).post("/api/receivables/", body, format="json")

    def apply(self, **changes):
        body = {"receivable": self.receivable, "bank": str(self.world.bank2.pk), "amount": "100.00", "tenor_days": 90}
        body.update(changes)
        return self.world.client(self.world.exporter).post("/api/financings/", body, format="json")

    def approve(self, **body):
        return self.world.client(self.world.bank).post(f"/api/financings/{self.financing}/approve/", body, format="json")

    def grant(self, **changes):
        now = timezone.now()
        body = {"bank": str(self.world.bank.pk), "purpose": "Working-capital line review", "scopes": ["basic"],
                "data_from": (now.date() - timedelta(days=30)).isoformat(), "data_to": now.date().isoformat(),
                "expires_at": (now + timedelta(days=30)).isoformat()}
        body.update(changes)
        return self.world.client(self.world.exporter).post("/api/credit-authorizations/", body, format="json")

    def receipt(self, **changes):
        body = {"receivable": self.receivable, "amount": "10.00", "currency": "USD",
                "value_date": timezone.localdate().isoformat(), "payer_name": "Hanoi Buyer JSC", "reference": "R-1"}
        body.update(changes)
        return self.world.client(self.world.bank).post("/api/fx-receipts/", body, format="json")

    def onboard(self, **changes):
        body = {"kind": "bank", "name": "Beibu Gulf Bank", "bic": "BGBKCNBJXXX",
                "admin_user": {"username": "bgb-admin", "password": "a-long-enough-passphrase-42"}}
        body.update(changes)
        return self.operator.post("/api/organizations/", body, format="json")

    def declare(self, **changes):
        body = {"number": "531699999999999999", "exporter_uscc": self.world.exporter.uscc,
                "export_date": timezone.localdate().isoformat(), "currency": "USD", "fob_value": "1000.00",
                "destination_country": "VN", "consignee": "Hanoi Buyer JSC"}
        body.update(changes)
        return self.operator.post("/api/customs/declarations/", body, format="json")

    def stats(self, **query):
        client = self.world.client(self.world.regulator)
        return client.get("/api/oversight/stats/", query)


# (the table's key, how to provoke it, the form field it lands on: `details` flattened as the portals do)
PROBES = [
    # Django REST framework's own
    ("required", lambda p: p.submit(buyer_name=OMIT), "buyer_name"),
    ("blank", lambda p: p.submit(buyer_name=""), "buyer_name"),
    ("null", lambda p: p.submit(buyer_name=None), "buyer_name"),
    ("emptyList", lambda p: p.submit(declarations=[]), "declarations.non_field_errors"),
    ("number", lambda p: p.approve(interest_rate="four"), "interest_rate"),
    ("integer", lambda p: p.apply(tenor_days="ninety"), "tenor_days"),
    ("uuid", lambda p: p.apply(bank="not-a-uuid"), "bank"),
    ("date", lambda p: p.submit(issue_date="01/11/2026"), "issue_date"),
    ("datetime", lambda p: p.grant(expires_at="next month"), "expires_at"),
    ("maxLength", lambda p: p.submit(invoice_number="I" * 65), "invoice_number"),
    ("minLength", lambda p: p.grant(purpose="ok"), "purpose"),
    ("minValue", lambda p: p.apply(tenor_days=0), "tenor_days"),
    ("maxValue", lambda p: p.apply(tenor_days=721), "tenor_days"),
    ("choice", lambda p: p.onboard(kind="insurer"), "kind"),
    # the platform's
    ("amountNotString", lambda p: p.submit(amount=100), "amount"),
    ("amountInvalid", lambda p: p.submit(amount="one hundred"), "amount"),
    ("amountPositive", lambda p: p.submit(amount="0.00"), "amount"),
    ("amountTooLarge", lambda p: p.submit(amount="1" + "0" * 15), "amount"),
    ("amountScale", lambda p: p.submit(amount="100.001"), "amount"),
    ("declarationTwice", lambda p: p.submit(amount="200.00", declarations=[
        {"number": p.usd.number, "amount": "100.00"}, {"number": p.usd.number, "amount": "100.00"}]), "declarations"),
    ("declarationsSum", lambda p: p.submit(amount="150.00"), "declarations"),
    ("unknownDeclaration", lambda p: p.submit(declarations=[{"number": "000000000000000000", "amount": "100.00"}]),
     "declarations[0].number"),
    ("declaredIn", lambda p: p.submit(declarations=[{"number": p.eur.number, "amount": "100.00"}]),
     "declarations[0].number"),
    ("remainsOnDeclaration", lambda p: p.submit(declarations=[{"number": p.full.number, "amount": "100.00"}]),
     "declarations[0].amount"),
    ("atMost", lambda p: p.apply(amount="600.00"), "amount"),
    ("dueAfterIssue", lambda p: p.submit(due_date="2026-10-01"), "due_date"),
    ("exportDateFuture", lambda p: p.declare(export_date=(timezone.localdate() + timedelta(days=2)).isoformat()),
     "export_date"),
    ("future", lambda p: p.receipt(value_date=(timezone.localdate() + timedelta(days=2)).isoformat()), "value_date"),
    ("mustBeCurrency", lambda p: p.receipt(currency="EUR"), "currency"),
    ("unknownReceivable", lambda p: p.apply(receivable=str(uuid.uuid4())), "receivable"),
    ("unknownBank", lambda p: p.apply(bank=str(uuid.uuid4())), "bank"),
    ("usernameTaken", lambda p: p.onboard(admin_user={"username": p.world.exporter.users.first().username,
                                                      "password": "a-long-enough-passphrase-42"}),
     "admin_user.username"),
    ("periodOrder", lambda p: p.stats(period_from="2026-06-01", period_to="2026-05-01"), "period_to"),
]


@pytest.fixture
def probes():
    return Probes()


def test_every_wording_in_the_table_has_a_probe():
    keys = [key for _, key in TABLE_ENTRIES]
    assert len(keys) == len(set(keys)), "a key twice in the table"
    assert sorted(keys) == sorted(key for key, _, _ in PROBES)


@pytest.mark.parametrize("key,provoke,field", PROBES, ids=[p[0] for p in PROBES])
def test_the_server_says_what_the_table_recognises(probes, key, provoke, field):
    response = provoke(probes)
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:500])
    found = flatten(response.json()["details"])
    assert [recognised(message) for message in found.get(field, [])] == [key], found
