"""Responses built by `common.rendering.represent` (one shared serializer per class) are exactly what a
serializer built for the object returns, object after object: the shared one carries nothing over."""

import json

import pytest
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient, APIRequestFactory

from common.rendering import represent
from financing.models import Financing
from financing.selectors import financings_visible_to
from financing.serializers import FinancingSerializer
from financing.tests.helpers import World
from receivables.models import Receivable
from receivables.serializers import ReceivableSerializer
from tests.support.factories import user_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World(APIClient)


def _two_financings(world):
    """One approved (reservations, chain entry, interest), one only applied: different shapes."""
    first = world.submit([(world.declaration(fob="5000.00"), "5000.00")], amount="5000.00", invoice="R-1").json()
    second = world.submit([(world.declaration(fob="7000.00"), "7000.00")], amount="7000.00", invoice="R-2").json()
    approved = world.apply(first["id"], world.bank, "4000.00").json()
    applied = world.apply(second["id"], world.bank2, "6000.00").json()
    response = world.client(world.bank).post(f"/api/financings/{approved['id']}/approve/", {"interest_rate": "3.25"},
                                             format="json")
    assert response.status_code == 200
    return approved["id"], applied["id"], response.json()


def test_the_shared_serializer_represents_each_object_as_its_own_serializer_would(world):
    approved_id, applied_id, _ = _two_financings(world)
    rows = financings_visible_to(user_of(world.regulator))
    approved, applied = rows.get(pk=approved_id), rows.get(pk=applied_id)
    assert approved.status == Financing.Status.APPROVED and applied.status == Financing.Status.APPLIED

    for financing in (approved, applied, approved, applied):  # alternating: nothing carried over
        assert represent(FinancingSerializer, financing) == FinancingSerializer(financing).data
    assert represent(FinancingSerializer, approved) != represent(FinancingSerializer, applied)


def test_the_approval_answers_what_a_fresh_read_of_the_financing_shows(world):
    approved_id, _, answered = _two_financings(world)
    fresh = FinancingSerializer(financings_visible_to(user_of(world.bank)).get(pk=approved_id)).data
    assert answered == _as_json(fresh)  # through the JSON renderer, as the client got it
    assert answered["status"] == "approved" and answered["interest_rate"] == "3.2500"
    assert [r["amount"] for r in answered["reservations"]] == ["4000.00"]


def test_a_submitted_receivable_is_shown_to_its_exporter_as_with_the_request(world):
    # The submission's response has no request in its context; what it hides without one (the
    # matching receivables, the regulator's to see) is hidden from the submitting exporter anyway.
    world.submit([(world.declaration(fob="1000.00"), "1000.00")], amount="1000.00", invoice="D-1", buyer="Same")
    response = world.submit([(world.declaration(fob="1000.00"), "1000.00")], amount="1000.00", invoice="D-2", buyer="Same")
    assert response.status_code == 201
    receivable = Receivable.objects.get(pk=response.json()["id"])
    assert receivable.suspected_duplicate_of  # a match exists, and is not shown to the exporter
    request = APIRequestFactory().get("/")
    request.user = user_of(world.exporter)
    with_request = ReceivableSerializer(receivable, context={"request": request}).data
    assert response.json() == _as_json(with_request)
    assert response.json()["suspected_duplicate"] is True and response.json()["suspected_duplicate_of"] == []


def _as_json(data):
    return json.loads(JSONRenderer().render(data))
