"""Write the audit log as JSON Lines for the standalone verifier (tradefin-verify)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from audit.selectors import audit_export_lines


class Command(BaseCommand):
    help = "Export the audit log as JSON Lines (one event per line, in seq order) for `tradefin-verify log`."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", default="-", help="File to write (default: standard output).")
        parser.add_argument("--from-seq", type=int, default=1)
        parser.add_argument("--to-seq", type=int, default=None)

    def handle(self, *args, output, from_seq, to_seq, **options):
        if from_seq < 1 or (to_seq is not None and to_seq < from_seq):
            raise CommandError("--from-seq must be at least 1 and --to-seq not below it.")
        lines = audit_export_lines(from_seq=from_seq, to_seq=to_seq)
        count = 0
        if output == "-":
            for line in lines:
                sys.stdout.write(line)
                count += 1
        else:
            with open(output, "w", encoding="utf-8", newline="\n") as stream:
                for line in lines:
                    stream.write(line)
                    count += 1
        self.stderr.write(f"exported {count} audit events")
