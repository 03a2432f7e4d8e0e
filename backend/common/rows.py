"""Storing a few fields of many rows at once, each row its own values.

Django's `bulk_update` writes one UPDATE whose SET clause is a `CASE WHEN pk = ... THEN ...` expression
per field, with a branch per row. Building and compiling those expressions cost the chain relay, which
stores every signed and every confirmed transaction, about 2.5 ms of CPU per row on a slow core: more
than half of its time per transaction.

`update_each` sends one plain `UPDATE ... WHERE pk = %s` per row instead, through `executemany`, which
psycopg 3 sends in pipeline mode: the rows cost one round trip, and the statement is written once.
Like `bulk_update`, it sends no signals and does not touch `auto_now` fields on its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router


def update_each(objects: Sequence[models.Model], fields: Sequence[str]) -> int:
    """Store `fields` of each of `objects` (all of one model) from the values they hold; returns the
    number of rows written."""
    if not objects:
        return 0
    model = type(objects[0])
    if any(type(obj) is not model for obj in objects):
        raise TypeError("update_each: the objects must all be of one model")
    meta = model._meta
    targets = [meta.get_field(name) for name in fields]
    if not targets or any(not field.concrete or field.primary_key for field in targets):
        raise ValueError(f"update_each: {list(fields)} must name concrete fields other than the primary key")
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in targets)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in targets]
        + [meta.pk.get_db_prep_value(obj.pk, connection)]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
        return cursor.rowcount
