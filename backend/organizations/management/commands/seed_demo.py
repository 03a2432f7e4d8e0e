"""Demo data for `make run`: the six demo logins and a few customs declarations. Idempotent."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from customs.models import Declaration
from customs.services import declaration_register
from organizations.models import Organization, User
from organizations.services import organization_onboard

DEMO_PASSWORD = "demo-pass-2026"

ORGANIZATIONS = [
    {"username": "operator", "kind": "operator", "name": "Cross-border Platform Operations Centre"},
    {"username": "regulator", "kind": "regulator", "name": "SAFE Guangxi Branch"},
    {"username": "exporter", "kind": "exporter", "name": "Nanning Lijiang Machinery Export Co., Ltd.",
     "uscc": "91450100MA5KX0001Y", "safe_classification": "A"},
    {"username": "exporter2", "kind": "exporter", "name": "Pingxiang Border Fruit Trading Co., Ltd.",
     "uscc": "91450200MA5KX00027", "safe_classification": "B"},
    {"username": "bank", "kind": "bank", "name": "Bank of China Guangxi Branch", "bic": "BKCHCNBJ480"},
    {"username": "bank2", "kind": "bank", "name": "ICBC Guangxi Branch", "bic": "ICBKCNBJGXI"},
]

DECLARATIONS = [
    # number, exporter username, days ago, currency, FOB, destination, consignee
    ("531620260000012345", "exporter", 20, "USD", "120000.00", "VN", "Hanoi Industrial Equipment JSC"),
    ("531620260000012346", "exporter", 15, "USD", "80000.00", "VN", "Hai Phong Machinery Trading Co."),
    ("531620260000012347", "exporter", 10, "USD", "45500.50", "TH", "Bangkok Tools Import Ltd."),
    ("531620260000012348", "exporter", 8, "EUR", "60000.00", "DE", "Hamburg Maschinenhandel GmbH"),
    ("531620260000022001", "exporter2", 12, "USD", "30000.00", "VN", "Lang Son Fresh Fruit Co."),
    ("531620260000022002", "exporter2", 5, "CNY", "250000.00", "VN", "Mong Cai Import Export JSC"),
]


class Command(BaseCommand):
    help = "Seed the demo organizations, users and customs declarations (dev only, idempotent)."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is refused in this environment (DEMO_DATA_ALLOWED is false).")
        created = 0
        for spec in ORGANIZATIONS:
            if User.objects.filter(username=spec["username"]).exists():
                continue
            organization_onboard(
                actor=None,
                kind=spec["kind"],
                name=spec["name"],
                uscc=spec.get("uscc"),
                bic=spec.get("bic"),
                safe_classification=spec.get("safe_classification"),
                admin_username=spec["username"],
                admin_password=DEMO_PASSWORD,
            )
            created += 1
        today = timezone.localdate()
        declarations = 0
        for number, username, days_ago, currency, fob, country, consignee in DECLARATIONS:
            if Declaration.objects.filter(number=number).exists():
                continue
            exporter = User.objects.get(username=username).organization
            declaration_register(
                actor=None,
                number=number,
                exporter_uscc=exporter.uscc,
                export_date=today - timedelta(days=days_ago),
                currency=currency,
                fob_value=Decimal(fob),
                destination_country=country,
                consignee=consignee,
                source="demo",
            )
            declarations += 1
        self.stdout.write(f"demo data: {created} organizations and {declarations} declarations created "
                          f"({Organization.objects.count()} organizations, {Declaration.objects.count()} declarations in all)")
