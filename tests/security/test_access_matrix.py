"""The access matrix: every API endpoint × every role × own and other tenants' objects.

The endpoints come from the URL conf, so a new endpoint without a rule here fails
`test_every_api_endpoint_has_a_rule`. Roles: anonymous; exporter and bank (tenant A, which owns
the objects probed); exporter2 and bank2 (tenant B: the other tenant); regulator; operator.
A rule gives the exact status each role gets; a refused request (401, 403, 404, 405) must also
write nothing at all. Other tenants get 404 for an object, never 403, so existence does not leak;
403 means "your role never may", whatever the object.
"""

from __future__ import annotations

import json
from functools import cache

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.snapshots import nothing_written
from tests.security.world import ROLES, grant_body, receivable_body

ALIASES = {"anon": "anonymous", "exp": "exporter", "exp2": "exporter2", "bank": "bank", "bank2": "bank2",
           "reg": "regulator", "op": "operator"}
REFUSED = {401, 403, 404, 405}


def rule(spec: str) -> dict[str, int]:
    """'anon:401 exp:200 ...' or 'all:200' / 'auth:200' (every authenticated role) with overrides."""
    expected: dict[str, int] = {}
    for token in spec.split():
        who, status = token.split(":")
        if who == "all":
            expected.update({role: int(status) for role in ROLES})
        elif who == "auth":
            expected.update({role: int(status) for role in ROLES if role != "anonymous"})
        else:
            expected[ALIASES[who]] = int(status)
    missing = set(ROLES) - set(expected)
    assert not missing, f"rule {spec!r} leaves out {sorted(missing)}"
    return expected


# Objects of tenant A: the exporter and bank see them, exporter2 and bank2 must not.
TENANT_A_READ = "anon:401 exp:200 exp2:404 bank:200 bank2:404 reg:200 op:200"
# Transaction details are the parties' and the regulator's (domain.md, API.md): not the operator's.
TRANSACTION = "anon:401 exp:200 exp2:404 bank:200 bank2:404 reg:200 op:404"
# Credit data, the audit log and alerts are the parties' and the regulator's only: not the operator's.
PARTIES_AND_REGULATOR = "anon:401 exp:200 exp2:404 bank:200 bank2:404 reg:200 op:404"
REGULATOR_ONLY = "anon:401 auth:403 reg:200"
ADDRESSED_BANK = "anon:401 auth:403 bank:{ok} bank2:404"
OWN_EXPORTER = "anon:401 auth:403 exp:{ok} exp2:404"

RULES: dict[str, dict[str, str]] = {
    # Platform
    "health": {"GET": "all:200"},
    "auth-token": {"POST": "all:200"},
    "schema": {"GET": "all:200"},
    "docs": {"GET": "all:200"},
    "me": {"GET": "anon:401 auth:200"},
    # The operator runs the chain accounts: how its writes fare is the operator's to see.
    "chain-writes": {"GET": "anon:401 auth:403 op:200"},
    # Organizations: banks are listed to all; an exporter to the regulator, the operator and its banks.
    "organization-list": {"GET": "anon:401 auth:200", "POST": "anon:401 auth:403 op:201"},
    "organization-detail": {"GET": TENANT_A_READ},
    # Customs: the operator feeds the declarations.
    "declaration-list": {"GET": "anon:401 auth:200", "POST": "anon:401 auth:403 op:201"},
    "declaration-detail": {"GET": TENANT_A_READ},
    # Receivables: exporters submit; exporter2 citing A's declaration gets the same 400 as for none.
    "receivable-list": {"GET": "anon:401 auth:200", "POST": "anon:401 auth:403 exp:201 exp2:400"},
    "receivable-detail": {"GET": TRANSACTION},
    # Financings (the probed one is A's application to bank A, still 'applied').
    "financing-list": {"GET": "anon:401 auth:200", "POST": "anon:401 auth:403 exp:201 exp2:400"},
    "financing-detail": {"GET": TRANSACTION},
    "financing-approve": {"POST": ADDRESSED_BANK.format(ok=200)},
    "financing-reject": {"POST": ADDRESSED_BANK.format(ok=200)},
    "financing-disburse": {"POST": ADDRESSED_BANK.format(ok=409)},  # not approved yet: allowed, refused by state
    "financing-write-off": {"POST": ADDRESSED_BANK.format(ok=409)},  # not overdue
    "financing-withdraw": {"POST": OWN_EXPORTER.format(ok=200)},
    "fx-receipt-list": {"GET": "anon:401 auth:200", "POST": "anon:401 auth:403 bank:201 bank2:404"},
    "fx-receipt-detail": {"GET": TRANSACTION},
    # Credit information
    "credit-authorization-list": {"GET": "anon:401 auth:200", "POST": "anon:401 auth:403 exp:201 exp2:201"},
    "credit-authorization-detail": {"GET": PARTIES_AND_REGULATOR},
    "credit-authorization-revoke": {"POST": OWN_EXPORTER.format(ok=200)},
    "credit-authorization-accesses": {"GET": "anon:401 exp:200 exp2:404 bank:403 bank2:404 reg:200 op:404"},
    "credit-access-list": {"GET": "anon:401 auth:200"},
    "credit-access-detail": {"GET": PARTIES_AND_REGULATOR},
    # bank2 holds no authorization from exporter A: 403 authorization_required (API.md), logged as refused.
    "credit-report": {"GET": "anon:401 auth:403 bank:200"},
    "penalty-list": {"GET": "anon:401 auth:200 bank:403 bank2:403", "POST": "anon:401 auth:403 reg:201 op:201"},
    "penalty-detail": {"GET": "anon:401 exp:200 exp2:404 bank:403 bank2:403 reg:200 op:200"},
    # Audit log and oversight
    "audit-event-list": {"GET": "anon:401 auth:200"},
    "audit-event-detail": {"GET": PARTIES_AND_REGULATOR},
    "audit-event-proof": {"GET": PARTIES_AND_REGULATOR},
    "audit-verification": {"GET": REGULATOR_ONLY},
    "audit-export": {"GET": REGULATOR_ONLY},
    "oversight-stats": {"GET": REGULATOR_ONLY},
    "oversight-export-financings": {"GET": REGULATOR_ONLY},
    "oversight-export-audit-events": {"GET": REGULATOR_ONLY},
    "alert-list": {"GET": "anon:401 auth:200"},
    "alert-detail": {"GET": PARTIES_AND_REGULATOR},
    "alert-acknowledge": {"POST": REGULATOR_ONLY},
}

# Writes a refusal is allowed to make: a refused credit lookup is logged (and audited) by design.
REFUSAL_WRITES = {("credit-report", "bank2"): ("credit.CreditAccess", "audit.AuditEvent", "audit.AuditHead")}

# Which of tenant A's objects a route with URL parameters is probed with, by route-name prefix.
TARGETS = {
    "organization": lambda w: {"pk": w.orgs["exporter"].pk},
    "declaration": lambda w: {"pk": w.ids["declaration"]},
    "receivable": lambda w: {"pk": w.ids["receivable"]},
    "financing": lambda w: {"pk": w.ids["financing"]},
    "fx-receipt": lambda w: {"pk": w.ids["fx_receipt"]},
    "credit-authorization": lambda w: {"pk": w.ids["authorization"]},
    "credit-access": lambda w: {"pk": w.ids["credit_access"]},
    "credit-report": lambda w: {"exporter_id": w.orgs["exporter"].pk},
    "penalty": lambda w: {"pk": w.ids["penalty"]},
    "audit-event": lambda w: {"seq": w.ids["audit_event"]},
    "alert": lambda w: {"pk": w.ids["alert"]},
}

QUERY = {"credit-report": lambda w: {"authorization": w.ids["authorization"]}}


def _declaration_body(w, role):
    return {"number": "531699999999990001", "exporter_uscc": w.orgs["exporter"].uscc, "export_date": "2026-10-01",
            "currency": "USD", "fob_value": "1000.00", "destination_country": "VN", "consignee": "Matrix Buyer"}


# The body each POST is probed with: valid for the role the rule allows, citing tenant A's objects.
BODIES = {
    "auth-token": lambda w, role: {"username": w.username("exporter"), "password": w.password},
    "organization-list": lambda w, role: {"kind": "bank", "name": "Matrix Bank", "bic": "DEUTDEFF",
                                          "admin_user": {"username": "matrix-bank", "password": "long-enough-pass-1"}},
    "declaration-list": _declaration_body,
    "receivable-list": lambda w, role: receivable_body(w.ids["spare_declaration_number"], amount="1000.00",
                                                       invoice=f"MATRIX-{role}"),
    "financing-list": lambda w, role: {"receivable": w.ids["receivable_unfinanced"], "bank": str(w.orgs["bank"].pk),
                                       "amount": "1000.00", "tenor_days": 60},
    "financing-approve": lambda w, role: {"interest_rate": "4.00"},
    "financing-reject": lambda w, role: {"reason": "Outside our risk appetite"},
    "fx-receipt-list": lambda w, role: {"receivable": w.ids["receivable_disbursed"], "amount": "10.00", "currency": "USD",
                                        "value_date": "2026-11-21", "payer_name": "Hanoi Buyer JSC",
                                        "reference": f"MATRIX-{role}"},
    "credit-authorization-list": lambda w, role: grant_body(str(w.orgs["bank"].pk)),
    "penalty-list": lambda w, role: {"exporter": str(w.orgs["exporter"].pk), "decided_on": "2026-06-02",
                                     "reason": "Matrix probe penalty", "reference": f"MATRIX-{role}"},
    "alert-acknowledge": lambda w, role: {"note": "seen"},
}


@cache
def api_routes() -> dict[str, URLPattern]:
    """Every named URL under /api/, from the URL conf (routers included)."""
    routes: dict[str, URLPattern] = {}
    unnamed: list[str] = []

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif prefix.startswith("api/"):
                if not pattern.name:
                    unnamed.append(prefix + str(pattern.pattern))
                routes[pattern.name] = pattern

    walk(get_resolver().url_patterns, "")
    assert not unnamed, f"API URLs without a name cannot be given a rule: {unnamed}"
    return routes


def methods_of(pattern: URLPattern) -> set[str]:
    callback = pattern.callback
    if getattr(callback, "actions", None):  # a DRF viewset route (DRF adds HEAD beside GET once requested)
        return {method.upper() for method in callback.actions if method not in ("head", "options")}
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    assert view is not None, f"{pattern.name}: not a class-based view"
    return {m.upper() for m in view.http_method_names if m not in ("options", "head", "trace") and hasattr(view, m)}


def target_of(name: str):
    matches = [prefix for prefix in TARGETS if name == prefix or name.startswith(prefix + "-")]
    return TARGETS[max(matches, key=len)] if matches else None


def url_of(world, name: str) -> str:
    pattern = api_routes()[name]
    kwargs = {}
    if pattern.pattern.regex.groupindex:
        target = target_of(name)
        assert target is not None, f"{name} takes URL parameters: add a TARGETS entry saying which object to probe"
        kwargs = target(world)
    return reverse(name, kwargs=kwargs)


def send(world, role: str, name: str, method: str):
    api = world.client(role)
    url = url_of(world, name)
    if method == "GET":
        return api.get(url, QUERY[name](world) if name in QUERY else None)
    body = BODIES[name](world, role) if name in BODIES else None
    return api.generic(method, url, data=None if body is None else json.dumps(body),
                       content_type="application/json")


def _cases():
    for name in sorted(RULES):
        for method in sorted(RULES[name]):
            for role in ROLES:
                yield pytest.param(name, method, role, id=f"{name}-{method}-{role}")


def test_every_api_endpoint_has_a_rule():
    routes = api_routes()
    missing = sorted(set(routes) - set(RULES))
    assert not missing, "no access rule for: " + ", ".join(missing) + " (add a rule for each to RULES in " + __file__ + ")"
    stale = sorted(set(RULES) - set(routes))
    assert not stale, f"rules for endpoints that no longer exist: {stale}"
    for name, pattern in routes.items():
        declared, ruled = methods_of(pattern), set(RULES[name])
        assert declared == ruled, f"{name} answers {sorted(declared)} but RULES covers {sorted(ruled)}: add a rule"
    for name in RULES:
        for method in RULES[name]:
            if method == "POST" and name not in BODIES:
                assert name in {"financing-disburse", "financing-write-off", "financing-withdraw",
                                "credit-authorization-revoke"}, f"{name}: add a probe body to BODIES"
    assert len(routes) >= 40


@pytest.mark.parametrize("name,method,role", list(_cases()))
def test_access(world, name, method, role):
    expected = rule(RULES[name][method])[role]
    if expected in REFUSED:
        with nothing_written(allow=REFUSAL_WRITES.get((name, role), ())):
            response = send(world, role, name, method)
    else:
        response = send(world, role, name, method)
    body = (b"".join(response.streaming_content) if response.streaming else response.content)[:500]
    assert response.status_code == expected, f"{method} {name} as {role}: {response.status_code} {body!r}"
    if expected >= 400:
        error = response.json()
        assert set(error) == {"code", "message", "details"}, error
        if expected == 404:
            assert error["code"] in ("not_found",), error


def _undeclared():
    for name in sorted(RULES):
        for method in sorted({"GET", "POST", "PUT", "PATCH", "DELETE"} - set(RULES[name])):
            for role in ("anonymous", "exporter", "bank2", "regulator", "operator"):
                yield pytest.param(name, method, role, id=f"{name}-{method}-{role}")


@pytest.mark.parametrize("name,method,role", list(_undeclared()))
def test_undeclared_methods_are_refused_and_write_nothing(world, name, method, role):
    with nothing_written():
        response = send(world, role, name, method)
    assert response.status_code in (401, 403, 405), f"{method} {name} as {role}: {response.status_code}"


def _list_routes():
    for name in sorted(RULES):
        if name.endswith("-list") and name[:-5] + "-detail" in RULES:
            for role in ROLES[1:]:
                yield pytest.param(name, role, id=f"{name}-{role}")


@pytest.mark.parametrize("name,role", list(_list_routes()))
def test_lists_show_exactly_what_the_detail_shows(world, name, role):
    """Tenant A's object is in a role's list if and only if the role may open it."""
    detail = name[:-5] + "-detail"
    key = "seq" if name.startswith("audit-event") else "pk"
    target = str(target_of(detail)(world)[key])
    response = world.client(role).get(reverse(name), {"page_size": 500})
    visible = rule(RULES[detail]["GET"])[role] == 200
    if response.status_code == 403:  # a role that may not list at all (penalties for banks)
        assert not visible
        return
    assert response.status_code == 200, response.content[:300]
    page = response.json()
    assert page["count"] <= 500, "the world outgrew one page"
    ids = {str(item.get("seq", item.get("id"))) for item in page["results"]}
    assert (target in ids) == visible, f"{name} as {role}: A's object listed={target in ids}, detail allowed={visible}"


def test_other_tenants_objects_cited_in_a_body_look_like_unknown_ones(world):
    """exporter2 citing A's receivable or declaration gets the very answer an unknown id gets."""
    api = world.client("exporter2")
    body = BODIES["financing-list"](world, "exporter2")
    foreign = api.post("/api/financings/", body, format="json")
    unknown = api.post("/api/financings/", {**body, "receivable": "00000000-0000-4000-8000-000000000000"},
                       format="json")
    assert foreign.status_code == unknown.status_code == 400
    assert foreign.json() == unknown.json()

    body = BODIES["receivable-list"](world, "exporter2")
    foreign = api.post("/api/receivables/", body, format="json")
    unknown_number = "531699999999999999"
    unknown = api.post("/api/receivables/", {**body, "declarations": [{"number": unknown_number, "amount": "1000.00"}]},
                       format="json")
    assert foreign.status_code == unknown.status_code == 400
    assert foreign.json()["code"] == unknown.json()["code"]
    assert str(foreign.json()).replace(world.ids["spare_declaration_number"], "N") == \
        str(unknown.json()).replace(unknown_number, "N")

    bank2 = world.client("bank2")
    body = BODIES["fx-receipt-list"](world, "bank2")
    foreign = bank2.post("/api/fx-receipts/", body, format="json")
    unknown = bank2.post("/api/fx-receipts/", {**body, "receivable": "00000000-0000-4000-8000-000000000000"},
                         format="json")
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json() == unknown.json()
