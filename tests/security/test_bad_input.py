"""Bad input: every write endpoint, every field, every kind of bad value gets a 4xx and writes nothing.

Bodies over 1 MB; amounts that are negative, zero, NaN, infinite, 1e309, JSON numbers or carry 30
decimals; unknown currencies and countries and look-alikes; impossible dates; very long strings;
control, invisible and bidi-override characters; SQL and script injection in structured fields;
forged and expired tokens; login bursts. Each probe runs inside `nothing_written()`.

Free text (names, invoice numbers, reasons) is free: an apostrophe or `<` can be part of a real
company name, so SQL and script strings there are stored verbatim and proven inert instead
(`test_injection_strings_in_free_text_are_stored_verbatim_and_inert`).
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc

from common.models import AuthToken
from receivables.models import Receivable
from tests.security.snapshots import changed_tables, nothing_written, table_digests
from tests.security.test_access_matrix import RULES, api_routes
from tests.security.world import grant_body, receivable_body

SQL = ["' OR '1'='1", "1; DROP TABLE financing_financing; --", "\" OR \"\"=\"", "1' UNION SELECT password FROM organizations_user--"]
SCRIPT = ["<script>alert(1)</script>", "javascript:alert(1)", "<img src=x onerror=alert(1)>", "{{7*7}}", "${7*7}"]
INJECTIONS = SQL + SCRIPT + ["../../../etc/passwd", "%00", "\\x00"]

MONEY = ["-100.00", "-0.01", "0", "0.00", "NaN", "nan", "Infinity", "-Infinity", "inf", "1e309", "1E5", "1e-2",
         "1" + "0" * 30, "1." + "1" * 30, "0.000000000000000000000000000001", "100.001", "١٠٠٠.٠٠", "0x10",
         "1,000.00", "1 000.00", "+100.00", ".5", "5.", "", " ", 100, 100.5, 1e309, True, None, [], {},
         *INJECTIONS]
CURRENCY = ["XXX", "ABC", "US", "USDD", "€", "$", "uſd", "ＵＳＤ", "U$D", "", 840, None, [], *INJECTIONS]
COUNTRY = ["ZZ", "UK", "XK", "EU", "V", "VNM", "ⅤN", "Ｖ Ｎ", "", 704, None, *INJECTIONS]
DATE = ["2026-02-30", "2026-13-01", "2026-00-10", "2026-11-00", "2026-11-32", "99999-01-01", "0000-01-01",
        "2026/11/01", "01-11-2026", "yesterday", "", 20261101, None, [], *INJECTIONS]
DATETIME = ["2026-02-30T00:00:00Z", "2026-11-01T25:00:00Z", "not a time", "", 1793000000, None, *INJECTIONS]
UUID = ["not-a-uuid", "00000000-0000-4000-8000-00000000000", "00000000-0000-4000-8000-0000000000000", "", 123,
        None, [], {"id": "x"}, *INJECTIONS]
INTEGER = [-1, 0, 721, 10**40, 1.5, "90 days", "NaN", "1e3", True, None, "", [], *INJECTIONS]
CONTROL = ["a\x00b", "a\x07b", "a\x1b[31mb", "a\x7fb", "a\x85b", "a\x9bb", "a\u202eb", "a\u202bb", "a\u2066b",
           "a\u2067b", "a\u200bb", "a\u200fb", "a\u061cb", "\ufeffab", "a\u2028b", "a\u2029b", "a\U000e0041b",
           "a\ud800b", "a\udfffb"]
LINE_BREAKS = ["a\tb", "a\nb", "a\rb"]
TEXT = ["x" * 10_000, *CONTROL, *LINE_BREAKS, "", "   ", 123, ["x"], {"x": 1}, True]
MULTILINE_TEXT = ["x" * 10_000, *CONTROL, "", "   ", 123, ["x"], {"x": 1}]
VALID_USCC = "91350100M000100Y9" + stdnum_uscc.calc_check_digit("91350100M000100Y9")  # onboarded by no one
DECLARATION_NUMBER = ["5316", "5" * 19, "53162026000001234X", "５３１６２０２６００００００１２３４５", *TEXT[2:], *INJECTIONS]


def _decl_body(w):
    return {"number": "531677777777770001", "exporter_uscc": w.orgs["exporter"].uscc, "export_date": "2026-10-01",
            "currency": "USD", "fob_value": "1000.00", "destination_country": "VN", "consignee": "Probe Buyer"}


def _receivable_body(w):
    return receivable_body(w.ids["spare_declaration_number"], amount="1000.00", invoice="BAD-1")


def _grant(w):
    return grant_body(str(w.orgs["bank"].pk))


# endpoint: (role, path, valid body, {field: bad values}); a nested field is "declarations.0.amount".
WRITES = {
    "onboard": ("operator", lambda w: "/api/organizations/", lambda w: {
        "kind": "exporter", "name": "Probe Export Co", "uscc": VALID_USCC, "safe_classification": "A",
        "country": "CN", "admin_user": {"username": "probe-export", "password": "long-enough-pass-1"}}, {
        "kind": ["operator", "EXPORTER", "", None, *INJECTIONS],
        "name": TEXT, "uscc": [VALID_USCC[:-1] + ("0" if VALID_USCC[-1] != "0" else "1"), "123", "x" * 10_000, *CONTROL, *INJECTIONS],
        "safe_classification": ["D", "a", "", *INJECTIONS], "country": COUNTRY,
        "grace_days": [-1, 366, 10**40, "NaN", 1.5, *INJECTIONS],
        "admin_user.username": TEXT + ["a b", "bad/name", *INJECTIONS],
        "admin_user.password": ["short", "1234567890123", "x" * 10_000, None, 123],
    }),
    "declaration": ("operator", lambda w: "/api/customs/declarations/", _decl_body, {
        "number": DECLARATION_NUMBER, "exporter_uscc": [VALID_USCC, "x" * 18, "", *CONTROL, *INJECTIONS],
        "export_date": DATE, "currency": CURRENCY, "fob_value": MONEY, "destination_country": COUNTRY,
        "consignee": TEXT,
    }),
    "receivable": ("exporter", lambda w: "/api/receivables/", _receivable_body, {
        "invoice_number": TEXT, "buyer_name": TEXT, "buyer_country": COUNTRY, "currency": CURRENCY, "amount": MONEY,
        "issue_date": DATE, "due_date": DATE + ["2026-10-31", "2026-11-01"],
        "declarations": [[], None, "x", [{}] * 51, *INJECTIONS],
        "declarations.0.number": DECLARATION_NUMBER, "declarations.0.amount": MONEY,
    }),
    "financing": ("exporter", lambda w: "/api/financings/", lambda w: {
        "receivable": w.ids["receivable_unfinanced"], "bank": str(w.orgs["bank"].pk), "amount": "1000.00",
        "tenor_days": 60}, {
        "receivable": UUID + ["00000000-0000-4000-8000-000000000000"],
        "bank": UUID + ["00000000-0000-4000-8000-000000000000"],
        "amount": MONEY + ["30000.01"], "tenor_days": INTEGER,
    }),
    "approve": ("bank", lambda w: f"/api/financings/{w.ids['financing']}/approve/", lambda w: {
        "interest_rate": "4.00", "amount": "5000.00"}, {
        "interest_rate": ["-1", "100.0001", "NaN", "Infinity", "1e309", "4.123456", 4.0, "", None, *INJECTIONS],
        "amount": MONEY + ["10000.01"],
    }),
    "reject": ("bank", lambda w: f"/api/financings/{w.ids['financing']}/reject/", lambda w: {"reason": "No"}, {
        "reason": MULTILINE_TEXT,
    }),
    "fx-receipt": ("bank", lambda w: "/api/fx-receipts/", lambda w: {
        "receivable": w.ids["receivable_disbursed"], "amount": "10.00", "currency": "USD", "value_date": "2026-11-21",
        "payer_name": "Hanoi Buyer JSC", "reference": "BAD-FX"}, {
        "receivable": UUID, "amount": MONEY, "currency": CURRENCY + ["EUR"], "value_date": DATE, "payer_name": TEXT,
        "reference": TEXT,
    }),
    "credit-authorization": ("exporter", lambda w: "/api/credit-authorizations/", _grant, {
        "bank": UUID + [None], "purpose": TEXT, "scopes": [[], ["basic", "basic"], ["everything"], "basic", None,
                                                         [None], [*INJECTIONS]],
        "data_from": DATE + ["1969-12-31", "2999-01-01"], "data_to": DATE + ["2999-01-01"],
        "valid_from": DATETIME + ["1900-01-01T00:00:00Z"],
        "expires_at": DATETIME + ["2000-01-01T00:00:00Z", "1900-01-01T00:00:00Z"],
    }),
    "penalty": ("regulator", lambda w: "/api/credit/penalties/", lambda w: {
        "exporter": str(w.orgs["exporter"].pk), "decided_on": "2026-06-01", "amount": "1000.00", "currency": "CNY",
        "reason": "Late filing", "reference": "BAD-P"}, {
        "exporter": UUID + ["00000000-0000-4000-8000-000000000000"], "decided_on": DATE, "amount": MONEY,
        "currency": CURRENCY, "reason": MULTILINE_TEXT, "reference": TEXT,
    }),
    "alert-acknowledge": ("regulator", lambda w: f"/api/oversight/alerts/{w.ids['alert']}/acknowledge/",
                          lambda w: {"note": "seen"}, {"note": ["x" * 10_000, *CONTROL, 123, ["x"]]}),
    "token": ("anonymous", lambda w: "/api/auth/token/", lambda w: {
        "username": w.username("exporter"), "password": w.password}, {
        "username": ["x" * 10_000, *CONTROL, "", None, 123, ["x"], *INJECTIONS],
        "password": ["x" * 10_000, "", None, 123, ["x"], *INJECTIONS],
    }),
}


def set_path(body: dict, path: str, value) -> dict:
    body = json.loads(json.dumps(body))
    parts = path.split(".")
    node = body
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return body


def post_json(api, path: str, body, **headers):
    # ensure_ascii keeps lone surrogates as \ud800 escapes, as a client would send them.
    return api.generic("POST", path, json.dumps(body, ensure_ascii=True), content_type="application/json", **headers)


def assert_error_shape(response, field: str | None = None) -> None:
    error = response.json()
    assert set(error) == {"code", "message", "details"}, error
    if field and response.status_code == 400 and error["code"] == "invalid":
        root = field.split(".")[0]
        assert any(str(key).startswith(root) or key == "non_field_errors" for key in error["details"]) \
            or root in json.dumps(error["details"]), (field, error)


def _field_cases():
    for endpoint, (_, _, _, fields) in WRITES.items():
        for field in fields:
            yield pytest.param(endpoint, field, id=f"{endpoint}-{field}")


@pytest.mark.parametrize("endpoint,field", list(_field_cases()))
def test_bad_values_are_refused_and_write_nothing(world, endpoint, field):
    role, path, base, fields = WRITES[endpoint]
    api, url, valid = world.client(role), path(world), base(world)
    problems = []
    for value in fields[field]:
        body = set_path(valid, field, value)
        before = table_digests()
        response = post_json(api, url, body)
        written = changed_tables(before, table_digests())
        if not 400 <= response.status_code < 500 or written:
            problems.append(f"{value!r:.80}: {response.status_code} {response.content[:200]!r} wrote {written}")
            continue
        assert_error_shape(response, field)
    assert not problems, f"{endpoint}.{field} accepted or crashed on:\n" + "\n".join(problems)


@pytest.mark.parametrize("endpoint", sorted(WRITES))
def test_the_valid_base_body_is_accepted(world, endpoint):
    """The probes above differ from an accepted request by one field only."""
    role, path, base, _ = WRITES[endpoint]
    response = post_json(world.client(role), path(world), base(world))
    assert response.status_code in (200, 201), response.content[:500]


@pytest.mark.parametrize("endpoint", sorted(WRITES))
def test_a_body_over_one_megabyte_is_413_and_writes_nothing(world, endpoint):
    role, path, base, _ = WRITES[endpoint]
    body = {**base(world), "padding": "x" * 1_000_001}
    with nothing_written():
        response = post_json(world.client(role), path(world), body)
    assert response.status_code == 413, response.content[:200]
    assert response.json()["code"] == "request_too_large"


def test_a_lying_content_length_reads_no_more_than_announced(world):
    api = world.client("exporter")
    body = json.dumps(_receivable_body(world)).encode()
    with nothing_written():
        response = api.generic("POST", "/api/receivables/", body, content_type="application/json",
                               CONTENT_LENGTH=str(len(body) // 2))
    assert response.status_code == 400
    with nothing_written():
        response = api.generic("POST", "/api/receivables/", body, content_type="application/json",
                               CONTENT_LENGTH="-1")
    assert 400 <= response.status_code < 500
    with nothing_written():
        response = api.generic("POST", "/api/receivables/", body, content_type="application/json",
                               CONTENT_LENGTH="abc")
    assert response.status_code == 400


@pytest.mark.parametrize("raw", [
    b"", b"{", b"[" * 100_000 + b"]" * 100_000, b'{"a": NaN}', b'{"a": Infinity}', b'{"a": -Infinity}',
    b'{"amount": "1.00", "amount": "2.00"}', b"\xff\xfe{}", b'{"a": "\\ud800"}', b'"just a string"', b"[1, 2]",
    b"null", b"1e309", b'{"a": 1e999999}',
], ids=["empty", "truncated", "deep", "nan", "inf", "-inf", "duplicate-member", "bad-utf8", "lone-surrogate",
        "string", "array", "null", "huge-number", "huge-exponent"])
def test_malformed_json_is_400_and_writes_nothing(world, raw):
    with nothing_written():
        response = world.client("exporter").generic("POST", "/api/financings/", raw, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert_error_shape(response)


def test_other_media_types_are_refused(world):
    api = world.client("exporter")
    for content_type, raw in [("application/x-www-form-urlencoded", b"amount=1"), ("multipart/form-data; boundary=x",
                              b"--x--"), ("text/plain", b"{}"), ("application/xml", b"<a/>")]:
        with nothing_written():
            response = api.generic("POST", "/api/financings/", raw, content_type=content_type)
        assert response.status_code == 415, (content_type, response.status_code)


@pytest.mark.parametrize("key", ["k" * 201, "key\x00", "key\n", "key\x1b", "k\u202ey"], ids=[
    "too-long", "nul", "newline", "escape", "rtl-override"])
def test_a_bad_idempotency_key_is_400_and_writes_nothing(world, key):
    with nothing_written():
        response = post_json(world.client("exporter"), "/api/receivables/", _receivable_body(world),
                             HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400, response.content[:300]


# ------------------------------------------------------------------------------------------------ tokens


def _forged_headers(world):
    real = world.tokens["exporter"]
    stored_hash = AuthToken.objects.filter(user=world.users["exporter"]).values_list("key_hash", flat=True).first()
    return {
        "random": "Bearer " + "A" * 43,
        "empty": "Bearer",
        "blank": "Bearer   ",
        "lowercase-scheme": f"bearer {real}",
        "token-scheme": f"Token {real}",
        "basic": "Basic c2VjLWV4cC1hOmRlbW8tcGFzcy0yMDI2",
        "two-tokens": f"Bearer {real} {real}",
        "real-token-altered": "Bearer " + real[:-1] + ("A" if real[-1] != "A" else "B"),
        "stored-hash": f"Bearer {stored_hash}",
        "jwt-alg-none": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJzZWMtcmVnIn0.",
        "sql": "Bearer ' OR '1'='1",
        "very-long": "Bearer " + "a" * 100_000,
        "non-latin": "Bearer \u00e9\u00e9\u00e9",
        "nul": "Bearer abc\x00def",
    }


def test_forged_tokens_are_401_and_write_nothing(world):
    problems = []
    for name, header in _forged_headers(world).items():
        api = world.client("anonymous")
        with nothing_written():
            me = api.get("/api/me/", HTTP_AUTHORIZATION=header)
            write = post_json(api, "/api/receivables/", _receivable_body(world), HTTP_AUTHORIZATION=header)
        for response in (me, write):
            if response.status_code != 401:
                problems.append(f"{name}: {response.status_code}")
            else:
                assert response.json()["code"] in ("authentication_failed", "not_authenticated")
    assert not problems, problems


def test_expired_and_deactivated_users_tokens_are_401(world):
    api = world.client("exporter")
    assert api.get("/api/me/").status_code == 200
    AuthToken.objects.filter(user=world.users["exporter"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    with nothing_written():
        assert api.get("/api/me/").status_code == 401
        assert post_json(api, "/api/receivables/", _receivable_body(world)).status_code == 401
    bank = world.client("bank")
    world.users["bank"].is_active = False
    world.users["bank"].save(update_fields=["is_active"])
    with nothing_written():
        assert bank.get("/api/me/").status_code == 401
        response = post_json(bank, f"/api/financings/{world.ids['financing']}/approve/", {"interest_rate": "4.00"})
        assert response.status_code == 401


# ------------------------------------------------------------------------------------------------ logins


def login(api, username, password, addr="203.0.113.7"):
    return post_json(api, "/api/auth/token/", {"username": username, "password": password}, REMOTE_ADDR=addr)


def test_a_burst_on_one_account_hits_the_limit_and_the_right_password_does_not_get_through(world, settings):
    api, user = world.client("anonymous"), world.username("exporter")
    statuses = [login(api, user, f"wrong-{i}").status_code for i in range(settings.LOGIN_FAILURE_LIMIT)]
    assert statuses == [401] * settings.LOGIN_FAILURE_LIMIT
    tokens_before = AuthToken.objects.count()
    for attempt in (user, user.upper(), f" {user} "):  # the counter ignores case and surrounding blanks
        assert login(api, attempt, world.password).status_code == 429, attempt
    locked = login(api, user, world.password)
    assert locked.json()["code"] == "too_many_failed_logins"
    assert locked.json()["details"]["retry_after_seconds"] == settings.LOGIN_FAILURE_WINDOW_SECONDS
    assert AuthToken.objects.count() == tokens_before  # no token was issued while locked
    # The lock is per account and address: the same account from elsewhere, and another account here, still log in.
    assert login(api, user, world.password, addr="198.51.100.9").status_code == 200
    assert login(api, world.username("bank"), world.password).status_code == 200


def test_password_spraying_from_one_address_hits_the_address_limit(world, settings):
    api = world.client("anonymous")
    limit = settings.LOGIN_FAILURE_ADDRESS_LIMIT
    statuses = [login(api, f"sprayed-user-{i}", "Winter2026!").status_code for i in range(limit)]
    assert statuses == [401] * limit
    tokens_before = AuthToken.objects.count()
    response = login(api, world.username("regulator"), world.password)
    assert response.status_code == 429, response.content
    assert AuthToken.objects.count() == tokens_before
    assert login(api, world.username("regulator"), world.password, addr="198.51.100.10").status_code == 200


def test_a_successful_login_does_not_reset_the_spray_counter(world, settings):
    settings.LOGIN_FAILURE_ADDRESS_LIMIT = 6
    api = world.client("anonymous")
    for i in range(5):
        assert login(api, f"sprayed-{i}", "x-wrong-pass").status_code == 401
    assert login(api, world.username("exporter"), world.password).status_code == 200
    assert login(api, "sprayed-5", "x-wrong-pass").status_code == 401
    assert login(api, world.username("exporter"), world.password).status_code == 429


PROXY = "10.0.0.5"


def test_behind_trusted_proxies_each_client_has_its_own_login_limit(world, settings):
    """Through a proxy REMOTE_ADDR is the proxy's; with TRUSTED_PROXIES the client's address (from
    X-Forwarded-For) is the one counted, so one client's spray does not lock out the others."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8:aa::/48"]
    settings.LOGIN_FAILURE_ADDRESS_LIMIT = 3
    api = world.client("anonymous")

    def via_proxies(username, password, forwarded):
        return post_json(api, "/api/auth/token/", {"username": username, "password": password},
                         REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)

    # Two proxies (the inner one an IPv6 in the trusted network) appended the attacker's address.
    attacker = "203.0.113.7, 2001:db8:aa::2"
    assert [via_proxies(f"sprayed-{i}", "x-wrong-pass", attacker).status_code for i in range(3)] == [401] * 3
    assert via_proxies(world.username("exporter"), world.password, attacker).status_code == 429
    # Another client through the same proxies is not affected.
    assert via_proxies(world.username("exporter"), world.password, "198.51.100.9, 2001:db8:aa::2").status_code == 200
    # The attacker cannot choose a fresh address: what it sends itself stands left of what the first
    # proxy appended, and the walk from the right stops at that first untrusted address.
    forged = f"192.0.2.{77}, {attacker}"
    assert via_proxies(world.username("exporter"), world.password, forged).status_code == 429
    # A malformed entry ends the walk at the last proxy reached (its own address is counted, not the
    # one left of the malformed entry); a peer that is not a trusted proxy is taken as it is.
    assert via_proxies(world.username("exporter"), world.password, "203.0.113.7, not-an-address, 2001:db8:aa::2").status_code == 200
    direct = post_json(api, "/api/auth/token/", {"username": world.username("exporter"), "password": world.password},
                       REMOTE_ADDR="192.0.2.200", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert direct.status_code == 200


def test_without_trusted_proxies_x_forwarded_for_is_ignored(world, settings):
    """A client cannot dodge the per-address limit by sending the header to a server without proxies."""
    settings.LOGIN_FAILURE_ADDRESS_LIMIT = 3
    api = world.client("anonymous")
    for i in range(3):
        response = post_json(api, "/api/auth/token/", {"username": f"sprayed-{i}", "password": "x-wrong-pass"},
                             REMOTE_ADDR="203.0.113.8", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
        assert response.status_code == 401
    response = post_json(api, "/api/auth/token/", {"username": world.username("exporter"), "password": world.password},
                         REMOTE_ADDR="203.0.113.8", HTTP_X_FORWARDED_FOR="198.51.100.250")
    assert response.status_code == 429


def test_a_malformed_trusted_proxy_setting_stops_the_server_from_starting(settings):
    from django.core.exceptions import ImproperlyConfigured
    from django.core.handlers.wsgi import WSGIHandler

    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "proxy.internal"]
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        WSGIHandler()


# ------------------------------------------------------------------------------------------------ text


def test_rtl_and_cjk_text_is_accepted_but_overrides_are_not(world):
    api = world.client("exporter")
    names = ["شركة هانوي للتجارة", "חברת ייבוא בע\"מ", "广西南宁进出口有限公司", "Công ty TNHH Hà Nội", "O'Brien & Sons - Export"]
    for index, name in enumerate(names):
        body = {**_receivable_body(world), "invoice_number": f"RTL-{index}", "buyer_name": name}
        response = post_json(api, "/api/receivables/", body)
        assert response.status_code == 201, (name, response.content[:300])
        assert response.json()["buyer_name"] == name
    with nothing_written():
        spoof = post_json(api, "/api/receivables/", {**_receivable_body(world), "buyer_name": "Invoice\u202efdp.exe"})
    assert spoof.status_code == 400 and "buyer_name" in spoof.json()["details"]


def test_injection_strings_in_free_text_are_stored_verbatim_and_inert(world):
    api = world.client("exporter")
    tables_before = set(connection.introspection.table_names())
    for index, text in enumerate(SQL + SCRIPT):
        body = {**_receivable_body(world), "invoice_number": f"INJ-{index}", "buyer_name": text}
        response = post_json(api, "/api/receivables/", body)
        assert response.status_code == 201, (text, response.content[:300])
        assert response["Content-Type"] == "application/json"
        assert response.json()["buyer_name"] == text
        assert Receivable.objects.get(pk=response.json()["id"]).buyer_name == text
    assert set(connection.introspection.table_names()) == tables_before
    # JSON is never sniffed as HTML.
    response = world.client("regulator").get("/api/receivables/")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_formula_text_is_neutralised_in_the_csv_exports(world):
    api = world.client("exporter")
    response = post_json(api, "/api/receivables/", {**_receivable_body(world), "invoice_number": "=cmd|' /C calc'!A0",
                                                    "buyer_name": "@SUM(1+1)*cmd|' /C calc'!A0"})
    assert response.status_code == 201, response.content[:300]
    applied = post_json(api, "/api/financings/", {"receivable": response.json()["id"], "bank": str(world.orgs["bank"].pk),
                                                  "amount": "100.00", "tenor_days": 30})
    assert applied.status_code == 201, applied.content[:300]
    csv = b"".join(world.client("regulator").get("/api/oversight/exports/financings.csv").streaming_content).decode()
    line = next(line for line in csv.splitlines() if "cmd|" in line)
    assert ",'=cmd|" in line or ",\"'=cmd|" in line, line


# ------------------------------------------------------------------------------------------------ queries


def _list_routes():
    return sorted(name for name, methods in RULES.items() if name.endswith("-list") and "GET" in methods)


@pytest.mark.parametrize("name", _list_routes())
def test_injection_in_query_parameters_never_widens_a_list(world, name):
    view = api_routes()[name].callback.cls
    filterset = getattr(view, "filterset_class", None)
    params = list(filterset.base_filters) if filterset else list(getattr(view, "filterset_fields", []))
    params += ["page", "page_size", "ordering", "search"]
    api = world.client("exporter")
    baseline = api.get(reverse(name), {"page_size": 500}).json()["count"]
    problems = []
    for param in params:
        for value in [*SQL[:2], SCRIPT[0], "../../../etc/passwd", "x" * 5000, "\x00", "\u202e"]:
            with nothing_written():
                response = api.get(reverse(name), {param: value, "page_size": 500})
            if response.status_code >= 500 or response.status_code in (401, 403):
                problems.append(f"{param}={value!r:.40}: {response.status_code}")
            elif response.status_code == 200 and response.json()["count"] > baseline:
                problems.append(f"{param}={value!r:.40}: widened the list to {response.json()['count']} > {baseline}")
    assert not problems, problems
