"""Deploy our contracts on the configured chain, or confirm that they are there."""

from django.core.management.base import BaseCommand

from chain.deploy import chain_ensure_deployed
from chain.relay import relay_run


class Command(BaseCommand):
    help = "Deploy the contracts if this chain (chain id + genesis) has none of ours; replay records after a reset."

    def add_arguments(self, parser):
        parser.add_argument("--drain", action="store_true", help="Then send everything waiting in the outbox.")

    def handle(self, *args, drain, **options):
        report = chain_ensure_deployed()
        if report.deployed:
            for name, address in report.deployed.items():
                self.stdout.write(f"deployed {name} at {address}")
        else:
            self.stdout.write("contracts already deployed on this chain")
        if report.reset:
            self.stdout.write(f"chain reset detected; replayed: {report.replayed}")
        if drain:
            relay = relay_run()
            self.stdout.write(f"relay: {relay.confirmed} confirmed, {relay.failed} failed")
