"""Growth: receivable submission and the declaration-balance check with 10k, 100k and 1M declarations.

Declarations are spread over 1,000 other exporters (bulk COPY); the measured exporter keeps its own
modest set, as a real one would. Latency is measured in-process through the full DRF stack
(no HTTP noise), at each size, in the same run; the ratio 1M / 10k is the figure we keep.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from datetime import date, timedelta

from bench.common import REPO, bench_env, manage, recreate_database, summarize_ms, write_result

DATABASE = "tradefin_bench_growth"
SIZES = (10_000, 100_000, 1_000_000)


def _setup_django(env: dict) -> None:
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PYTHONPATH")})
    sys.path[:0] = [str(REPO / "backend"), str(REPO)]
    import django

    django.setup()


def _fill_to(target: int, exporters: list[str], start: int) -> int:
    """COPY declarations until the table holds `target` rows."""
    from django.db import connection

    from customs.models import Declaration

    have = Declaration.objects.count()
    missing = target - have
    if missing <= 0:
        return start
    today = date.today()
    with connection.cursor() as cursor:
        with cursor.connection.cursor().copy(
            "COPY customs_declaration (id, number, exporter_id, export_date, currency, fob_value, destination_country, "
            "consignee, allocated_amount, financed_amount, fingerprint, source, created_at) FROM STDIN"
        ) as copy:
            for i in range(start, start + missing):
                copy.write_row((uuid.uuid4(), f"{880000000000000000 + i}", exporters[i % len(exporters)],
                                today - timedelta(days=i % 700), "USD", "25000.00", "VN", "Growth Buyer", "0", "0",
                                f"0x{i:064x}", "bench", "2026-01-01T00:00:00Z"))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE customs_declaration")
    return start + missing


def _measure(clients: dict, declarations: list[str], label: str, rounds: int) -> dict:
    exporter, bank = clients["exporter"], clients["bank"]
    submit, check, bank_list = [], [], []
    receivable_ids = []
    for i in range(rounds):
        number = declarations[i % len(declarations)]
        # Each invoice its own buyer and amount: identical buyer, amount and due date is the
        # suspected-duplicate path, whose cost grows with the number of earlier matches.
        amount = f"{10 + i}.00"
        body = {"invoice_number": f"G-{label}-{i}", "buyer_name": f"Growth Buyer {label}", "buyer_country": "VN",
                "currency": "USD", "amount": amount, "issue_date": "2026-11-01", "due_date": "2027-02-01",
                "declarations": [{"number": number, "amount": amount}]}
        t = time.perf_counter()
        response = exporter.post("/api/receivables/", body, format="json")
        submit.append(time.perf_counter() - t)
        assert response.status_code == 201, response.content
        receivable_ids.append(response.json()["id"])
        t = time.perf_counter()
        response = exporter.get("/api/customs/declarations/", {"number": number})
        check.append(time.perf_counter() - t)
        assert response.status_code == 200 and response.json()["count"] == 1
    for i in range(min(rounds, 50)):
        t = time.perf_counter()
        response = bank.get("/api/customs/declarations/")
        bank_list.append(time.perf_counter() - t)
        assert response.status_code == 200
    return {"receivable_submission": summarize_ms(submit), "declaration_balance_check": summarize_ms(check),
            "bank_declarations_list": summarize_ms(bank_list)}


def run(rounds: int = 150) -> dict:
    env = bench_env(DATABASE, DJANGO_SETTINGS_MODULE="config.settings.dev", LOG_LEVEL="WARNING")
    recreate_database(env)
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo")
    _setup_django(env)
    from decimal import Decimal

    from django.utils import timezone
    from rest_framework.test import APIClient

    from common.auth import token_issue
    from customs.services import declaration_register
    from financing.services import financing_apply
    from organizations.models import Organization, User
    from receivables.models import Receivable

    others = Organization.objects.bulk_create([
        Organization(kind="exporter", name=f"Growth Exporter {i}", uscc=f"G{i:017d}", safe_classification="B")
        for i in range(1000)
    ])
    exporter_ids = [str(o.pk) for o in others]
    exporter = User.objects.get(username="exporter")
    bank = User.objects.get(username="bank")
    own = []
    for i in range(40):
        number = f"99{i:016d}"
        declaration_register(actor=None, number=number, exporter_uscc=exporter.organization.uscc,
                             export_date=timezone.localdate(), currency="USD", fob_value=Decimal("100000000"),
                             destination_country="VN", consignee="Growth Buyer")
        own.append(number)
    clients = {}
    for name, user in (("exporter", exporter), ("bank", bank)):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)[0]}")
        clients[name] = client
    # The bank sees declarations behind applications to it: give it a realistic number of them.
    for i in range(20):
        response = clients["exporter"].post("/api/receivables/", {
            "invoice_number": f"BANKVIEW-{i}", "buyer_name": "B", "buyer_country": "VN", "currency": "USD", "amount": "10.00",
            "issue_date": "2026-11-01", "due_date": "2027-02-01", "declarations": [{"number": own[i], "amount": "10.00"}]},
            format="json")
        financing_apply(exporter_user=exporter, receivable=Receivable.objects.get(pk=response.json()["id"]),
                        bank=bank.organization, amount=Decimal("10"), tenor_days=30)

    sizes = {}
    next_index = 0
    for size in SIZES:
        started = time.perf_counter()
        next_index = _fill_to(size, exporter_ids, next_index)
        filled_s = time.perf_counter() - started
        _measure(clients, own, f"warm{size}", 10)
        sizes[str(size)] = {"fill_seconds": round(filled_s, 1), **_measure(clients, own, str(size), rounds)}
        print(f"{size}: {json.dumps(sizes[str(size)])}", flush=True)
    small, large = sizes[str(SIZES[0])], sizes[str(SIZES[-1])]
    ratios = {
        key: round(large[key]["p50_ms"] / small[key]["p50_ms"], 3)
        for key in ("receivable_submission", "declaration_balance_check", "bank_declarations_list")
    }
    figures = {"sizes": sizes, "ratio_1m_to_10k_p50": ratios, "target_ratio": 1.5,
               "meets_target": all(v <= 1.5 for v in ratios.values())}
    write_result("growth", figures)
    return figures


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
