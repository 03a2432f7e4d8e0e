from django.core.management.base import BaseCommand

from chain.indexer import index_run
from chain.relay import relay_run


class Command(BaseCommand):
    help = "Send what waits in the outbox and index new events once (what the workers do periodically)."

    def handle(self, *args, **options):
        report = relay_run()
        events = index_run()
        self.stdout.write(
            f"signed {report.signed}, sent {report.sent}, confirmed {report.confirmed}, failed {report.failed}; "
            f"indexed {events} events"
        )
