"""Builders for test data that go through the real services."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc

from common.auth import token_issue
from organizations.models import Organization, User
from organizations.services import organization_onboard

DEMO_PASSWORD = "demo-pass-2026"
_seq = count(1)
_BICS = ["BKCHCNBJ480", "ICBKCNBJGXI", "PCBCCNBJGXX", "ABOCCNBJ190", "HSBCHKHHHKH", "CMBCCNBS", "COMMCNSH",
         "SPDBCNSH", "CIBKCNBJ", "EVERCNBJ", "MSBCCNBJ", "HXBKCNBJ", "GDBKCN22"]


def next_uscc() -> str:
    base = f"914501{next(_seq):011d}"[:17]
    return base + stdnum_uscc.calc_check_digit(base)


def next_bic() -> str:
    used = set(Organization.objects.filter(kind="bank").values_list("bic", flat=True))
    for bic in _BICS:
        if bic not in used:
            return bic
    raise RuntimeError("out of test BICs")


def make_org(kind: str, *, username: str | None = None, name: str | None = None, **extra) -> Organization:
    n = next(_seq)
    username = username or f"{kind}{n}"
    fields = {}
    if kind == "exporter":
        fields = {"uscc": extra.pop("uscc", None) or next_uscc(), "safe_classification": extra.pop("safe_classification", "A")}
    elif kind == "bank":
        fields = {"bic": extra.pop("bic", None) or next_bic()}
    return organization_onboard(
        actor=None, kind=kind, name=name or f"{kind.title()} {n}", admin_username=username,
        admin_password=DEMO_PASSWORD, **fields, **extra,
    )


def user_of(org: Organization) -> User:
    return org.users.order_by("date_joined").first()


def make_operator(username: str = "operator") -> User:
    return user_of(make_org("operator", username=username, name="Cross-border Platform Operations Centre"))


def token_for(user: User) -> str:
    return token_issue(user=user)[0]


def auth(api, user: User):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    return api


def make_declaration(exporter: Organization, *, fob: str = "100000.00", currency: str = "USD",
                     days_ago: int = 10, number: str | None = None, destination: str = "VN"):
    from customs.services import declaration_register

    return declaration_register(
        actor=None,
        number=number or f"5316{next(_seq):014d}",
        exporter_uscc=exporter.uscc,
        export_date=timezone.localdate() - timedelta(days=days_ago),
        currency=currency,
        fob_value=Decimal(fob),
        destination_country=destination,
        consignee="Hanoi Buyer JSC",
    )


def today() -> date:
    return timezone.localdate()
