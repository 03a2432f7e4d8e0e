"""Running an app's migrations back and forth in a test."""

from __future__ import annotations

from django.core.management import call_command
from django.db import connection


def migrate_back_and_forth(app: str, before: str, *, triggers_named: str) -> None:
    """Unapply `app`'s migrations after `before` (and those of other apps that depend on them), check
    that no trigger whose name starts with `triggers_named` is left, and apply everything again."""
    call_command("migrate", app, before, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE %s", [triggers_named + "%"])
        assert cursor.fetchone()[0] == 0
    call_command("migrate", verbosity=0)
