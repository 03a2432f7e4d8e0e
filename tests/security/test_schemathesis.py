"""Schemathesis against GET /api/schema/, in process through the WSGI app, as every role.

For every operation of the schema and every role: schema-conforming requests (positive), requests
that break the schema (negative), and the same with the path pointing at tenant A's real objects
instead of random ids; then stateful runs that follow the links schemathesis infers between
operations (list → detail → action). Checks: no 5xx, every documented response conforms to the
schema and its content type, every error has the API's error shape, and a body that breaks the
schema is refused with a 4xx.

Each stateless call runs in a savepoint rolled back after it, so every example meets the same world;
a stateful scenario keeps its writes until the test ends. Nothing is excluded: no operation has an
effect outside the database during the test (chain writes stay in the outbox, which is rolled back).
`make test` runs a few examples per operation (derandomized, so CI is repeatable); the `long`
variant runs many more, randomized.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, close_old_connections, transaction
from django.db.transaction import TransactionManagementError
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
)

ROLES = ("anonymous", "exporter", "bank", "regulator", "operator")
QUICK = {"positive": 3, "negative": 2, "own": 2, "scenarios": 8, "steps": 6}
LONG = {"positive": 40, "negative": 25, "own": 15, "scenarios": 60, "steps": 12}

# Which of tenant A's objects a path parameter names, by the path's collection.
OWN_OBJECTS = {
    "/api/organizations/": lambda w: w.orgs["exporter"].pk,
    "/api/customs/declarations/": lambda w: w.ids["declaration"],
    "/api/receivables/": lambda w: w.ids["receivable"],
    "/api/financings/": lambda w: w.ids["financing"],
    "/api/fx-receipts/": lambda w: w.ids["fx_receipt"],
    "/api/credit-authorizations/": lambda w: w.ids["authorization"],
    "/api/credit/accesses/": lambda w: w.ids["credit_access"],
    "/api/credit/penalties/": lambda w: w.ids["penalty"],
    "/api/credit-reports/": lambda w: w.orgs["exporter"].pk,
    "/api/audit/events/": lambda w: int(w.ids["audit_event"]),
    "/api/oversight/alerts/": lambda w: w.ids["alert"],
}


def error_shape(ctx, response, case):
    """Every JSON error is {"code", "message", "details"} (API.md)."""
    if response.status_code >= 400 and "json" in response.headers.get("Content-Type", [""])[0]:
        body = response.json()
        assert isinstance(body, dict) and set(body) == {"code", "message", "details"}, f"error shape: {body!r:.300}"
    return None


CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, error_shape]


@pytest.fixture(scope="module")
def api_schema(world):
    # Django's test client keeps the connection across requests; the WSGI handler would close it after
    # each one, and with it the transaction that holds the world.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        from django.core.handlers.wsgi import WSGIHandler

        # The handler itself, not get_wsgi_application(): that runs django.setup() again, which reconfigures
        # logging and would drop the leak scan's log handler.
        yield schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def operations(schema):
    found = []
    for result in schema.get_all_operations():
        found.append(result.ok())  # a schema error fails here, naming the operation
    return found


def auth_headers(world, role: str) -> dict[str, str]:
    return {} if role == "anonymous" else {"Authorization": f"Bearer {world.tokens[role]}"}


def call(case, headers, *, keep: bool):
    """One request in a savepoint: rolled back (stateless), or kept unless the request broke the transaction."""
    sid = transaction.savepoint()
    try:
        response = case.call(headers=headers)
    except BaseException:
        transaction.savepoint_rollback(sid)
        raise
    if keep:
        try:
            transaction.savepoint_commit(sid)
            return response
        except (DatabaseError, TransactionManagementError):
            pass
    transaction.savepoint_rollback(sid)
    return response


def only_the_body_is_negative(case) -> bool:
    components = case.meta.components if case.meta else {}
    negative = {location for location, info in components.items() if info.mode == GenerationMode.NEGATIVE}
    return negative == {ParameterLocation.BODY}


def own_path_parameters(world, operation) -> dict | None:
    names = [p.name for p in operation.path_parameters]
    if not names:
        return None
    for prefix, value in OWN_OBJECTS.items():
        if operation.path.startswith(prefix):
            return {names[0]: value(world)}
    raise AssertionError(f"{operation.label}: add its collection to OWN_OBJECTS")


def run_operation(world, operation, role, budget, *, derandomize: bool) -> list[str]:
    headers = auth_headers(world, role)
    failures: list[str] = []
    plans = [("positive", GenerationMode.POSITIVE, None), ("negative", GenerationMode.NEGATIVE, None)]
    own = own_path_parameters(world, operation)
    if own is not None:
        plans.append(("own", GenerationMode.POSITIVE, own))
    for name, mode, path_parameters in plans:
        @hypothesis_settings(max_examples=budget[name], deadline=None, database=None, derandomize=derandomize,
                             suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
        @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
        def probe(case):
            response = call(case, headers, keep=False)
            checks = CHECKS + ([negative_data_rejection] if mode.is_negative and only_the_body_is_negative(case) else [])
            case.validate_response(response, checks=checks)

        try:
            probe()
        except Unsatisfiable:
            pass  # nothing to break: an operation without parameters or body has no negative case
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - report every operation, then fail
            failures.append(f"{role} {operation.label} [{name}]: {str(exc)[:1500]}")
    return failures


def _run_all(world, api_schema, role, budget, *, derandomize):
    failures = []
    for operation in operations(api_schema):
        failures += run_operation(world, operation, role, budget, derandomize=derandomize)
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_as_every_role(world, api_schema, role):
    _run_all(world, api_schema, role, QUICK, derandomize=True)


@pytest.mark.long
@pytest.mark.parametrize("role", ROLES)
def test_every_operation_as_every_role_long(world, api_schema, role):
    _run_all(world, api_schema, role, LONG, derandomize=False)


def _stateful(world, api_schema, role, budget, *, derandomize):
    headers = auth_headers(world, role)
    calls: list[str] = []

    class Workflow(api_schema.as_state_machine()):
        def call(self, case, **kwargs):
            calls.append(case.operation.label)
            return call(case, headers, keep=True)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS)

    Workflow.run(settings=hypothesis_settings(
        max_examples=budget["scenarios"], stateful_step_count=budget["steps"], deadline=None, database=None,
        derandomize=derandomize, suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate]))
    linked = [label for label in calls if "{" in label]
    assert linked, f"no stateful step reached an object through a link: {calls}"


def test_the_schema_links_operations_for_stateful_runs(api_schema):
    api_schema.as_state_machine()
    statistic = api_schema.statistic
    assert statistic.transitions.total >= 40, statistic  # list → detail → action, as inferred from the schema


@pytest.mark.parametrize("role", ["exporter", "bank", "regulator"])
def test_stateful_workflows(world, api_schema, role):
    _stateful(world, api_schema, role, QUICK, derandomize=True)


@pytest.mark.long
@pytest.mark.parametrize("role", ["exporter", "exporter2", "bank", "bank2", "regulator", "operator"])
def test_stateful_workflows_long(world, api_schema, role):
    _stateful(world, api_schema, role, LONG, derandomize=False)
