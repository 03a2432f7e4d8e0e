import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from audit.models import AuditEvent
from chain.models import ChainAccount
from organizations.models import Organization, User
from tests.support.factories import auth, make_operator, make_org, user_of

pytestmark = pytest.mark.django_db


def onboard(api, **body):
    return api.post("/api/organizations/", {"admin_user": {"username": "newadmin", "password": "long-enough-pass-1"}, **body},
                    format="json")


@pytest.mark.parametrize("body,field", [
    ({"kind": "exporter", "name": "Export Co", "uscc": "91450100MA5KX0001X", "safe_classification": "A"}, "uscc"),
    ({"kind": "exporter", "name": "Export Co", "safe_classification": "A"}, "uscc"),
    ({"kind": "exporter", "name": "Export Co", "uscc": "91450100MA5KX0001Y"}, "safe_classification"),
    ({"kind": "bank", "name": "Bank Co", "bic": "BKCHCNB"}, "bic"),
    ({"kind": "bank", "name": "Bank Co", "bic": "ZZZZZZZZ"}, "bic"),
    ({"kind": "bank", "name": "Bank Co"}, "bic"),
    ({"kind": "operator", "name": "Ops Co"}, "kind"),
    ({"kind": "bank", "name": "Bank Co", "bic": "BKCHCNBJ480", "country": "XX"}, "country"),
])
def test_invalid_identifiers_are_400_with_the_field(body, field):
    api = auth(APIClient(), make_operator())
    response = onboard(api, **body)
    assert response.status_code == 400, response.json()
    assert field in response.json()["details"]
    assert Organization.objects.count() == 1  # only the operator
    assert not User.objects.filter(username="newadmin").exists()


def test_weak_password_is_refused_and_nothing_is_written():
    api = auth(APIClient(), make_operator())
    response = api.post("/api/organizations/", {"kind": "bank", "name": "Bank Co", "bic": "BKCHCNBJ480",
                                                "admin_user": {"username": "newadmin", "password": "123"}}, format="json")
    assert response.status_code == 400
    assert "admin_user" in response.json()["details"]
    assert Organization.objects.count() == 1 and ChainAccount.objects.filter(organization__isnull=False).count() == 1


def test_only_the_operator_onboards():
    bank = make_org("bank")
    api = auth(APIClient(), user_of(bank))
    response = onboard(api, kind="bank", name="Bank Co", bic="ICBKCNBJGXI")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_onboarding_returns_the_chain_address_and_audits_it():
    api = auth(APIClient(), make_operator())
    response = onboard(api, kind="exporter", name="Nanning", uscc="91450100mA5kx0001y", safe_classification="B")
    assert response.status_code == 201
    data = response.json()
    assert data["uscc"] == "91450100MA5KX0001Y"
    account = ChainAccount.objects.get(organization_id=data["id"])
    assert data["chain_address"] == account.address
    event = AuditEvent.objects.get(type="organization.onboarded", object_id=data["id"])
    assert event.payload["data"]["chain_address"] == account.address
    assert "key" not in str(event.payload).lower().replace("kind", "")
    duplicate = onboard(api, kind="exporter", name="Again", uscc="91450100MA5KX0001Y", safe_classification="B")
    assert duplicate.status_code in (400, 409)


def test_seed_demo_is_idempotent_and_refused_when_not_allowed(settings):
    call_command("seed_demo")
    counts = (Organization.objects.count(), User.objects.count())
    call_command("seed_demo")
    assert (Organization.objects.count(), User.objects.count()) == counts
    assert set(User.objects.values_list("username", flat=True)) >= {"operator", "exporter", "exporter2", "bank", "bank2", "regulator"}
    api = APIClient()
    token = api.post("/api/auth/token/", {"username": "bank2", "password": "demo-pass-2026"}, format="json").json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/me/").json()["organization"]["kind"] == "bank"
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("seed_demo")


def test_health_reports_database_broker_and_chain(chain):
    response = APIClient().get("/api/health/")
    body = response.json()
    assert body["database"] is True
    assert body["broker"] is True
    assert body["chain"]["ok"] is True
    assert body["chain"]["chain_id"] == 31337
    assert set(body["chain"]["contracts"]) == {"MemberRegistry", "FinancingRegistry", "AuthorizationRegistry", "AuditAnchor"}
    assert response.status_code == 200


def test_health_without_a_chain_is_503(settings):
    settings.CHAIN_RPC_URL = "http://127.0.0.1:9"
    response = APIClient().get("/api/health/")
    assert response.status_code == 503
    assert response.json()["chain"]["ok"] is False
    assert response.json()["database"] is True


def test_bootstrap_operator_creates_the_first_operator_who_can_then_onboard(monkeypatch, capsys):
    monkeypatch.setenv("BOOTSTRAP_PASSWORD", "first-operator-pass-2026")
    call_command("bootstrap_operator", "--username", "ops-admin", "--name", "Guangxi Platform Operations")
    operator = Organization.objects.get(kind="operator")
    assert operator.name == "Guangxi Platform Operations"
    user = User.objects.get(username="ops-admin")
    assert user.organization == operator and user.check_password("first-operator-pass-2026")
    assert ChainAccount.objects.filter(organization=operator).count() == 1
    assert AuditEvent.objects.filter(type="organization.onboarded", object_id=str(operator.pk)).count() == 1
    assert str(operator.chain_account.address) in capsys.readouterr().out
    # The new operator onboards a bank through the API.
    api = auth(APIClient(), user)
    created = api.post("/api/organizations/", {"kind": "bank", "name": "Bank Co", "bic": "BKCHCNBJ480",
                                               "admin_user": {"username": "bank-admin", "password": "long-enough-pass-1"}},
                       format="json")
    assert created.status_code == 201, created.json()
    # Only once.
    with pytest.raises(CommandError, match="exists already"):
        call_command("bootstrap_operator", "--username", "ops-admin-2")
    assert Organization.objects.filter(kind="operator").count() == 1


def test_bootstrap_operator_refuses_a_weak_password_and_writes_nothing(monkeypatch):
    monkeypatch.setenv("BOOTSTRAP_PASSWORD", "short")
    with pytest.raises(CommandError, match="too weak"):
        call_command("bootstrap_operator", "--username", "ops-admin")
    assert not Organization.objects.filter(kind="operator").exists()
    assert not User.objects.filter(username="ops-admin").exists()
