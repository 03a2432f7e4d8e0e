"""'Nothing was written': a digest of every row of every platform table, compared before and after."""

from __future__ import annotations

from contextlib import contextmanager
from functools import cache

from django.apps import apps
from django.db import connection

PLATFORM_APPS = ("common", "organizations", "chain", "audit", "customs", "receivables", "financing", "credit",
                 "oversight")


def _models():
    for label in PLATFORM_APPS:
        yield from apps.get_app_config(label).get_models(include_auto_created=True)


@cache
def _digest_sql() -> str:
    """One query: per table, its row count and an MD5 over all its rows (as text) in primary-key order."""
    parts = []
    for model in _models():
        table, pk = (connection.ops.quote_name(n) for n in (model._meta.db_table, model._meta.pk.column))
        parts.append(f"SELECT '{model._meta.label}', count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.{pk}), ''))"
                     f" FROM {table} t")
    return " UNION ALL ".join(parts)


def table_digests() -> dict[str, tuple[int, str]]:
    """Per table: (row count, digest of every row)."""
    with connection.cursor() as cursor:
        cursor.execute(_digest_sql())
        return {label: (count, digest) for label, count, digest in cursor.fetchall()}


def changed_tables(before: dict, after: dict) -> dict[str, str]:
    changes = {}
    for label in sorted(set(before) | set(after)):
        b, a = before.get(label), after.get(label)
        if b != a:
            changes[label] = f"{b[0] if b else 0} -> {a[0] if a else 0} rows" + ("" if b and a and b[0] != a[0] else " (updated)")
    return changes


@contextmanager
def nothing_written(*, allow: tuple[str, ...] = ()):
    """Assert that the block changes no platform table, except the ones named in `allow`."""
    before = table_digests()
    yield
    changes = {k: v for k, v in changed_tables(before, table_digests()).items() if k not in allow}
    assert not changes, f"a refused request wrote: {changes}"
