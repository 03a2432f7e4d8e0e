"""The conventions of API.md, through the real HTTP stack and PostgreSQL."""

from datetime import timedelta

import pytest
from django.utils import timezone

from common.models import AuthToken, IdempotencyRecord
from organizations.models import Organization
from tests.support.factories import make_operator, token_for

pytestmark = pytest.mark.django_db


def test_token_then_me(api):
    make_operator(username="op1")
    response = api.post("/api/auth/token/", {"username": "op1", "password": "demo-pass-2026"}, format="json")
    assert response.status_code == 200
    assert set(response.json()) == {"token", "expires_at"}
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    me = api.get("/api/me/").json()
    assert me["username"] == "op1"
    assert me["organization"]["kind"] == "operator"
    assert set(me["organization"]) == {"id", "name", "kind"}


def test_stored_token_is_a_hash_not_the_token(api):
    make_operator(username="op1")
    token = api.post("/api/auth/token/", {"username": "op1", "password": "demo-pass-2026"}, format="json").json()["token"]
    stored = AuthToken.objects.get()
    assert stored.key_hash != token and token not in stored.key_hash


def test_wrong_password_is_401_in_error_shape(api):
    make_operator(username="op1")
    response = api.post("/api/auth/token/", {"username": "op1", "password": "nope"}, format="json")
    assert response.status_code == 401
    assert response.json() == {"code": "invalid_credentials", "message": "Wrong username or password.", "details": {}}


def test_repeated_failed_logins_are_rate_limited(api):
    make_operator(username="op1")
    codes = [api.post("/api/auth/token/", {"username": "op1", "password": "bad"}, format="json").status_code for _ in range(6)]
    assert codes[:5] == [401] * 5
    assert codes[5] == 429
    # Even the right password is refused while limited.
    right = api.post("/api/auth/token/", {"username": "op1", "password": "demo-pass-2026"}, format="json")
    assert right.status_code == 429
    assert right.json()["code"] == "too_many_failed_logins"


def test_expired_and_forged_tokens_are_401(api):
    user = make_operator(username="op1")
    token = token_for(user)
    AuthToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/me/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION="Bearer forged-token")
    response = api.get("/api/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    api.credentials()
    assert api.get("/api/me/").json()["code"] == "not_authenticated"


def test_money_as_json_number_is_refused(api):
    user = make_operator(username="op1")
    exporter = Organization.objects.create(kind="exporter", name="E", uscc="91450100MA5KX0001Y", safe_classification="A")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    body = {"number": "531620260000012345", "exporter_uscc": exporter.uscc, "export_date": "2026-01-05",
            "currency": "USD", "fob_value": 1000.5, "destination_country": "VN", "consignee": "X"}
    response = api.post("/api/customs/declarations/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "fob_value" in response.json()["details"]


@pytest.mark.parametrize("raw", [b'{"fob_value": NaN}', b'{"fob_value": Infinity}', b"{not json", b'{"a": 1e999999}'])
def test_malformed_or_non_finite_json_is_400(api, raw):
    user = make_operator(username="op1")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    response = api.generic("POST", "/api/customs/declarations/", raw, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"code", "message", "details"}


def test_oversized_body_is_413(api, settings):
    user = make_operator(username="op1")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    response = api.generic("POST", "/api/customs/declarations/", b"x" * (settings.MAX_REQUEST_BODY_BYTES + 1),
                           content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_not_found_is_json_in_error_shape(api):
    user = make_operator(username="op1")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    response = api.get("/api/organizations/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert api.get("/api/no-such-endpoint/").status_code == 404


def test_lists_are_paginated(api):
    user = make_operator(username="op1")
    for i in range(3):
        Organization.objects.create(kind="bank", name=f"Bank {i}", bic=f"BKCHCNB{i}")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    page = api.get("/api/organizations/?page_size=2").json()
    assert page["count"] == 4
    assert len(page["results"]) == 2
    assert api.get("/api/organizations/?page_size=2&page=2").json()["results"][0]["name"] in {"Bank 2", "Cross-border Platform Operations Centre"}
    assert api.get("/api/organizations/?kind=bank").json()["count"] == 3


def test_idempotency_key_replays_and_detects_a_different_body(api):
    user = make_operator(username="op1")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")
    body = {"kind": "bank", "name": "Replay Bank", "bic": "BKCHCNBJ480", "admin_user": {"username": "replay-admin", "password": "long-enough-pass-1"}}
    first = api.post("/api/organizations/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = api.post("/api/organizations/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201
    assert second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Organization.objects.filter(name="Replay Bank").count() == 1
    other = api.post("/api/organizations/", {**body, "name": "Other"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"
    assert Organization.objects.filter(name="Other").count() == 0
    assert IdempotencyRecord.objects.count() == 1


def test_schema_and_docs_are_served(api):
    schema = api.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in ["/api/auth/token/", "/api/me/", "/api/organizations/", "/api/health/", "/api/customs/declarations/"]:
        assert path in text
    assert api.get("/api/docs/").status_code == 200
