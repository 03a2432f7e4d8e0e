"""Production settings: refuse to start with anything that is only fit for a laptop."""

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
