"""Import customs declarations from a CSV file (the customs data feed).

Columns: number, exporter_uscc, export_date (YYYY-MM-DD), currency, fob_value,
destination_country, consignee. Every row is validated like the API; a bad row
is reported with its line number and nothing of that row is written.
"""

import csv

from django.core.management.base import BaseCommand, CommandError

from common.errors import ApiError
from customs.serializers import DeclarationCreateSerializer
from customs.services import declaration_register


class Command(BaseCommand):
    help = "Import customs declarations from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--skip-existing", action="store_true", help="Skip numbers already registered.")

    def handle(self, *args, path, skip_existing, **options):
        created = skipped = 0
        errors = []
        with open(path, newline="", encoding="utf-8") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                data = DeclarationCreateSerializer(data=row)
                if not data.is_valid():
                    errors.append(f"line {line}: {dict(data.errors)}")
                    continue
                try:
                    declaration_register(actor=None, source="csv", **data.validated_data)
                    created += 1
                except ApiError as exc:
                    if exc.code == "duplicate_declaration" and skip_existing:
                        skipped += 1
                        continue
                    errors.append(f"line {line}: {exc.code}: {exc.message}")
        self.stdout.write(f"{created} imported, {skipped} skipped, {len(errors)} refused")
        for error in errors:
            self.stderr.write(error)
        if errors:
            raise CommandError(f"{len(errors)} rows were refused")
