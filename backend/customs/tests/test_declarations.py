import csv
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from chain.models import ChainTransaction
from customs.models import Declaration
from tests.support.factories import auth, make_operator, make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_api():
    return auth(APIClient(), make_operator())


@pytest.fixture
def exporter():
    return make_org("exporter")


def body(exporter, **overrides):
    return {"number": "531620260000099001", "exporter_uscc": exporter.uscc, "export_date": str(timezone.localdate() - timedelta(days=3)),
            "currency": "USD", "fob_value": "125000.00", "destination_country": "VN", "consignee": "Hanoi Buyer JSC", **overrides}


def test_the_operator_feeds_a_declaration(operator_api, exporter):
    response = operator_api.post("/api/customs/declarations/", body(exporter), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["fob_value"] == "125000.00"
    assert data["financed_amount"] == "0.00" and data["available_amount"] == "125000.00"
    assert data["chain"]["status"] == "pending"
    assert ChainTransaction.objects.filter(subject_type="declaration", subject_id=data["id"], function="registerDeclaration").count() == 1
    assert AuditEvent.objects.filter(type="declaration.registered", object_id=data["id"]).count() == 1
    again = operator_api.post("/api/customs/declarations/", body(exporter), format="json")
    assert again.status_code == 409 and again.json()["code"] == "duplicate_declaration"


@pytest.mark.parametrize("field,value", [
    ("number", "12345"), ("number", "53162026000009900A"), ("currency", "XYZ"), ("destination_country", "ZZ"),
    ("fob_value", "-5.00"), ("fob_value", "0"), ("fob_value", "1.001"), ("fob_value", 100),
    ("export_date", "2026-02-30"), ("consignee", "bad\x00name"), ("consignee", "x" * 201),
])
def test_invalid_fields_are_named(operator_api, exporter, field, value):
    response = operator_api.post("/api/customs/declarations/", body(exporter, **{field: value}), format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["details"]
    assert Declaration.objects.count() == 0


def test_future_export_dates_and_unknown_exporters_are_refused(operator_api, exporter):
    future = operator_api.post("/api/customs/declarations/",
                               body(exporter, export_date=str(timezone.localdate() + timedelta(days=1))), format="json")
    assert future.status_code == 400 and "export_date" in future.json()["details"]
    unknown = operator_api.post("/api/customs/declarations/", body(exporter, exporter_uscc="91450100MA5KX00048"), format="json")
    assert unknown.status_code == 400 and "exporter_uscc" in unknown.json()["details"]
    assert Declaration.objects.count() == 0


def test_csv_import_reports_bad_rows_and_imports_good_ones(exporter, tmp_path):
    path = tmp_path / "feed.csv"
    fields = ["number", "exporter_uscc", "export_date", "currency", "fob_value", "destination_country", "consignee"]
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerow(body(exporter, number="531620260000099101"))
        writer.writerow(body(exporter, number="531620260000099102", currency="EUR", fob_value="9.50"))
        writer.writerow(body(exporter, number="bad"))
    with pytest.raises(CommandError):
        call_command("import_declarations", str(path))
    assert set(Declaration.objects.values_list("number", flat=True)) == {"531620260000099101", "531620260000099102"}
    assert Declaration.objects.get(number="531620260000099102").source == "csv"
    # Importing again with --skip-existing and only good rows succeeds without duplicates.
    good = tmp_path / "good.csv"
    good.write_text("\n".join(path.read_text().splitlines()[:3]) + "\n")
    call_command("import_declarations", str(good), "--skip-existing")
    assert Declaration.objects.count() == 2
