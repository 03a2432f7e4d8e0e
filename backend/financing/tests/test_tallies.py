"""The financing tallies the credit lookup sums: kept by the database on every path, folded without loss."""

import threading
from collections import defaultdict
from contextlib import contextmanager
from datetime import timedelta, timezone as dt_timezone
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from financing.models import Financing, FinancingTally
from financing.services import financings_mark_overdue
from financing.tallies import FINANCING_TALLY
from financing.tests.helpers import World
from tests.support.migrations import migrate_back_and_forth


def _direct() -> dict:
    """What the tallies must sum to, computed from the financings themselves."""
    groups: dict = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for f in Financing.objects.all():
        on_time = None if f.last_repaid_on is None or f.due_date is None else f.last_repaid_on <= f.due_date
        key = (f.exporter_id, f.applied_at.astimezone(dt_timezone.utc).date(), f.currency, f.status, on_time)
        groups[key][0] += 1
        groups[key][1] += f.approved_amount or 0
        groups[key][2] += f.repaid_amount
    return {k: tuple(v) for k, v in groups.items()}


def _tallied() -> dict:
    groups: dict = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for t in FinancingTally.objects.all():
        key = (t.exporter_id, t.applied_on, t.currency, t.status, t.on_time)
        groups[key][0] += t.n
        groups[key][1] += t.approved
        groups[key][2] += t.repaid
    emptied = {k: v for k, v in groups.items() if v[0] == 0}
    assert all(v == [0, 0, 0] for v in emptied.values()), emptied  # nothing left behind by a move
    return {k: tuple(v) for k, v in groups.items() if v[0] != 0}


@contextmanager
def _open_transaction_elsewhere(work):
    """Run `work` in a transaction of another connection, kept open (uncommitted) for the block."""
    started, release, errors = threading.Event(), threading.Event(), []

    def run():
        try:
            with transaction.atomic():
                work()
                started.set()
                release.wait(30)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
            started.set()
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    assert started.wait(30)
    try:
        yield
    finally:
        release.set()
        worker.join(30)
    assert not errors


def _history(world) -> dict:
    """Financings of two exporters in every status, through the API and the daily overdue check."""
    bank, exporter = world.client(world.bank), world.client(world.exporter)
    ids = {}
    for name, amount in (("repaid", "4000.00"), ("repaid2", "2500.00"), ("written_off", "3000.00"),
                         ("rejected", "1000.00"), ("withdrawn", "1500.00"), ("applied", "500.00"),
                         ("applied2", "700.00"), ("late", "2000.00")):
        d = world.declaration(fob=amount)
        receivable = world.submit([(d, amount)], amount=amount, invoice=f"T-{name}").json()
        ids[name] = world.apply(receivable["id"], world.bank, amount).json()["id"]
        ids[name + "_receivable"] = receivable["id"]
    d2 = world.declaration(exporter=world.exporter2, fob="900.00")
    other = world.submit([(d2, "900.00")], amount="900.00", invoice="T-other", exporter=world.exporter2).json()
    ids["other"] = world.apply(other["id"], world.bank2, "900.00", exporter=world.exporter2).json()["id"]

    for name in ("repaid", "repaid2", "written_off", "withdrawn", "late"):
        assert bank.post(f"/api/financings/{ids[name]}/approve/", {"interest_rate": "3.00"}, format="json").status_code == 200
    for name in ("repaid", "repaid2", "written_off", "late"):
        assert bank.post(f"/api/financings/{ids[name]}/disburse/", format="json").status_code == 200
    assert bank.post(f"/api/financings/{ids['rejected']}/reject/", {"reason": "risk"}, format="json").status_code == 200
    assert exporter.post(f"/api/financings/{ids['withdrawn']}/withdraw/", format="json").status_code == 200

    def receipt(name, amount, value_date, reference):
        response = bank.post("/api/fx-receipts/", {
            "receivable": ids[name + "_receivable"], "amount": amount, "currency": "USD",
            "value_date": value_date.isoformat(), "payer_name": "Buyer", "reference": reference}, format="json")
        assert response.status_code == 201, response.content

    today = timezone.localdate()
    receipt("repaid", "1000.00", today, "R-1")  # partially repaid, then repaid on time
    receipt("repaid", "3000.00", today, "R-2")
    receipt("repaid2", "2500.00", today, "R-4")  # the same group as the first: the sums add
    # Time passes for the late one: its due date is moved into the past by hand, then it is repaid.
    Financing.objects.filter(pk=ids["late"]).update(due_date=today - timedelta(days=10))
    receipt("late", "2000.00", today, "R-3")
    written_off = Financing.objects.get(pk=ids["written_off"])
    assert financings_mark_overdue(today=written_off.due_date + timedelta(days=world.bank.grace_days + 1)) == 1
    assert bank.post(f"/api/financings/{ids['written_off']}/write-off/", format="json").status_code == 200
    return ids


@pytest.mark.django_db
def test_tallies_follow_every_transition_and_fold_without_loss():
    world = World(APIClient)
    ids = _history(world)
    statuses = {f.status for f in Financing.objects.all()}
    assert statuses == {"repaid", "written_off", "rejected", "withdrawn", "applied"}
    direct = _direct()
    assert {k[4] for k in direct if k[3] == "repaid"} == {True, False}  # on time and late both tallied
    assert _tallied() == direct
    unfolded = FinancingTally.objects.filter(folded=False).count()
    assert unfolded > len(direct)  # every move appended rows

    assert FINANCING_TALLY.fold() == unfolded
    assert _tallied() == direct
    rows = list(FinancingTally.objects.values_list("exporter_id", "applied_on", "currency", "status", "on_time", "folded"))
    assert len(rows) == len(direct) and all(row[5] for row in rows)  # one folded row per group
    assert FINANCING_TALLY.fold() == 0

    # After a fold, changes append again and are summed with the folded rows: a due date corrected
    # after the repayment (on time becomes late), a deletion.
    Financing.objects.filter(pk=ids["repaid2"]).update(due_date=timezone.localdate() - timedelta(days=1))
    Financing.objects.filter(pk=ids["applied"]).delete()
    assert _tallied() == _direct()
    assert FINANCING_TALLY.fold() > 0 and _tallied() == _direct()


@pytest.mark.django_db
def test_a_change_to_an_untallied_column_appends_nothing():
    world = World(APIClient)
    receivable = world.submit([(world.declaration(fob="800.00"), "800.00")], amount="800.00").json()
    financing_id = world.apply(receivable["id"], world.bank, "800.00").json()["id"]
    before = FinancingTally.objects.count()
    Financing.objects.filter(pk=financing_id).update(reject_reason="note", tenor_days=60)
    Financing.objects.get(pk=financing_id).save()  # every column written, none changed
    assert FinancingTally.objects.count() == before == 1


@pytest.mark.django_db(transaction=True)
def test_a_fold_leaves_an_uncommitted_change_for_the_next_one():
    world = World(APIClient)
    receivable = world.submit([(world.declaration(fob="800.00"), "800.00")], amount="800.00").json()
    financing_id = world.apply(receivable["id"], world.bank, "800.00").json()["id"]

    def reject():
        Financing.objects.filter(pk=financing_id).update(status="rejected")

    with _open_transaction_elsewhere(reject):
        assert FINANCING_TALLY.fold() == 1  # the committed insert's row; the rejection's two are not visible yet
    assert _tallied() == _direct()
    assert FinancingTally.objects.filter(folded=False).count() == 2
    assert FINANCING_TALLY.fold() == 3 and _tallied() == _direct()


@pytest.mark.django_db(transaction=True)
def test_the_migration_tallies_the_financings_that_exist():
    world = World(APIClient)
    _history(world)
    migrate_back_and_forth("financing", "0003", triggers_named="financing_tally")
    assert FinancingTally.objects.filter(folded=False).count() == 0
    assert _tallied() == _direct()


def test_a_time_zone_other_than_utc_is_refused_at_startup(settings):
    from django.core import checks

    assert not [m for m in checks.run_checks() if m.id == "financing.E001"]
    settings.TIME_ZONE = "Asia/Shanghai"
    assert [m.id for m in checks.run_checks() if m.id == "financing.E001"] == ["financing.E001"]


@pytest.mark.django_db
def test_the_beat_folds_the_tallies_every_minute():
    from workers.tasks import BEAT_SCHEDULE
    from workers.tasks.financing import fold_tallies

    assert BEAT_SCHEDULE["financing-fold-tallies"] == {"task": "financing.fold_tallies", "schedule": 60.0}
    world = World(APIClient)
    receivable = world.submit([(world.declaration(fob="800.00"), "800.00")], amount="800.00").json()
    financing_id = world.apply(receivable["id"], world.bank, "800.00").json()["id"]
    world.client(world.bank).post(f"/api/financings/{financing_id}/reject/", {"reason": "risk"}, format="json")
    assert fold_tallies.apply().get() == 3  # +applied, -applied, +rejected
    assert list(FinancingTally.objects.values_list("status", "n", "folded")) == [("rejected", 1, True)]


@pytest.mark.django_db(transaction=True)
def test_folds_take_turns():
    world = World(APIClient)
    receivable = world.submit([(world.declaration(fob="800.00"), "800.00")], amount="800.00").json()
    world.apply(receivable["id"], world.bank, "800.00")

    def fold_elsewhere():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FINANCING_TALLY.lock])

    with _open_transaction_elsewhere(fold_elsewhere):
        assert FINANCING_TALLY.fold() == 0  # does not wait for the other fold, and folds nothing beside it
        assert FinancingTally.objects.filter(folded=False).count() == 1
    assert FINANCING_TALLY.fold() == 1 and _tallied() == _direct()


@pytest.mark.django_db(transaction=True)  # TRUNCATE refuses pending deferred FK checks
def test_a_truncate_of_the_financings_empties_their_tallies():
    _history(World(APIClient))
    assert FinancingTally.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE financing_financing CASCADE")
    assert not FinancingTally.objects.exists() and _direct() == {}
