"""`update_each`: each row gets its own values, in one statement sent for all rows, and nothing else moves."""

from datetime import datetime, timezone

import pytest

from common.models import AuthToken, IdempotencyRecord
from common.rows import update_each
from tests.support.factories import make_org, user_of

pytestmark = pytest.mark.django_db


def _record(user, key: str) -> IdempotencyRecord:
    return IdempotencyRecord.objects.create(user=user, key=key, method="POST", path="/api/x/", request_hash="0" * 64,
                                            response_status=201, response_body={"key": key})


def test_each_row_gets_its_own_values_and_the_others_are_left_alone(django_assert_num_queries):
    first, second = user_of(make_org("exporter")), user_of(make_org("bank"))
    rows = [_record(first, f"k{i}") for i in range(4)]
    untouched = _record(first, "left-alone")
    for i, row in enumerate(rows[:3]):
        row.response_status = 400 + i
        row.response_body = {"changed": i, "amount": "12.50"}
        row.user = second if i == 1 else first
        row.created_at = datetime(2026, 1, 1 + i, 12, tzinfo=timezone.utc)
        row.path = "/api/changed/"  # held in memory, not named: not stored
    with django_assert_num_queries(1):
        assert update_each(rows[:3], ["response_status", "response_body", "user", "created_at"]) == 3
    stored = {r.pk: r for r in IdempotencyRecord.objects.all()}
    for i, row in enumerate(rows[:3]):
        again = stored[row.pk]
        assert (again.response_status, again.response_body, again.user_id) == (
            400 + i, {"changed": i, "amount": "12.50"}, (second if i == 1 else first).pk)
        assert again.created_at == datetime(2026, 1, 1 + i, 12, tzinfo=timezone.utc)
        assert again.path == "/api/x/"
    assert stored[rows[3].pk].response_status == 201 and stored[rows[3].pk].response_body == {"key": "k3"}
    assert stored[untouched.pk].response_status == 201


def test_nothing_to_store_sends_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert update_each([], ["response_status"]) == 0


def test_objects_of_two_models_or_the_primary_key_are_refused():
    user = user_of(make_org("exporter"))
    record = _record(user, "k")
    token = AuthToken(user=user, key_hash="1" * 64, expires_at=datetime(2027, 1, 1, tzinfo=timezone.utc))
    with pytest.raises(TypeError):
        update_each([record, token], ["user"])
    with pytest.raises(ValueError):
        update_each([record], ["id"])
    with pytest.raises(ValueError):
        update_each([record], [])
