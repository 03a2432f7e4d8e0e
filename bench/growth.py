"""Growth: receivable submission and the declaration-balance check with 10k, 100k and 1M declarations;
the credit lookup with 1k, 10k and 100k financings, and as many declarations and FX receipts, in the
exporter's year.

Declarations are spread over 1,000 other exporters (bulk COPY); the measured exporter keeps its own
modest set, as a real one would. Latency is measured in-process through the full DRF stack
(no HTTP noise); the ratio 1M / 10k is the figure we keep.

The sizes are measured side by side, not one after the other: the database is copied (CREATE DATABASE
... TEMPLATE) as it stands at 10k and at 100k, and the measurement then takes its samples in blocks,
from each size's database in turn. Measured one after the other, minutes apart, the ratio moved with
the shared host's speed: 0.85 in one run, 1.54 in another, of the same code.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from datetime import date, timedelta

from bench.common import (REPO, admin_connection, bench_env, drop_database, manage, recreate_database, summarize_ms,
                          write_result)

DATABASE = "tradefin_bench_growth"
SIZES = (10_000, 100_000, 1_000_000)
HISTORY_SIZES = (1_000, 10_000, 100_000)


def _setup_django(env: dict) -> None:
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PYTHONPATH")})
    sys.path[:0] = [str(REPO / "backend"), str(REPO)]
    import django

    django.setup()


_COPY_DECLARATIONS = (
    "COPY customs_declaration (id, number, exporter_id, export_date, currency, fob_value, destination_country, "
    "consignee, allocated_amount, financed_amount, fingerprint, source, created_at) FROM STDIN")
_COPY_RECEIPTS = (
    "COPY financing_fxreceipt (id, receivable_id, bank_id, amount, currency, value_date, payer_name, reference, "
    "applied_amount, surplus_amount, created_by_id, created_at) FROM STDIN")


def _copy(statement: str, rows) -> None:
    from django.db import connection

    with connection.cursor() as cursor, cursor.connection.cursor().copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _fill_to(target: int, exporters: list[str], start: int) -> int:
    """COPY declarations until the table holds `target` rows."""
    from django.db import connection

    from customs.models import Declaration

    have = Declaration.objects.count()
    missing = target - have
    if missing <= 0:
        return start
    today = date.today()
    _copy(_COPY_DECLARATIONS, ((uuid.uuid4(), f"{880000000000000000 + i}", exporters[i % len(exporters)],
                                today - timedelta(days=i % 700), "USD", "25000.00", "VN", "Growth Buyer", "0", "0",
                                f"0x{i:064x}", "bench", "2026-01-01T00:00:00Z") for i in range(start, start + missing)))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE customs_declaration")
    return start + missing


MEASURES = ("receivable_submission", "declaration_balance_check", "bank_declarations_list")


def _snapshot(env: dict, name: str) -> None:
    """A copy of the benchmark's database as it stands now, under `name`."""
    import psycopg
    from django.db import connection

    connection.close()  # a template database must have no sessions
    source = env["DATABASE_URL"].rsplit("/", 1)[1]
    drop_database(env, name)
    with admin_connection(env, name) as admin:
        for _ in range(40):
            try:
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
                return
            except psycopg.errors.ObjectInUse:  # an autovacuum worker, for a moment
                time.sleep(0.25)
        raise RuntimeError(f"could not copy {source}: it stays in use")


def _use(name: str) -> None:
    """Point Django's connection at database `name` (same server, same schema)."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = name


def _side_by_side(clients: dict, declarations: list[str], databases: dict[int, str], rounds: int, blocks: int = 10) -> dict:
    """Each size's figures, its samples taken in `blocks` blocks, from each size's database in turn (the
    order rotated every block), so that the host's drift falls on every size alike."""
    from customs.models import Declaration

    samples = {size: {m: [] for m in MEASURES} for size in databases}
    sizes = list(databases)
    for size in sizes:
        _use(databases[size])
        assert size <= Declaration.objects.count() < size + 1000, (size, databases[size])  # the copy of that size
        _measure(clients, declarations, f"warm{size}", 10)
    for block in range(blocks):
        for size in sizes[block % len(sizes):] + sizes[:block % len(sizes)]:
            _use(databases[size])
            for measure, values in _measure(clients, declarations, f"{size}-{block}", rounds // blocks,
                                            bank_rounds=max(1, min(rounds, 50) // blocks)).items():
                samples[size][measure] += values
    return {size: {m: summarize_ms(v) for m, v in by.items()} for size, by in samples.items()}


def _measure(clients: dict, declarations: list[str], label: str, rounds: int, bank_rounds: int = 50) -> dict:
    """Samples (seconds) of each measure: `rounds` submissions and balance checks, `bank_rounds` bank lists."""
    exporter, bank = clients["exporter"], clients["bank"]
    submit, check, bank_list = [], [], []
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
        t = time.perf_counter()
        response = exporter.get("/api/customs/declarations/", {"number": number})
        check.append(time.perf_counter() - t)
        assert response.status_code == 200 and response.json()["count"] == 1
    for i in range(bank_rounds):
        t = time.perf_counter()
        response = bank.get("/api/customs/declarations/")
        bank_list.append(time.perf_counter() - t)
        assert response.status_code == 200
    return {"receivable_submission": submit, "declaration_balance_check": check, "bank_declarations_list": bank_list}


# The baseline: how the lookup summed the financing history before the tallies, from the financings.
_HISTORY_FROM_FINANCINGS_SQL = (
    "SELECT currency, status, last_repaid_on <= due_date, count(*), COALESCE(sum(approved_amount), 0), "
    "sum(repaid_amount) FROM financing_financing WHERE exporter_id = %(exporter)s "
    "AND applied_at >= %(data_from)s AND applied_at < %(data_to)s + 1 GROUP BY 1, 2, 3")


# The baseline of the declarations by month: summing the declarations, as the lookup did before tallies.
_DECLARATIONS_FROM_DECLARATIONS_SQL = (
    "SELECT to_char(export_date, 'YYYY-MM'), currency, count(*), sum(fob_value) FROM customs_declaration "
    "WHERE exporter_id = %(exporter)s AND export_date >= %(data_from)s AND export_date <= %(data_to)s GROUP BY 1, 2")


def _sums_ms(params: dict, statements: dict[str, str], numeric: tuple[int, ...], repeat: int = 15) -> dict:
    """Best of `repeat` executions, in ms, of each of `statements` (the lookup's own, from the tallies,
    and the baseline); all must give the same rows. The `numeric` columns are compared as numbers (the
    lookup's sums travel as text)."""
    from decimal import Decimal

    from django.db import connection

    best, rows = {}, {}
    for name, sql in statements.items():
        for _ in range(repeat):
            with connection.cursor() as cursor:
                t = time.perf_counter()
                cursor.execute(sql, params)
                fetched = cursor.fetchall()
                elapsed = (time.perf_counter() - t) * 1000
            rows[name] = sorted((tuple(Decimal(str(v)) if i in numeric else v for i, v in enumerate(row)) for row in fetched),
                                key=lambda row: tuple(str(v) for v in row))
            best[name] = round(min(best.get(name, elapsed), elapsed), 3)
    first = next(iter(rows.values()))
    assert all(r == first for r in rows.values()), rows
    return best


# The baseline of the FX receipts: summing the receipts, each with the earliest export date behind its
# receivable, as the lookup did before tallies.
_RECEIPTS_FROM_RECEIPTS_SQL = """SELECT currency, count(*), sum(amount), sum(value_date - first_export), count(first_export)
  FROM (SELECT receipt.currency, receipt.amount, receipt.value_date,
               (SELECT min(declaration.export_date)
                  FROM receivables_receivableallocation allocation
                  JOIN customs_declaration declaration ON declaration.id = allocation.declaration_id
                 WHERE allocation.receivable_id = receipt.receivable_id) AS first_export
          FROM financing_fxreceipt receipt JOIN receivables_receivable receivable ON receivable.id = receipt.receivable_id
         WHERE receivable.exporter_id = %(exporter)s
           AND receipt.value_date >= %(data_from)s AND receipt.value_date <= %(data_to)s) dated
 GROUP BY currency"""


def _receipts_to(receivable, bank, size: int, today: date) -> None:
    """COPY FX receipts on the measured exporter's receivable, value dates spread over the last 364
    days, until it has `size` (all surplus: what they repay does not matter here)."""
    from financing.models import FxReceipt

    have = FxReceipt.objects.filter(receivable=receivable).count()
    _copy(_COPY_RECEIPTS, ((uuid.uuid4(), receivable.pk, bank.organization_id, f"{100 + i % 89}.25", "USD",
                            today - timedelta(days=i % 364), "Growth Buyer", f"GROWTH-{i}", "0", f"{100 + i % 89}.25",
                            bank.pk, "2026-01-01T00:00:00Z") for i in range(have, size)))


def _own_declarations_to(exporter_id, size: int, today: date) -> None:
    """COPY declarations of the measured exporter, export dates spread over the last 364 days, in two
    currencies, until it has `size` in the period (besides the few it registered)."""
    from customs.models import Declaration

    have = Declaration.objects.filter(exporter_id=exporter_id, source="growth-own").count()
    _copy(_COPY_DECLARATIONS, ((uuid.uuid4(), f"{660000000000000000 + i}", exporter_id, today - timedelta(days=i % 364),
                                ("USD", "EUR")[i % 2], f"{1000 + i % 977}.50", "VN", "Growth Buyer", "0", "0",
                                f"0x{10**15 + i:064x}", "growth-own", "2026-01-01T00:00:00Z") for i in range(have, size)))


def _timed_gets(client, path: str, rounds: int, warm: int) -> tuple[list[float], object]:
    """`warm` untimed GETs, then `rounds` timed ones, each answered 200: (seconds each, last response)."""
    for _ in range(warm):
        client.get(path)
    times, response = [], None
    for _ in range(rounds):
        t = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - t)
        assert response.status_code == 200, response.content
    return times, response


def _financing_lists_p50_ms(parties: dict, rounds: int = 20) -> dict:
    """The first page of GET /api/financings/ (newest first), p50 in ms, as each party sees it."""
    from rest_framework.test import APIClient

    from common.auth import token_issue
    from financing.models import Financing

    out = {}
    for name, user in parties.items():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)[0]}")
        times, response = _timed_gets(client, "/api/financings/", rounds, warm=1)
        page = response.json()
        visible = Financing.objects.all() if name == "regulator" else Financing.objects.filter(**{f"{name}__users": user})
        assert page["count"] == visible.count() and page["results"], page["count"]
        out[name] = summarize_ms(times)["p50_ms"]
    return out


def _oversight_stats_p50_ms(regulator, rounds: int = 10) -> float:
    """GET /api/oversight/stats/ as the regulator sees it, p50 in ms: its aggregates read every
    financing (no tallies), so it grows with the platform's whole history."""
    from rest_framework.test import APIClient

    from common.auth import token_issue
    from financing.models import Financing

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=regulator)[0]}")
    times, response = _timed_gets(client, "/api/oversight/stats/", rounds, warm=1)
    counted = sum(row["count"] for row in response.json()["applications"])
    assert counted == Financing.objects.count(), counted
    return summarize_ms(times)["p50_ms"]


def lookup_growth(*, exporter, bank, receivable, sizes=HISTORY_SIZES, rounds: int = 100) -> dict:
    """A served credit lookup (every scope, a year's period) with `sizes` financings in the exporter's
    history, applied for on days spread over the year, in four outcomes, and as many declarations and
    FX receipts. As in production, the beat has folded the tallies and autovacuum has cleaned what the
    fold deleted."""
    import random
    from decimal import Decimal

    from django.db import connection
    from django.utils import timezone
    from rest_framework.test import APIClient

    from common.auth import token_issue
    from credit.selectors import DECLARATIONS_BY_MONTH_SQL, FINANCING_HISTORY_SQL, PROFILE_TALLIES, RECEIPTS_SQL
    from credit.services import credit_authorization_grant
    from customs.models import Declaration
    from financing.models import Financing, FxReceipt
    from organizations.models import User

    today = timezone.localdate()
    regulator = User.objects.filter(organization__kind="regulator").first()
    grant = credit_authorization_grant(
        user=exporter, bank_id=bank.organization_id, purpose="Growth of the lookup",
        scopes=["basic", "transaction_credit", "regulatory_credit"], data_from=today - timedelta(days=365),
        data_to=today, expires_at=timezone.now() + timedelta(days=30))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=bank)[0]}")
    path = f"/api/credit-reports/{exporter.organization_id}/?authorization={grant.pk}"
    rng = random.Random(7)
    amount = Decimal("800")
    outcomes = [{"status": "applied"}, {"status": "rejected"}, {"status": "withdrawn"},
                {"status": "repaid", "approved_amount": amount, "repaid_amount": amount, "due_date": today,
                 "last_repaid_on": today}]
    results = {}
    for size in sizes:
        have = Financing.objects.filter(exporter=exporter.organization).count()
        new = Financing.objects.bulk_create([
            Financing(receivable=receivable, exporter=exporter.organization, bank=bank.organization, currency="USD",
                      requested_amount=amount, tenor_days=90, created_by=exporter, **rng.choice(outcomes))
            for _ in range(max(size - have, 0))], batch_size=5000)
        with connection.cursor() as cursor:  # applied_at is set on insert; spread it over the period
            cursor.execute("UPDATE financing_financing SET applied_at = now() - random() * interval '364 days' "
                           "WHERE id = ANY(%s)", [[f.pk for f in new]])
        _own_declarations_to(exporter.organization_id, size, today)
        _receipts_to(receivable, bank, size, today)
        for tally in PROFILE_TALLIES:
            tally.fold()
        with connection.cursor() as cursor:
            for tally in PROFILE_TALLIES:
                cursor.execute(f"VACUUM ANALYZE {tally.table}")
            cursor.execute("ANALYZE financing_fxreceipt")
            cursor.execute("ANALYZE customs_declaration")
        times, response = _timed_gets(client, path, rounds, warm=5)
        report = response.json()["transaction_credit"]
        history = report["financing"]
        assert history["count"] == Financing.objects.filter(exporter=exporter.organization).count(), history
        declared = sum(m["count"] for m in report["declarations_by_month"])
        assert declared == Declaration.objects.filter(exporter=exporter.organization,
                                                      export_date__gte=grant.data_from).count(), declared
        received = sum(r["receipt_count"] for r in report["fx_receipts"])
        assert received == FxReceipt.objects.filter(receivable__exporter=exporter.organization).count(), received
        params = {"exporter": exporter.organization_id, "data_from": grant.data_from, "data_to": grant.data_to}
        results[str(size)] = {
            "financings_in_period": history["count"], "declarations_in_period": declared, "receipts_in_period": received,
            **summarize_ms(times),
            "history_sums_ms": _sums_ms(params, {"from_tallies": FINANCING_HISTORY_SQL,
                                                 "from_financings": _HISTORY_FROM_FINANCINGS_SQL}, numeric=(3, 4, 5)),
            "declarations_by_month_ms": _sums_ms(params, {"from_tallies": DECLARATIONS_BY_MONTH_SQL,
                                                          "from_declarations": _DECLARATIONS_FROM_DECLARATIONS_SQL},
                                                 numeric=(2, 3)),
            "receipts_ms": _sums_ms(params, {"from_tallies": RECEIPTS_SQL, "from_receipts": _RECEIPTS_FROM_RECEIPTS_SQL},
                                    numeric=(1, 2, 3, 4)),
            "financing_list_first_page_p50_ms": _financing_lists_p50_ms(
                {"regulator": regulator, "bank": bank, "exporter": exporter}),
            "oversight_stats_p50_ms": _oversight_stats_p50_ms(regulator),
        }
        print(f"lookup with {size} financings: {json.dumps(results[str(size)])}", flush=True)
    return results


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

    filled, databases = {}, {}
    next_index = 0
    try:
        for size in SIZES:
            started = time.perf_counter()
            next_index = _fill_to(size, exporter_ids, next_index)
            filled[size] = round(time.perf_counter() - started, 1)
            databases[size] = DATABASE if size == SIZES[-1] else f"{DATABASE}_{size}"
            if size != SIZES[-1]:
                _snapshot(env, databases[size])
        measured = _side_by_side(clients, own, databases, rounds)
    finally:
        _use(DATABASE)
        for name in databases.values():
            if name != DATABASE:
                drop_database(env, name)
    sizes = {}
    for size in SIZES:
        sizes[str(size)] = {"fill_seconds": filled[size], **measured[size]}
        print(f"{size}: {json.dumps(sizes[str(size)])}", flush=True)
    small, large = sizes[str(SIZES[0])], sizes[str(SIZES[-1])]
    ratios = {key: round(large[key]["p50_ms"] / small[key]["p50_ms"], 3) for key in MEASURES}
    # A grant is signed for the deployed authorization registry: a node with our contracts for that part.
    from django.conf import settings

    from chain.deploy import chain_ensure_deployed
    from tests.support.processes import Anvil, free_port

    anvil = Anvil(port=free_port()).start()
    try:
        settings.CHAIN_RPC_URL = anvil.url
        chain_ensure_deployed()
        lookups = lookup_growth(exporter=exporter, bank=bank, receivable=Receivable.objects.filter(
            exporter=exporter.organization, invoice_number="BANKVIEW-0").get())
    finally:
        anvil.kill()
    figures = {"sizes": sizes, "measured": "side by side: the sizes' databases in turn, in 10 blocks (see bench/growth.py)",
               "ratio_1m_to_10k_p50": ratios, "target_ratio": 1.5,
               "meets_target": all(v <= 1.5 for v in ratios.values()),
               "credit_lookup_by_history": lookups,
               "credit_lookup_ratio_100k_to_1k_p50": round(
                   lookups[str(HISTORY_SIZES[-1])]["p50_ms"] / lookups[str(HISTORY_SIZES[0])]["p50_ms"], 3)}
    write_result("growth", figures)
    return figures


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
