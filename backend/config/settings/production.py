"""Production settings: refuse to start with anything that is only fit for a laptop."""

import base64
import binascii

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env

PLATFORM_ENV = "production"
DEBUG = False
DEMO_DATA_ALLOWED = False
CHAIN_DEV_FUNDING = False

SECRET_KEY = env("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith(("dev-", "django-insecure")):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is weak: use at least 50 random characters.")

CHAIN_KEY_ENCRYPTION_KEYS = env.list("CHAIN_KEY_ENCRYPTION_KEYS")
if not CHAIN_KEY_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("CHAIN_KEY_ENCRYPTION_KEYS must be set in production.")
_DEV_ENCRYPTION_KEYS = {"ZGV2LW9ubHkta2V5LW5vdC1mb3ItcHJvZHVjdGlvbiE=", "dGVzdC1vbmx5LWtleS1ub3QtZm9yLXByb2R1Y3Rpb24="}
for _key in CHAIN_KEY_ENCRYPTION_KEYS:
    # Elsewhere any passphrase is accepted (chain.keys derives a key from it); here only real Fernet keys.
    try:
        _raw = base64.urlsafe_b64decode(_key.encode())
    except (ValueError, binascii.Error):
        _raw = b""
    if len(_raw) != 32 or _key in _DEV_ENCRYPTION_KEYS or len(set(_raw)) < 16:
        raise ImproperlyConfigured(
            "CHAIN_KEY_ENCRYPTION_KEYS must be random Fernet keys (32 bytes, url-safe base64), not a passphrase "
            "or the dev/test key: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        )
CHAIN_PLATFORM_PRIVATE_KEY = env("CHAIN_PLATFORM_PRIVATE_KEY", default="")
if CHAIN_PLATFORM_PRIVATE_KEY:
    # Refuse at start, not at the first chain write: an Anvil/Hardhat dev key is public.
    from eth_account import Account

    from chain.keys import WELL_KNOWN_DEV_ADDRESSES

    try:
        _address = Account.from_key(CHAIN_PLATFORM_PRIVATE_KEY).address
    except (ValueError, TypeError) as _exc:
        raise ImproperlyConfigured("CHAIN_PLATFORM_PRIVATE_KEY is not a valid private key.") from _exc
    if _address.lower() in WELL_KNOWN_DEV_ADDRESSES:
        raise ImproperlyConfigured(f"CHAIN_PLATFORM_PRIVATE_KEY is the well-known development key of {_address}.")
FINGERPRINT_KEY = env("FINGERPRINT_KEY")
if FINGERPRINT_KEY.startswith(("dev-", "test-")) or len(FINGERPRINT_KEY) < 32:
    raise ImproperlyConfigured("FINGERPRINT_KEY is weak: use at least 32 random characters.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
