"""The benchmarks' code paths at their smallest sizes, on the real chain and database.

`make bench` is not part of `make test`; without this, a change of the platform that breaks a
benchmark (a service's signature, an endpoint's body) shows first when someone measures. Only what
the benchmarks compute from receipts and rows is checked (real gas, counts, rows written), never a
time.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from rest_framework.test import APIClient, APIRequestFactory

from audit.models import AuditEvent
from chain.models import ChainTransaction
from tests.support.factories import make_org, token_for, user_of

pytestmark = [pytest.mark.chain]


@pytest.mark.django_db
def test_the_chain_benchmark_measures_gas_from_receipts(chain):
    from bench.chain_bench import gas_by_batch_size, gas_per_record, relay_vs_naive

    relay = relay_vs_naive(count=3)
    assert relay["transactions"] == 3 and relay["relay_tx_per_s"] > 0 and relay["naive_tx_per_s"] > 0
    assert relay["relay_cpu_ms_per_tx"] > 0

    gas = gas_per_record()
    assert 0 < gas["financing_record_1_declarations"] < gas["financing_record_5_declarations"]
    assert gas["credit_grant"] > 0 and gas["credit_access"] > 0

    by_size = gas_by_batch_size(sizes=(1, 2))
    for kind in ("financing_record_1_declaration", "credit_access"):
        assert [by_size[kind][n]["transactions"] for n in ("1", "2")] == [1, 2]
        for n in ("1", "2"):
            row = by_size[kind][n]
            assert 0 < row["min_gas"] <= row["gas_per_record"] <= row["max_gas"]
    # One record costs the same alone as measured on its own (same contract call, same shape).
    assert by_size["financing_record_1_declaration"]["1"]["min_gas"] == pytest.approx(
        gas["financing_record_1_declarations"], rel=0.01)
    assert not ChainTransaction.objects.exclude(status="confirmed").filter(function="recordFinancing").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("mode,outbox", [("audit", 0), ("chain", 1)])
def test_the_api_benchmarks_floor_endpoint_writes_what_it_claims(mode, outbox):
    from bench.floor.views import FloorView

    exporter = make_org("exporter")
    events, entries = AuditEvent.objects.count(), ChainTransaction.objects.count()
    request = APIRequestFactory().post(f"/api/bench-floor/?mode={mode}", json.dumps({"reason": "floor"}),
                                       content_type="application/json",
                                       HTTP_AUTHORIZATION=f"Bearer {token_for(user_of(exporter))}")
    response = FloorView.as_view()(request)
    assert response.status_code == 201, response.data
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.order_by("-seq").first().object_id == response.data["id"]
    assert ChainTransaction.objects.count() == entries + outbox
    if outbox:
        entry = ChainTransaction.objects.order_by("-created_at").first()
        assert (entry.function, entry.subject_id) == ("recordDisbursement", response.data["id"])


@pytest.mark.django_db
def test_the_one_statement_submission_writes_what_the_platforms_submission_writes():
    """The floor is a lower bound of the submission only if it does all of its work: the same rows, the
    same declaration balance, the same audit event and response as POST /api/receivables/; and, like it,
    nothing at all when a declaration has no room left."""
    from bench.floor.views import OneStatementSubmissionView
    from customs.models import Declaration
    from receivables.models import Receivable
    from tests.support.factories import make_declaration

    exporter = make_org("exporter")
    first, second = make_declaration(exporter, fob="1000.00"), make_declaration(exporter, fob="1000.00")
    user = user_of(exporter)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")

    def body(invoice, amounts, buyer="Hanoi Buyer"):
        return {"invoice_number": invoice, "buyer_name": buyer, "buyer_country": "VN", "currency": "USD",
                "amount": str(sum(Decimal(a) for a in amounts)), "issue_date": "2026-11-01", "due_date": "2027-02-01",
                "declarations": [{"number": d.number, "amount": a} for d, a in zip((first, second), amounts)]}

    def floor(payload):
        request = APIRequestFactory().post("/api/bench-floor/one-statement-submission/", json.dumps(payload),
                                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
        return OneStatementSubmissionView.as_view()(request)

    platform = api.post("/api/receivables/", body("INV-P", ["100.00", "200.00"]), format="json")
    assert platform.status_code == 201, platform.json()
    # Another buyer: the same one would make it a suspected duplicate of the first.
    response = floor(body("INV-F", ["100.00", "200.00"], buyer="Saigon Buyer"))
    assert response.status_code == 201, response.data
    shown_all = json.loads(response.render().content)
    made = Receivable.objects.get(pk=shown_all["id"])
    # Its row, its allocations and its audit event, each as the platform's submission writes them.
    ignore = {"id", "invoice_number", "buyer_name", "fingerprint", "declaration_check", "created_at"}
    shown = {k: v for k, v in shown_all.items() if k not in ignore}
    assert shown == {k: v for k, v in platform.json().items() if k not in ignore}
    assert represent_again(made) == shown_all
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.type, event.object_id) == ("receivable.submitted", str(made.pk))
    twin = AuditEvent.objects.get(type="receivable.submitted", object_id=platform.json()["id"])
    differ = {"invoice_number", "fingerprint"}
    assert {k: v for k, v in event.payload["data"].items() if k not in differ} == \
        {k: v for k, v in twin.payload["data"].items() if k not in differ}
    assert Declaration.objects.get(pk=first.pk).allocated_amount == Decimal("200.00")
    assert Declaration.objects.get(pk=second.pk).allocated_amount == Decimal("400.00")

    # Over a declaration's room: refused, and nothing written.
    rows, events = Receivable.objects.count(), AuditEvent.objects.count()
    refused = floor(body("INV-X", ["801.00", "1.00"]))
    assert refused.status_code == 409
    assert (Receivable.objects.count(), AuditEvent.objects.count()) == (rows, events)
    assert Declaration.objects.get(pk=first.pk).allocated_amount == Decimal("200.00")


def represent_again(receivable):
    """The receivable as the platform's serializer shows it, read back from the database."""
    from common.rendering import represent
    from receivables.models import Receivable
    from receivables.serializers import ReceivableSerializer

    fresh = Receivable.objects.select_related("exporter").prefetch_related("allocations__declaration").get(pk=receivable.pk)
    return json.loads(json.dumps(represent(ReceivableSerializer, fresh), default=str))


@pytest.mark.django_db(transaction=True)  # the benchmark vacuums the tallies, which no transaction may wrap
def test_the_growth_benchmarks_lookup_reads_the_whole_history(chain):
    from rest_framework.test import APIClient

    from bench.growth import lookup_growth
    from customs.models import DeclarationTally
    from financing.models import Financing, FinancingTally, ReceiptTally
    from financing.tests.helpers import World
    from receivables.models import Receivable

    world = World(APIClient)
    receivable = world.submit([(world.declaration(fob="900.00"), "900.00")], amount="900.00").json()
    results = lookup_growth(exporter=user_of(world.exporter), bank=user_of(world.bank),
                            receivable=Receivable.objects.get(pk=receivable["id"]), sizes=(4, 12), rounds=2)
    assert [results[size]["financings_in_period"] for size in ("4", "12")] == [4, 12]
    assert all(results[size]["n"] == 2 for size in ("4", "12"))
    # Both ways of summing the history are timed, and agreed (the benchmark compares their rows).
    assert all(set(results[size]["history_sums_ms"]) == {"from_tallies", "from_financings"} for size in ("4", "12"))
    assert all(set(results[size]["declarations_by_month_ms"]) == {"from_tallies", "from_declarations"}
               for size in ("4", "12"))
    # The declarations too: the exporter's own from the fixture, plus as many as the size.
    assert [results[size]["declarations_in_period"] for size in ("4", "12")] == [5, 13]
    assert [results[size]["receipts_in_period"] for size in ("4", "12")] == [4, 12]
    assert all(set(results[size]["receipts_ms"]) == {"from_tallies", "from_receipts"} for size in ("4", "12"))
    assert all(set(results[size]["financing_list_first_page_p50_ms"]) == {"regulator", "bank", "exporter"}
               for size in ("4", "12"))
    assert all(results[size]["oversight_stats_p50_ms"] > 0 for size in ("4", "12"))  # its counts checked inside
    assert Financing.objects.filter(exporter=world.exporter).count() == 12
    assert not FinancingTally.objects.filter(folded=False).exists()  # measured as the beat leaves them
    assert not DeclarationTally.objects.filter(folded=False).exists()
    assert not ReceiptTally.objects.filter(folded=False).exists()
