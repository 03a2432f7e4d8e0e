"""Ten banks approve the same receivable at the same instant, each on its own PostgreSQL connection."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from rest_framework.test import APIClient

from customs.models import Declaration
from financing.models import Financing, Reservation
from receivables.models import Receivable
from tests.support.factories import auth, make_declaration, make_org, user_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_ten_simultaneous_approvals_finance_exactly_what_fits():
    exporter = make_org("exporter")
    banks = [make_org("bank", username=f"cbank{i}") for i in range(10)]
    d1 = make_declaration(exporter, fob="30000.00")
    d2 = make_declaration(exporter, fob="25000.00")
    exporter_api = auth(APIClient(), user_of(exporter))
    receivable = exporter_api.post("/api/receivables/", {
        "invoice_number": "RACE-1", "buyer_name": "Buyer", "buyer_country": "VN", "currency": "USD",
        "amount": "55000.00", "issue_date": "2026-11-01", "due_date": "2027-02-01",
        "declarations": [{"number": d1.number, "amount": "30000.00"}, {"number": d2.number, "amount": "25000.00"}],
    }, format="json").json()
    financings = [
        exporter_api.post("/api/financings/", {"receivable": receivable["id"], "bank": str(b.pk), "amount": "20000.00",
                                               "tenor_days": 60}, format="json").json()
        for b in banks
    ]
    barrier = threading.Barrier(len(banks))
    results: dict[int, tuple[int, str]] = {}

    def approve(index: int) -> None:
        client = auth(APIClient(), user_of(banks[index]))
        barrier.wait()
        try:
            response = client.post(f"/api/financings/{financings[index]['id']}/approve/", {"interest_rate": "4.00"}, format="json")
            results[index] = (response.status_code, response.json().get("code", response.json().get("status")))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(i,)) for i in range(len(banks))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    statuses = sorted(code for code, _ in results.values())
    # 55,000 holds two financings of 20,000; the other eight are refused.
    assert statuses.count(200) == 2
    assert statuses.count(409) == 8
    assert {reason for code, reason in results.values() if code == 409} == {"insufficient_available_balance"}
    assert Receivable.objects.get(pk=receivable["id"]).financed_amount == Decimal("40000")
    assert Financing.objects.filter(status="approved").count() == 2
    total_reserved = sum(r.amount for r in Reservation.objects.all())
    assert total_reserved == Decimal("40000")
    for declaration in Declaration.objects.all():
        assert declaration.financed_amount <= declaration.fob_value
    assert sum(d.financed_amount for d in Declaration.objects.all()) == Decimal("40000")
