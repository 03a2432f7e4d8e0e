"""Settings for the test suite: the real PostgreSQL, Redis and Anvil, fast hashing."""

from .base import *  # noqa: F401,F403
from .base import env

import re

PLATFORM_ENV = "test"
DEBUG = False
DEMO_DATA_ALLOWED = True
CHAIN_DEV_FUNDING = True
CHAIN_KEY_ENCRYPTION_KEYS = env.list(
    "CHAIN_KEY_ENCRYPTION_KEYS", default=["dGVzdC1vbmx5LWtleS1ub3QtZm9yLXByb2R1Y3Rpb24="]
)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default="tradefin-test")  # noqa: F405
FINGERPRINT_KEY = "test-fingerprint-key"

# Tests use their own Redis database so that a running `make run` is not disturbed.
_redis_base = re.sub(r"/\d+$", "", REDIS_URL)  # noqa: F405
CELERY_BROKER_URL = env("TEST_BROKER_URL", default=f"{_redis_base}/14")
CACHES["default"]["LOCATION"] = env("TEST_CACHE_URL", default=f"{_redis_base}/15")  # noqa: F405
