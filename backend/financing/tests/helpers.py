from decimal import Decimal

from tests.support.factories import auth, make_declaration, make_org, user_of


class World:
    """Two exporters, three banks, a regulator, each with a logged-in API client."""

    def __init__(self, api_factory):
        self.exporter = make_org("exporter", username="exp-a")
        self.exporter2 = make_org("exporter", username="exp-b")
        self.bank = make_org("bank", username="bank-a")
        self.bank2 = make_org("bank", username="bank-b")
        self.bank3 = make_org("bank", username="bank-c")
        self.regulator = make_org("regulator", username="reg")
        self.clients = {}
        self._api_factory = api_factory

    def client(self, org):
        if org.pk not in self.clients:
            self.clients[org.pk] = auth(self._api_factory(), user_of(org))
        return self.clients[org.pk]

    def declaration(self, exporter=None, **kwargs):
        return make_declaration(exporter or self.exporter, **kwargs)

    def submit(self, declarations, *, amount, invoice="INV-001", exporter=None, currency="USD", buyer="Hanoi Buyer JSC",
               due_date="2027-03-01"):
        response = self.client(exporter or self.exporter).post("/api/receivables/", {
            "invoice_number": invoice, "buyer_name": buyer, "buyer_country": "VN", "currency": currency,
            "amount": amount, "issue_date": "2026-11-01", "due_date": due_date,
            "declarations": [{"number": d.number, "amount": a} for d, a in declarations],
        }, format="json")
        return response

    def apply(self, receivable_id, bank, amount, exporter=None, tenor_days=90):
        return self.client(exporter or self.exporter).post("/api/financings/", {
            "receivable": receivable_id, "bank": str(bank.pk), "amount": amount, "tenor_days": tenor_days,
        }, format="json")


def dec(value) -> Decimal:
    return Decimal(value)
