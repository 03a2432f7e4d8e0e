"""Root fixtures: real PostgreSQL (pytest-django), real Anvil, real Redis and Celery worker."""

pytest_plugins = ["tests.support.fixtures"]
