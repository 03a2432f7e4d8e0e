"""GET /api/audit/events/: who sees what, filters, shape; the proof and the regulator-only endpoints."""

from __future__ import annotations

import json

import pytest

from audit.models import AuditEvent
from audit.tests.support import append_events
from organizations.services import organization_onboard
from tests.support.factories import DEMO_PASSWORD, auth, make_operator, next_bic, next_uscc, user_of

pytestmark = pytest.mark.django_db


def onboard(operator, kind: str, username: str):
    extra = {"exporter": {"uscc": next_uscc(), "safe_classification": "A"}, "bank": {"bic": next_bic()}}.get(kind, {})
    return organization_onboard(actor=operator, kind=kind, name=f"{kind} {username}", admin_username=username,
                                admin_password=DEMO_PASSWORD, **extra)


@pytest.fixture
def world():
    operator = make_operator()
    regulator = onboard(operator, "regulator", "reg-audit")
    exporter = onboard(operator, "exporter", "exp-audit")
    other_exporter = onboard(operator, "exporter", "exp2-audit")
    bank = onboard(operator, "bank", "bank-audit")
    # About the exporter and the bank (e.g. a financing between them), and about the other exporter only.
    shared = append_events(3, visible_to=[exporter.pk, bank.pk], object_type="financing")
    private = append_events(2, visible_to=[other_exporter.pk], object_type="receivable")
    return {"operator": operator, "regulator": regulator, "exporter": exporter, "other": other_exporter, "bank": bank,
            "shared": shared, "private": private}


def seqs(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["seq"] for row in response.json()["results"]]


def test_the_regulator_sees_every_event_and_others_only_those_about_them(api, world):
    everything = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs(auth(api, user_of(world["regulator"])).get("/api/audit/events/?page_size=500")) == everything

    def visible(org):
        return list(AuditEvent.objects.filter(visible_to__contains=[org.pk]).order_by("seq").values_list("seq", flat=True))

    for name in ("exporter", "other", "bank"):
        org = world[name]
        got = seqs(auth(api, user_of(org)).get("/api/audit/events/?page_size=500"))
        assert got == visible(org) and got, name
        assert len(got) < len(everything)
    exporter_seqs = seqs(auth(api, user_of(world["exporter"])).get("/api/audit/events/?page_size=500"))
    assert {e.seq for e in world["shared"]} <= set(exporter_seqs)
    assert not {e.seq for e in world["private"]} & set(exporter_seqs)
    # The operator sees the onboarding it did (and its own), not the business events.
    operator_seqs = seqs(auth(api, world["operator"]).get("/api/audit/events/?page_size=500"))
    assert set(operator_seqs) == set(AuditEvent.objects.filter(type="organization.onboarded").values_list("seq", flat=True))


def test_an_event_you_cannot_see_is_404_never_403(api, world):
    hidden = world["private"][0].seq
    response = auth(api, user_of(world["exporter"])).get(f"/api/audit/events/{hidden}/")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert api.get(f"/api/audit/events/{hidden}/proof/").status_code == 404
    assert auth(api, user_of(world["other"])).get(f"/api/audit/events/{hidden}/").status_code == 200
    for bad in ("abc", "0x10", "9" * 19, "-1"):
        assert api.get(f"/api/audit/events/{bad}/").status_code == 404


def test_the_event_shape(api, world):
    event = world["shared"][1]
    body = auth(api, user_of(world["regulator"])).get(f"/api/audit/events/{event.seq}/").json()
    assert set(body) == {"seq", "type", "actor", "object", "payload", "payload_hash", "prev_hash", "entry_hash",
                         "created_at", "anchoring"}
    assert body["object"] == {"type": "financing", "id": "obj-1"}
    assert body["payload"] == event.payload and body["entry_hash"] == event.entry_hash
    assert body["prev_hash"] == world["shared"][0].entry_hash
    assert body["anchoring"] == {"state": "unbatched", "batch": None, "chain": None}
    onboarding = AuditEvent.objects.filter(type="organization.onboarded", actor__isnull=False).order_by("seq").first()
    actor = auth(api, user_of(world["regulator"])).get(f"/api/audit/events/{onboarding.seq}/").json()["actor"]
    assert actor["username"] == world["operator"].username
    assert actor["organization"] == str(world["operator"].organization_id)


def test_filters(api, world):
    auth(api, user_of(world["regulator"]))
    shared = [e.seq for e in world["shared"]]
    assert seqs(api.get("/api/audit/events/?object_type=financing")) == shared
    assert seqs(api.get("/api/audit/events/?object_type=financing&object_id=obj-2")) == [shared[2]]
    assert seqs(api.get(f"/api/audit/events/?seq_from={shared[1]}&seq_to={shared[2]}")) == shared[1:]
    onboarded = seqs(api.get("/api/audit/events/?type=organization.onboarded"))
    assert len(onboarded) == 5
    first = AuditEvent.objects.get(seq=shared[0]).created_at
    assert set(shared) <= set(seqs(api.get("/api/audit/events/", {"created_from": first.isoformat()})))
    assert seqs(api.get("/api/audit/events/", {"created_to": "2000-01-01T00:00:00Z"})) == []
    by_actor = seqs(api.get(f"/api/audit/events/?actor_organization={world['operator'].organization_id}"))
    assert by_actor == onboarded[1:]  # the operator's own onboarding had no actor
    for bad in ("seq_from=abc", "seq_to=99999999999999999999999", "created_from=yesterday", "actor_organization=x"):
        response = api.get(f"/api/audit/events/?{bad}")
        assert (response.status_code, response.json()["code"]) == (400, "invalid"), bad


def test_the_list_runs_a_fixed_number_of_queries(api, world, django_assert_max_num_queries):
    auth(api, user_of(world["regulator"]))
    append_events(60, visible_to=[world["bank"].pk])
    with django_assert_max_num_queries(6):
        response = api.get("/api/audit/events/?page_size=100")
    assert response.status_code == 200 and len(response.json()["results"]) == 70


def test_regulator_only_endpoints(api, world):
    for name in ("exporter", "bank"):
        auth(api, user_of(world[name]))
        for path in ("/api/audit/verification/", "/api/audit/export/"):
            response = api.get(path)
            assert (response.status_code, response.json()["code"]) == (403, "permission_denied"), (name, path)
    api.credentials()
    assert api.get("/api/audit/events/").status_code == 401


def test_the_export_is_json_lines_in_seq_order_and_takes_a_range(api, world):
    auth(api, user_of(world["regulator"]))
    response = api.get("/api/audit/export/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/jsonl")
    lines = [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]
    assert [line["seq"] for line in lines] == list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert set(lines[0]) == {"seq", "type", "object", "created_at", "payload", "payload_hash", "prev_hash", "entry_hash", "batch"}
    ranged = api.get("/api/audit/export/?from_seq=3&to_seq=4")
    assert [json.loads(line)["seq"] for line in b"".join(ranged.streaming_content).decode().splitlines()] == [3, 4]
    assert api.get("/api/audit/export/?from_seq=0").status_code == 400


def test_verification_without_any_deployment_says_why(api, world):
    body = auth(api, user_of(world["regulator"])).get("/api/audit/verification/").json()
    assert (body["ok"], body["first_bad_seq"], body["reason"]) == (False, None, "not_deployed")
    assert body["anchoring"]["unbatched_events"] == AuditEvent.objects.count()
