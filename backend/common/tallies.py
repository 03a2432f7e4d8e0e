"""Tallies: per-exporter, per-day sums the database keeps as rows change, so that a credit lookup reads
O(days in its period) rows instead of O(the exporter's history).

A tally table has `exporter_id`, a day column, group columns, sum columns and `folded`. Triggers
(written by each app's migration) append rows of +1 and the new values for inserted rows, -1 and
the old values for deleted ones, and both for an update of a tallied column, whichever code path
wrote the change. Appending takes no row lock: writes are never serialized by their tallies, and no
lock order across groups can deadlock. A TRUNCATE of a tallied table empties its tallies (migrations
financing 0006 and customs 0003).

`Tally.fold` replaces the rows of each (exporter, day) that has unfolded rows by one row per group, in
one statement: it deletes them and inserts what it deleted, summed. A concurrent append is not among
the rows it deleted and stays for the next fold; two folds at once each re-insert exactly what they
deleted (folds of one tally take turns anyway: two deleting the same rows in different orders could
deadlock). The sums a reader sees are therefore the same before, during and after a fold. A reader
sums at most one folded row per group and day in its period, plus the rows appended since the last
fold (the beat folds every minute).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction


@dataclass(frozen=True)
class Tally:
    table: str
    day: str  # the day column: with exporter_id, the unit a fold rewrites
    groups: tuple[str, ...]  # the other group columns
    sums: tuple[str, ...]
    lock: int  # pg advisory lock key: one fold of this tally at a time

    @property
    def fold_sql(self) -> str:
        keys = ", ".join(("exporter_id", self.day, *self.groups))
        gone = ", ".join(f"tally.{c}" for c in ("exporter_id", self.day, *self.groups, *self.sums))
        sums = ", ".join(f"sum({c})" for c in self.sums)
        nonzero = " OR ".join(f"sum({c}) <> 0" for c in self.sums)
        positions = ", ".join(str(i) for i in range(1, len(self.groups) + 3))
        return f"""
WITH touched AS (
    SELECT DISTINCT exporter_id, {self.day} FROM {self.table} WHERE NOT folded LIMIT %(days)s
), gone AS (
    DELETE FROM {self.table} tally USING touched
     WHERE tally.exporter_id = touched.exporter_id AND tally.{self.day} = touched.{self.day}
    RETURNING {gone}
), folded AS (
    INSERT INTO {self.table} ({keys}, {", ".join(self.sums)}, folded)
    SELECT {keys}, {sums}, true
      FROM gone
     GROUP BY {positions}
    HAVING {nonzero}
)
SELECT (SELECT count(*) FROM touched), (SELECT count(*) FROM gone)
"""

    def fold(self, *, days_per_statement: int = 500) -> int:
        """Fold the (exporter, day)s with unfolded rows into one row per group, `days_per_statement`
        days per transaction, until a statement finds fewer days than that; returns how many rows were
        folded. Rows appended meanwhile may be left for the next fold. Returns at once if another fold
        of this tally is at work: it folds these rows, or the next one will."""
        sql = self.fold_sql
        total = 0
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [self.lock])
                if not cursor.fetchone()[0]:
                    return total
                cursor.execute(sql, {"days": days_per_statement})
                days, deleted = cursor.fetchone()
            total += deleted
            if days < days_per_statement:
                return total
