"""The regulator's oversight: statistics, alerts and their acknowledgement, CSV exports."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone as tz
from decimal import Decimal
from itertools import count

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from credit.models import CreditAccess, CreditAuthorization
from financing.models import BlockedAttempt, Financing
from oversight.models import Alert
from oversight.services import alert_raise, oversight_alerts_sweep
from receivables.models import Receivable
from tests.support.factories import auth, make_org, user_of

pytestmark = pytest.mark.django_db

S = Financing.Status
_n = count(1)


def receivable(exporter, *, currency="USD", amount="10000.00", country="VN", duplicate_of=None):
    n = next(_n)
    return Receivable.objects.create(
        exporter=exporter, invoice_number=f"INV-{n}", buyer_name="Buyer Co", buyer_country=country, currency=currency,
        amount=Decimal(amount), issue_date="2026-01-01", due_date="2026-06-30", fingerprint=f"0xfp{n}",
        match_fingerprint=f"0xm{n}", created_by=user_of(exporter), suspected_duplicate_of=duplicate_of or [],
    )


def financing(rec, bank, *, status, approved=None, repaid="0", due_date=None, disbursed=None, requested=None):
    return Financing.objects.create(
        receivable=rec, exporter=rec.exporter, bank=bank, currency=rec.currency,
        requested_amount=Decimal(requested or approved or "100.00"),
        approved_amount=Decimal(approved) if approved else None, repaid_amount=Decimal(repaid), tenor_days=90,
        status=status, due_date=due_date, disbursed_at=disbursed, created_by=user_of(rec.exporter),
    )


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=tz.utc)


@pytest.fixture
def book():
    today = timezone.localdate()
    exporter = make_org("exporter")
    bank_a = make_org("bank", name="Bank A", grace_days=5)
    bank_b = make_org("bank", name="Bank B", grace_days=5)
    regulator = make_org("regulator")
    vn, th, de = receivable(exporter), receivable(exporter, country="TH"), receivable(exporter, currency="EUR", country="DE")
    financing(vn, bank_a, status=S.DISBURSED, approved="1000.00", due_date=today + timedelta(days=30), disbursed=at("2026-01-15"))
    # Past due plus grace but not yet marked by the overdue sweep: counted as overdue all the same.
    financing(vn, bank_a, status=S.PARTIALLY_REPAID, approved="500.00", repaid="200.00",
              due_date=today - timedelta(days=10), disbursed=at("2026-01-20"))
    financing(vn, bank_a, status=S.PARTIALLY_REPAID, approved="50.00", repaid="10.00",
              due_date=today - timedelta(days=3), disbursed=at("2026-02-01"))  # within grace: not overdue
    financing(vn, bank_a, status=S.REPAID, approved="400.00", repaid="400.00", disbursed=at("2026-02-03"))
    financing(th, bank_b, status=S.OVERDUE, approved="700.00", repaid="100.00", due_date=today - timedelta(days=40),
              disbursed=at("2026-02-10"))
    financing(th, bank_b, status=S.WRITTEN_OFF, approved="100.00", disbursed=at("2026-02-11"))
    financing(de, bank_b, status=S.DISBURSED, approved="250.50", due_date=today + timedelta(days=5), disbursed=at("2026-02-12"))
    applied = financing(vn, bank_b, status=S.APPLIED, requested="300.00")
    for _ in range(2):
        BlockedAttempt.objects.create(financing=applied, bank=bank_b, requested_amount=Decimal("300.00"),
                                      available_amount=Decimal("50.00"), currency="USD")
    receivable(exporter, duplicate_of=[{"receivable": str(vn.pk)}])
    grant = CreditAuthorization.objects.create(
        exporter=exporter, bank=bank_a, purpose="review", scope_mask=1, data_from="2025-01-01", data_to="2026-01-01",
        valid_from=timezone.now(), expires_at=timezone.now() + timedelta(days=30), digest="0x" + "1" * 64,
        signature="0x" + "2" * 130, signer_address="0x" + "3" * 40, typed_data={}, created_by=user_of(exporter),
    )
    outcomes = [("served", bank_a), ("served", bank_a), ("authorization_required", bank_b),
                ("authorization_required", bank_b), ("scope_not_authorized", bank_a)]
    for outcome, bank in outcomes:
        CreditAccess.objects.create(
            requested_exporter_id=exporter.pk, exporter=exporter, bank=bank, user=user_of(bank), scope_mask=1,
            outcome=outcome, occurred_at=timezone.now(), authorization=grant if outcome == "served" else None,
        )
    return {"regulator": regulator, "bank_a": bank_a, "bank_b": bank_b, "exporter": exporter}


def test_stats_aggregate_per_bank_currency_and_month_without_mixing_currencies(api, book):
    response = auth(api, user_of(book["regulator"])).get("/api/oversight/stats/")
    assert response.status_code == 200, response.json()
    stats = response.json()
    a, b = str(book["bank_a"].pk), str(book["bank_b"].pk)

    assert stats["volumes"]["by_currency"] == [{"currency": "EUR", "count": 1, "amount": "250.50"},
                                               {"currency": "USD", "count": 6, "amount": "2750.00"}]
    by_bank = {(r["bank"]["id"], r["currency"]): (r["count"], r["amount"]) for r in stats["volumes"]["by_bank"]}
    assert by_bank == {(a, "USD"): (4, "1950.00"), (b, "USD"): (2, "800.00"), (b, "EUR"): (1, "250.50")}
    assert stats["volumes"]["by_month"] == [
        {"month": "2026-01", "currency": "USD", "count": 2, "amount": "1500.00"},
        {"month": "2026-02", "currency": "EUR", "count": 1, "amount": "250.50"},
        {"month": "2026-02", "currency": "USD", "count": 4, "amount": "1250.00"},
    ]
    portfolio = {r["currency"]: r for r in stats["portfolio"]}
    assert portfolio["USD"] == {
        "currency": "USD", "outstanding": "1940.00", "outstanding_count": 4, "overdue": "900.00", "overdue_count": 2,
        "repaid": "710.00", "repaid_count": 1, "disbursed": "2750.00", "written_off": "100.00",
    }
    assert (portfolio["EUR"]["outstanding"], portfolio["EUR"]["overdue"]) == ("250.50", "0.00")
    assert {r["status"]: r["count"] for r in stats["applications"]} == {
        "applied": 1, "disbursed": 2, "partially_repaid": 2, "repaid": 1, "overdue": 1, "written_off": 1}

    assert stats["double_financing"]["blocked_attempts"] == 2
    assert stats["double_financing"]["blocked_by_bank"] == [
        {"bank": {"id": b, "name": "Bank B", "bic": book["bank_b"].bic}, "currency": "USD", "count": 2, "requested": "600.00"}]
    assert stats["double_financing"]["suspected_duplicate_receivables"] == 1

    lookups = stats["credit_lookups"]
    assert (lookups["served"], lookups["refused"]) == (2, 3)
    assert lookups["refused_by_reason"] == [{"reason": "authorization_required", "count": 2},
                                            {"reason": "scope_not_authorized", "count": 1}]
    assert {r["bank"]["id"]: (r["served"], r["refused"]) for r in lookups["by_bank"]} == {a: (2, 1), b: (0, 2)}

    banks = {(r["bank"]["id"], r["currency"]): (r["outstanding"], r["share"]) for r in stats["concentration"]["by_bank"]}
    assert banks == {(a, "USD"): ("1340.00", "0.6907"), (b, "USD"): ("600.00", "0.3093"), (b, "EUR"): ("250.50", "1.0000")}
    countries = {(r["country"], r["currency"]): (r["outstanding"], r["share"]) for r in stats["concentration"]["by_buyer_country"]}
    assert countries == {("VN", "USD"): ("1340.00", "0.6907"), ("TH", "USD"): ("600.00", "0.3093"), ("DE", "EUR"): ("250.50", "1.0000")}


def test_stats_take_a_period_and_refuse_a_backwards_one(api, book):
    auth(api, user_of(book["regulator"]))
    stats = api.get("/api/oversight/stats/?period_from=2026-02-01&period_to=2026-02-28").json()
    assert stats["volumes"]["by_currency"] == [{"currency": "EUR", "count": 1, "amount": "250.50"},
                                               {"currency": "USD", "count": 4, "amount": "1250.00"}]
    assert stats["period_from"] == "2026-02-01"
    response = api.get("/api/oversight/stats/?period_from=2026-03-01&period_to=2026-02-01")
    assert (response.status_code, list(response.json()["details"])) == (400, ["period_to"])
    assert api.get("/api/oversight/stats/?period_from=someday").status_code == 400


def test_the_stats_query_count_does_not_grow_with_the_book(api, book, django_assert_max_num_queries):
    auth(api, user_of(book["regulator"]))
    with django_assert_max_num_queries(16):
        assert api.get("/api/oversight/stats/").status_code == 200


@pytest.mark.parametrize("kind", ["exporter", "bank"])
def test_only_the_regulator_sees_stats_and_exports(api, book, kind):
    auth(api, user_of(book["exporter"] if kind == "exporter" else book["bank_a"]))
    for path in ("/api/oversight/stats/", "/api/oversight/exports/financings.csv", "/api/oversight/exports/audit-events.csv"):
        assert api.get(path).status_code == 403, path


def test_alerts_regulator_sees_all_parties_see_theirs_filters_work(api, book):
    mine = alert_raise(kind="double_financing_blocked", severity="high", message="blocked", visible_to=[book["bank_b"].pk])
    other = alert_raise(kind="financing_overdue", message="late", visible_to=[book["bank_a"].pk])
    auth(api, user_of(book["regulator"]))
    ids = [r["id"] for r in api.get("/api/oversight/alerts/").json()["results"]]
    assert set(ids) == {str(mine.pk), str(other.pk)}
    assert [r["id"] for r in api.get("/api/oversight/alerts/?kind=financing_overdue").json()["results"]] == [str(other.pk)]
    assert [r["id"] for r in api.get("/api/oversight/alerts/?severity=high").json()["results"]] == [str(mine.pk)]
    assert api.get("/api/oversight/alerts/?acknowledged=true").json()["count"] == 0
    assert api.get("/api/oversight/alerts/?acknowledged=false").json()["count"] == 2
    bank_view = auth(api, user_of(book["bank_b"])).get("/api/oversight/alerts/").json()
    assert [r["id"] for r in bank_view["results"]] == [str(mine.pk)]
    assert api.get(f"/api/oversight/alerts/{other.pk}/").status_code == 404
    assert auth(api, user_of(book["exporter"])).get("/api/oversight/alerts/").json()["count"] == 0


def test_acknowledging_an_alert_is_an_audit_event_and_happens_once(api, book):
    alert = alert_raise(kind="double_financing_blocked", severity="high", message="blocked", subject_type="financing",
                        subject_id="f-1", visible_to=[book["bank_b"].pk])
    before = AuditEvent.objects.count()
    regulator = user_of(book["regulator"])
    auth(api, regulator)
    path = f"/api/oversight/alerts/{alert.pk}/acknowledge/"
    first = api.post(path, {"note": "Called the bank."}, format="json", HTTP_IDEMPOTENCY_KEY="ack-1")
    assert first.status_code == 200, first.json()
    body = first.json()
    assert (body["acknowledged"], body["acknowledged_by"], body["acknowledgement_note"]) == (True, regulator.username, "Called the bank.")
    replay = api.post(path, {"note": "Called the bank."}, format="json", HTTP_IDEMPOTENCY_KEY="ack-1")
    assert replay.status_code == 200 and replay["Idempotent-Replayed"] == "true"
    again = api.post(path, {}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "alert_already_acknowledged")
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.get(type="alert.acknowledged")
    assert event.actor == regulator and event.object_id == str(alert.pk)
    assert event.payload["data"] == {"kind": "double_financing_blocked", "severity": "high", "subject_type": "financing",
                                     "subject_id": "f-1", "note": "Called the bank."}
    assert str(book["bank_b"].pk) in [str(v) for v in event.visible_to]


def test_only_the_regulator_acknowledges_and_bad_notes_are_refused(api, book):
    alert = alert_raise(kind="x", message="m", visible_to=[book["bank_b"].pk])
    path = f"/api/oversight/alerts/{alert.pk}/acknowledge/"
    assert auth(api, user_of(book["bank_b"])).post(path, {}, format="json").status_code == 403
    response = auth(api, user_of(book["regulator"])).post(path, {"note": "bad\u202enote"}, format="json")
    assert (response.status_code, list(response.json()["details"])) == (400, ["note"])
    alert.refresh_from_db()
    assert alert.acknowledged_at is None and not AuditEvent.objects.filter(type="alert.acknowledged").exists()


def test_the_sweep_raises_one_concentration_alert_per_subject_and_month(book, settings):
    settings.OVERSIGHT_CONCENTRATION_MIN_FINANCINGS = 2
    settings.OVERSIGHT_BANK_CONCENTRATION_LIMIT = "0.6"
    settings.OVERSIGHT_COUNTRY_CONCENTRATION_LIMIT = "0.95"
    assert oversight_alerts_sweep() == 1  # Bank A holds 69% of USD; EUR has a single financing
    alert = Alert.objects.get(kind="concentration_bank")
    assert alert.subject_id == str(book["bank_a"].pk) and alert.data["share"] == "0.6907"
    assert oversight_alerts_sweep() == 0
    alert.acknowledged_at, alert.acknowledged_by = timezone.now(), user_of(book["regulator"])
    alert.save()
    assert oversight_alerts_sweep() == 0  # acknowledged this month: not raised again
    assert Alert.objects.filter(kind__startswith="concentration").count() == 1


def test_a_deduplicated_alert_is_raised_once_while_open(book):
    first = alert_raise(kind="k", message="m", dedupe_key="same")
    second = alert_raise(kind="k", message="m again", dedupe_key="same")
    assert first.pk == second.pk and Alert.objects.filter(dedupe_key="same").count() == 1


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


def test_financings_csv(api, book):
    Receivable.objects.filter(buyer_country="DE").update(invoice_number="=HYPERLINK(\"http://x\")")
    rows = read_csv(auth(api, user_of(book["regulator"])).get("/api/oversight/exports/financings.csv", HTTP_ACCEPT="text/csv"))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["id", "status", "exporter_id"] and len(body) == Financing.objects.count()
    record = {r[header.index("id")]: dict(zip(header, r)) for r in body}
    overdue = Financing.objects.get(status=S.OVERDUE)
    line = record[str(overdue.pk)]
    assert (line["approved_amount"], line["repaid_amount"], line["outstanding_amount"], line["bank_name"]) == (
        "700.00", "100.00", "600.00", "Bank B")
    german = next(r for r in record.values() if r["buyer_country"] == "DE")
    assert german["invoice_number"].startswith("'=")  # a formula is never handed to a spreadsheet as one


def test_audit_events_csv_with_filters(api, book):
    auth(api, user_of(book["regulator"]))
    rows = read_csv(api.get("/api/oversight/exports/audit-events.csv?seq_from=2&seq_to=3"))
    header = rows[0]
    assert [r[0] for r in rows[1:]] == ["2", "3"]
    event = AuditEvent.objects.get(seq=2)
    line = dict(zip(header, rows[1]))
    assert (line["entry_hash"], line["type"], line["anchor_status"]) == (event.entry_hash, event.type, "unbatched")
    assert api.get("/api/oversight/exports/audit-events.csv?seq_from=x").status_code == 400
