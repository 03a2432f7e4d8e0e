"""Settings shared by every environment; everything variable comes from the environment."""

from pathlib import Path

import environ

BACKEND_DIR = Path(__file__).resolve().parents[2]
REPO_DIR = BACKEND_DIR.parent

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-insecure-secret-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
PLATFORM_ENV = "base"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "common",
    "organizations",
    "chain",
    "audit",
    "customs",
    "receivables",
    "financing",
    "credit",
    "oversight",
]

MIDDLEWARE = [
    "common.middleware.ClientAddressMiddleware",  # not installed unless TRUSTED_PROXIES is set
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "common.middleware.BodySizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The API authenticates with bearer tokens (DRF views are CSRF-exempt); this guards any cookie-based view.
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "organizations.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/tradefin"),
}
DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("CACHE_URL", default=REDIS_URL),
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="tradefin"),
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = REPO_DIR / ".run" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
FRONTEND_DIST = Path(env("FRONTEND_DIST", default=str(REPO_DIR / "frontend" / "dist")))

# One request body may not exceed this (413 beyond it).
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=1_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY_BYTES

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["common.auth.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["common.parsers.StrictJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "common.pagination.PagePagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "common.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
    "PAGE_SIZE": 50,
    "COERCE_DECIMAL_TO_STRING": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Cross-border Trade Finance Platform API",
    "DESCRIPTION": "Export receivables financing, credit-information authorization and regulator oversight on a shared ledger.",
    "VERSION": "1.0.0",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "organizations.models.Organization.Kind",
        "OnboardKindEnum": ["exporter", "bank", "regulator"],
        "FinancingStatusEnum": "financing.models.Financing.Status",
    },
    "APPEND_COMPONENTS": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
    },
    "SECURITY": [{"bearerAuth": []}],
}

# Bearer tokens
AUTH_TOKEN_TTL_SECONDS = env.int("AUTH_TOKEN_TTL_SECONDS", default=8 * 3600)
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
# Failed logins from one client address across all usernames (REMOTE_ADDR: behind a proxy, set TRUSTED_PROXIES).
LOGIN_FAILURE_ADDRESS_LIMIT = env.int("LOGIN_FAILURE_ADDRESS_LIMIT", default=50)
LOGIN_FAILURE_WINDOW_SECONDS = env.int("LOGIN_FAILURE_WINDOW_SECONDS", default=300)
# The reverse proxies in front of the web process (addresses or networks, comma-separated): behind them
# the client's address is read from X-Forwarded-For (common.middleware.ClientAddressMiddleware).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# Celery (the app lives in workers/)
# Beat sends each queue a heartbeat this often; GET /api/health/ calls a queue stale past the second.
WORKER_HEARTBEAT_SECONDS = env.int("WORKER_HEARTBEAT_SECONDS", default=15)
WORKER_HEARTBEAT_STALE_SECONDS = env.int("WORKER_HEARTBEAT_STALE_SECONDS", default=90)
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = False

# Chain
CHAIN_RPC_URL = env("CHAIN_RPC_URL", default="http://127.0.0.1:8545")
# The RPC URL browsers use to verify audit proofs against the chain themselves (default: CHAIN_RPC_URL).
CHAIN_PUBLIC_RPC_URL = env("CHAIN_PUBLIC_RPC_URL", default="")
CHAIN_RPC_TIMEOUT = env.float("CHAIN_RPC_TIMEOUT", default=10.0)
CONTRACTS_OUT_DIR = Path(env("CONTRACTS_OUT_DIR", default=str(REPO_DIR / "contracts" / "out")))
# Fernet keys (url-safe base64, 32 bytes); the first encrypts, all decrypt (rotation).
CHAIN_KEY_ENCRYPTION_KEYS = env.list("CHAIN_KEY_ENCRYPTION_KEYS", default=[])
# In dev, new chain accounts are funded with anvil_setBalance.
CHAIN_DEV_FUNDING = env.bool("CHAIN_DEV_FUNDING", default=False)
CHAIN_CONFIRMATIONS = env.int("CHAIN_CONFIRMATIONS", default=0)
CHAIN_INDEXER_CHUNK_BLOCKS = env.int("CHAIN_INDEXER_CHUNK_BLOCKS", default=500)
CHAIN_INDEXER_REREAD_BLOCKS = env.int("CHAIN_INDEXER_REREAD_BLOCKS", default=5)
CHAIN_RELAY_BATCH = env.int("CHAIN_RELAY_BATCH", default=50)
# The tip offered per gas (EIP-1559); the fee cap is twice the latest base fee plus the tip. On a
# permissioned chain with zero gas price set it to 0: transactions then cost nothing and the chain
# accounts need no balance.
CHAIN_PRIORITY_FEE_WEI = env.int("CHAIN_PRIORITY_FEE_WEI", default=10**9)
# A sent entry still unmined after this long is signed again for its nonce with fees 12.5% higher
# (a fee bump; the node replaces the pooled one), as often as it stays unmined, up to the cap.
CHAIN_FEE_BUMP_SECONDS = env.int("CHAIN_FEE_BUMP_SECONDS", default=60)
CHAIN_MAX_FEE_PER_GAS_WEI = env.int("CHAIN_MAX_FEE_PER_GAS_WEI", default=500 * 10**9)
# A call the node refuses only because its clock has not reached a moment the platform's clock has
# (a credit access stated more than the contract's 5-minute tolerance ahead of the node's block) is tried
# again on the next relay runs, for up to this long after it was written; then it fails.
CHAIN_CLOCK_SKEW_SECONDS = env.int("CHAIN_CLOCK_SKEW_SECONDS", default=300)
# A signed entry without a receipt after this long raises `chain_write_stuck`.
CHAIN_STUCK_SECONDS = env.int("CHAIN_STUCK_SECONDS", default=600)
# A private key the operator supplies for the platform account instead of generating one.
CHAIN_PLATFORM_PRIVATE_KEY = env("CHAIN_PLATFORM_PRIVATE_KEY", default="")

# Audit anchoring
AUDIT_BATCH_MAX_EVENTS = env.int("AUDIT_BATCH_MAX_EVENTS", default=1024)
AUDIT_BATCH_MAX_SECONDS = env.float("AUDIT_BATCH_MAX_SECONDS", default=5.0)
# An audit event not anchored on chain after this long raises `audit_anchoring_stalled`.
AUDIT_ANCHOR_STALL_SECONDS = env.int("AUDIT_ANCHOR_STALL_SECONDS", default=300)

# Keyed fingerprints of receivables and declarations (HMAC key).
FINGERPRINT_KEY = env("FINGERPRINT_KEY", default="dev-fingerprint-key")

# Demo data is only ever allowed where this is true.
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Built frontend assets are served by WhiteNoise at the site root.
WHITENOISE_ROOT = FRONTEND_DIST if FRONTEND_DIST.exists() else None
WHITENOISE_INDEX_FILE = False
