"""Mass assignment: fields a client must not set are ignored or refused, on every write endpoint.

Each probe sends a valid body plus forged fields (`status`, `organization`, `financed_amount`,
`is_staff`, keys, ids, owners, amounts the server computes, signatures) and checks both the
response and the database: the forged values are nowhere.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from chain.models import ChainAccount
from credit.models import CreditAuthorization, Penalty
from customs.models import Declaration
from financing.models import Financing, FxReceipt
from organizations.models import Organization, User
from oversight.models import Alert
from receivables.models import Receivable
from tests.security.world import grant_body, receivable_body

ANVIL_KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"  # published test key
ANVIL_ADDRESS_0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
FORGED_ID = "00000000-0000-4000-8000-0000000000aa"
FORGED_SIGNATURE = "0x" + "11" * 65
FORGED_DIGEST = "0x" + "22" * 32

# Fields no client may set anywhere: the server owns them.
FORGED = {
    "id": FORGED_ID,
    "status": "repaid",
    "organization": FORGED_ID,
    "financed_amount": "99999999.00",
    "allocated_amount": "99999999.00",
    "available_amount": "99999999.00",
    "approved_amount": "99999999.00",
    "repaid_amount": "99999999.00",
    "outstanding_amount": "0.00",
    "is_staff": True,
    "is_superuser": True,
    "role": "regulator",
    "private_key": ANVIL_KEY_0,
    "encrypted_key": "gAAAAAforged",
    "chain_address": ANVIL_ADDRESS_0,
    "signer_address": ANVIL_ADDRESS_0,
    "signature": FORGED_SIGNATURE,
    "digest": FORGED_DIGEST,
    "fingerprint": FORGED_DIGEST,
    "created_at": "2000-01-01T00:00:00Z",
    "chain": {"status": "confirmed", "tx_hash": FORGED_DIGEST, "block_number": 1},
}


def forged(body: dict, **more) -> dict:
    return {**FORGED, **more, **body}


def assert_not_forged(data: dict, *fields: str) -> None:
    for name in ("id", "created_at", "fingerprint", "digest", "signature", "chain_address", "signer_address"):
        if name in data:
            assert data[name] != FORGED[name], (name, data[name])
    assert "private_key" not in data and "encrypted_key" not in data
    for name in fields:
        assert data.get(name) != FORGED.get(name), (name, data.get(name))


def test_onboarding_ignores_staff_flags_keys_and_ids(world):
    api = world.client("operator")
    response = api.post("/api/organizations/", forged({
        "kind": "bank", "name": "Forged Bank", "bic": "DEUTDEFF",
        "admin_user": {"username": "forged-bank", "password": "long-enough-pass-1", "is_staff": True,
                       "is_superuser": True, "is_active": True, "organization": str(world.orgs["regulator"].pk)},
    }, kind="bank"), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert_not_forged(data)
    user = User.objects.get(username="forged-bank")
    assert (user.is_staff, user.is_superuser) == (False, False)
    assert user.organization_id == Organization.objects.get(pk=data["id"]).pk != world.orgs["regulator"].pk
    account = ChainAccount.objects.get(organization_id=data["id"])
    assert account.address != ANVIL_ADDRESS_0
    assert not ChainAccount.objects.filter(address__iexact=ANVIL_ADDRESS_0).exists()


def test_onboarding_cannot_create_an_operator(world):
    response = world.client("operator").post("/api/organizations/", {
        "kind": "operator", "name": "Second Operator",
        "admin_user": {"username": "op-two", "password": "long-enough-pass-1"}}, format="json")
    assert response.status_code == 400
    assert "kind" in response.json()["details"]
    assert not User.objects.filter(username="op-two").exists()


def test_declaration_feed_ignores_computed_amounts(world):
    response = world.client("operator").post("/api/customs/declarations/", forged({
        "number": "531688888888880001", "exporter_uscc": world.orgs["exporter"].uscc, "export_date": "2026-10-01",
        "currency": "USD", "fob_value": "1000.00", "destination_country": "VN", "consignee": "Probe Buyer",
    }, exporter=str(world.orgs["exporter2"].pk)), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert_not_forged(data)
    assert (data["financed_amount"], data["allocated_amount"], data["available_amount"]) == ("0.00", "0.00", "1000.00")
    assert data["exporter"] == str(world.orgs["exporter"].pk)
    declaration = Declaration.objects.get(pk=data["id"])
    assert declaration.financed_amount == 0 and declaration.exporter_id == world.orgs["exporter"].pk


def test_receivable_owner_status_and_amounts_are_the_servers(world):
    body = receivable_body(world.ids["spare_declaration_number"], amount="1000.00", invoice="MASS-1")
    response = world.client("exporter").post("/api/receivables/", forged(
        body, exporter=str(world.orgs["exporter2"].pk), received_amount="5.00", declaration_check={"ok": True},
        suspected_duplicate_of=[world.ids["receivable2"]]), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert_not_forged(data, "status")
    assert data["exporter"] == str(world.orgs["exporter"].pk)
    assert (data["financed_amount"], data["received_amount"]) == ("0.00", "0.00")
    assert data["suspected_duplicate_of"] == []
    receivable = Receivable.objects.get(pk=data["id"])
    assert receivable.exporter_id == world.orgs["exporter"].pk and receivable.financed_amount == 0


def test_financing_application_cannot_preset_its_outcome(world):
    response = world.client("exporter").post("/api/financings/", forged({
        "receivable": world.ids["receivable_unfinanced"], "bank": str(world.orgs["bank"].pk), "amount": "1000.00",
        "tenor_days": 60}, exporter=str(world.orgs["exporter2"].pk), interest_rate="0.0001",
        disbursed_at="2026-01-01T00:00:00Z", due_date="2030-01-01"), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert_not_forged(data, "status", "approved_amount", "repaid_amount")
    assert data["status"] == "applied" and data["approved_amount"] is None and data["interest_rate"] is None
    assert data["exporter"]["id"] == str(world.orgs["exporter"].pk)
    financing = Financing.objects.get(pk=data["id"])
    assert (financing.status, financing.disbursed_at, financing.exporter_id) == ("applied", None, world.orgs["exporter"].pk)


def test_approval_reserves_what_the_service_decides(world):
    financing_id = world.ids["financing"]
    response = world.client("bank").post(f"/api/financings/{financing_id}/approve/", forged(
        {"interest_rate": "4.00"}, bank=str(world.orgs["bank2"].pk), status="repaid"), format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "approved"
    assert Decimal(data["approved_amount"]) == Decimal("10000.00")  # the requested amount, not the forged one
    assert data["repaid_amount"] == "0.00" and data["bank"]["id"] == str(world.orgs["bank"].pk)


@pytest.mark.parametrize("action,role,expected_status", [
    ("reject", "bank", "rejected"), ("withdraw", "exporter", "withdrawn"), ("disburse", "bank", None)])
def test_other_financing_actions_ignore_forged_fields(world, action, role, expected_status):
    financing_id = world.ids["financing"]
    response = world.client(role).post(f"/api/financings/{financing_id}/{action}/",
                                       forged({"reason": "Probe reason"}), format="json")
    financing = Financing.objects.get(pk=financing_id)
    if expected_status is None:  # disbursing an unapproved application: refused, nothing changed
        assert response.status_code == 409
        assert financing.status == "applied"
    else:
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == financing.status == expected_status
    assert financing.approved_amount is None and financing.repaid_amount == 0


def test_fx_receipt_applies_what_the_service_computes(world):
    response = world.client("bank").post("/api/fx-receipts/", forged({
        "receivable": world.ids["receivable_disbursed"], "amount": "10.00", "currency": "USD",
        "value_date": "2026-11-21", "payer_name": "Hanoi Buyer JSC", "reference": "MASS-FX"},
        bank=str(world.orgs["bank2"].pk), applied_amount="99999.00", surplus_amount="99999.00",
        repayments=[{"financing": world.ids["financing2"], "amount": "10.00"}]), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert_not_forged(data)
    assert data["bank"] == str(world.orgs["bank"].pk)
    assert (data["applied_amount"], data["surplus_amount"]) == ("10.00", "0.00")
    assert [r["financing"] for r in data["repayments"]] == [world.ids["financing_disbursed"]]
    receipt = FxReceipt.objects.get(pk=data["id"])
    assert receipt.bank_id == world.orgs["bank"].pk
    assert Financing.objects.get(pk=world.ids["financing2"]).repaid_amount == 0


def test_credit_authorization_is_signed_by_the_server_for_the_caller(world):
    response = world.client("exporter").post("/api/credit-authorizations/", forged(
        grant_body(str(world.orgs["bank"].pk)), exporter=str(world.orgs["exporter2"].pk), status="revoked",
        typed_data={"message": {"exporter": ANVIL_ADDRESS_0}}), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert_not_forged(data)
    assert data["status"] == "active" and data["exporter"] == str(world.orgs["exporter"].pk)
    assert data["signer_address"] == world.orgs["exporter"].chain_account.address
    authorization = CreditAuthorization.objects.get(pk=data["id"])
    assert authorization.exporter_id == world.orgs["exporter"].pk and authorization.signature != FORGED_SIGNATURE


def test_revoke_ignores_a_forged_status(world):
    authorization_id = world.ids["authorization"]
    response = world.client("exporter").post(f"/api/credit-authorizations/{authorization_id}/revoke/",
                                             forged({}, status="active", expires_at="2099-01-01T00:00:00Z"),
                                             format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "revoked"
    assert CreditAuthorization.objects.get(pk=authorization_id).status == "revoked"


def test_penalty_is_imposed_by_the_caller(world):
    response = world.client("regulator").post("/api/credit/penalties/", forged({
        "exporter": str(world.orgs["exporter"].pk), "decided_on": "2026-06-02", "reason": "Probe penalty",
        "reference": "MASS-P"}, imposed_by={"id": str(world.orgs["operator"].pk), "name": "Operator"}), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert_not_forged(data)
    assert data["imposed_by"]["id"] == str(world.orgs["regulator"].pk)
    assert Penalty.objects.get(pk=data["id"]).imposed_by_id != world.orgs["operator"].pk


def test_alert_acknowledgement_records_the_real_acknowledger(world):
    alert_id = world.ids["alert"]
    response = world.client("regulator").post(f"/api/oversight/alerts/{alert_id}/acknowledge/", forged(
        {"note": "seen"}, acknowledged_by=str(world.users["exporter"].pk), severity="critical",
        visible_to=[str(world.orgs["exporter2"].pk)]), format="json")
    assert response.status_code == 200, response.json()
    alert = Alert.objects.get(pk=alert_id)
    assert alert.acknowledged_by_id == world.users["regulator"].pk
    assert alert.severity == "low"
    assert str(world.orgs["exporter2"].pk) not in {str(v) for v in alert.visible_to}


def test_a_token_request_cannot_choose_its_user_or_lifetime(world, settings):
    response = world.client("anonymous").post("/api/auth/token/", forged({
        "username": world.username("exporter"), "password": world.password},
        user=str(world.users["regulator"].pk), expires_at="2099-01-01T00:00:00Z"), format="json")
    assert response.status_code == 200, response.json()
    token = response.json()["token"]
    me = world.client("anonymous")
    me.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.get("/api/me/").json()["username"] == world.username("exporter")
    assert response.json()["expires_at"] < "2099"
