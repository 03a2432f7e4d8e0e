"""Create the platform operator's organization and its first user on a new installation.

Outside dev there is no demo data: the operator onboards banks, exporters and the regulator through
the API, so the first operator account has to come from here. Refuses when an operator exists.
"""

import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from common.errors import ApiError
from organizations.models import Organization
from organizations.services import organization_onboard


class Command(BaseCommand):
    help = "Create the operator organization and its administrator (password from BOOTSTRAP_PASSWORD or a prompt)."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--name", default="Cross-border Platform Operations Centre")
        parser.add_argument("--country", default="CN")

    def handle(self, *args, username, name, country, **options):
        if Organization.objects.filter(kind=Organization.Kind.OPERATOR).exists():
            raise CommandError("An operator organization exists already: its users onboard the others.")
        password = os.environ.get("BOOTSTRAP_PASSWORD") or self._prompt()
        try:
            operator = organization_onboard(actor=None, kind=Organization.Kind.OPERATOR, name=name,
                                            admin_username=username, admin_password=password, country=country)
        except ApiError as exc:
            raise CommandError(f"{exc.message} {exc.details}") from exc
        address = operator.chain_account.address
        self.stdout.write(f"operator {operator.name} ({operator.pk}) with user {username}; chain account {address}")
        self.stdout.write("Its registration on chain is in the outbox: a worker sends it.")

    def _prompt(self) -> str:
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The passwords differ.")
        return first
