"""Laptop settings: debug on, demo data and dev-chain funding allowed."""

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
PLATFORM_ENV = "dev"
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=True)
CHAIN_DEV_FUNDING = env.bool("CHAIN_DEV_FUNDING", default=True)
# A fixed dev key so that `make run` restarts can decrypt what earlier runs stored.
CHAIN_KEY_ENCRYPTION_KEYS = env.list(
    "CHAIN_KEY_ENCRYPTION_KEYS", default=["ZGV2LW9ubHkta2V5LW5vdC1mb3ItcHJvZHVjdGlvbiE="]
)
AUDIT_BATCH_MAX_SECONDS = env.float("AUDIT_BATCH_MAX_SECONDS", default=3.0)
