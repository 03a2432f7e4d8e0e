"""Fixtures of the security suite: the two-tenant world, write snapshots and the secret-leak scan.

Every test in this package is scanned: after it runs, everything recorded since the last scan
(responses, log lines) plus every stored audit payload is searched for the platform's chain private
keys. A leak fails the test that produced it.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from tests.security import leaks
from tests.security.world import build_world


@pytest.hookimpl(tryfirst=True)  # before pytest-django orders the tests by their database use
def pytest_collection_modifyitems(items):
    """Every test here runs with the database (the leak scan reads it), in a transaction unless marked."""
    for item in items:
        if item.nodeid.startswith("tests/security/") and item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="package")
def leak_recording():
    recording = leaks.Recording(leaks.LeakLog())
    recording.start()
    yield recording
    recording.stop()


@pytest.fixture(scope="package")
def leak_log(leak_recording):
    return leak_recording.log


@pytest.fixture(autouse=True)
def no_secret_leaks(leak_recording, leak_log):
    """After each test (before its database rollback): nothing recorded or stored holds a key."""
    leak_recording.ensure()  # anything that reconfigured logging (django.setup()) dropped our handler
    yield
    found = leaks.find_leaks(leak_log.take() + leaks.stored_payloads(), leaks.secret_needles())
    assert not found, "secret leaked:\n" + "\n".join(sorted(set(found))[:50])


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, anvil_node, leak_log):
    """One two-tenant world per module, rolled back at its end; each test rolls back its own writes."""
    with django_db_blocker.unblock(), override_settings(CHAIN_RPC_URL=anvil_node.url):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
