"""Production settings: `check --deploy` is clean, and what is only fit for a laptop is refused at start."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

from tests.support.processes import REPO

ANVIL_KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"  # published test key
ANVIL_KEY_9 = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6"  # the tenth Anvil account


def strong_env(**overrides: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CHAIN_", "FINGERPRINT_", "DEMO_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "PYTHONPATH": f"{REPO / 'backend'}:{REPO}",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "CHAIN_KEY_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "FINGERPRINT_KEY": secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": "tradefin.example.com",
    })
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(*args: str, **overrides: str | None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "backend" / "manage.py"), *args], env=strong_env(**overrides),
                          cwd=REPO, capture_output=True, text=True, timeout=120)


def settings_value(name: str, **overrides: str | None) -> subprocess.CompletedProcess:
    code = f"from django.conf import settings; print(repr(settings.{name}))"
    return subprocess.run([sys.executable, "-c", code], env=strong_env(**overrides), cwd=REPO, capture_output=True,
                          text=True, timeout=60)


def test_check_deploy_passes_on_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_would_catch_a_weakening():
    """The check bites: production settings with HSTS switched off fail it."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stderr


@pytest.mark.parametrize("secret", [
    None, "", "short", "dev-" + "x" * 60, "django-insecure-" + secrets.token_urlsafe(50), "a" * 80,
], ids=["missing", "empty", "short", "dev-prefix", "django-insecure", "one-character"])
def test_a_weak_or_missing_secret_key_is_refused(secret):
    result = settings_value("SECRET_KEY", DJANGO_SECRET_KEY=secret)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


@pytest.mark.parametrize("keys", [
    None, "", "a-passphrase-anyone-could-guess", base64.urlsafe_b64encode(b"a" * 32).decode(),
    "dGVzdC1vbmx5LWtleS1ub3QtZm9yLXByb2R1Y3Rpb24=", "ZGV2LW9ubHkta2V5LW5vdC1mb3ItcHJvZHVjdGlvbiE=",
], ids=["missing", "empty", "passphrase", "low-entropy", "test-key", "dev-key"])
def test_missing_or_weak_chain_key_encryption_keys_are_refused(keys):
    result = settings_value("CHAIN_KEY_ENCRYPTION_KEYS", CHAIN_KEY_ENCRYPTION_KEYS=keys)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "CHAIN_KEY_ENCRYPTION_KEYS" in result.stderr


def test_rotated_fernet_keys_are_accepted():
    keys = f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}"
    result = settings_value("CHAIN_KEY_ENCRYPTION_KEYS", CHAIN_KEY_ENCRYPTION_KEYS=keys)
    assert result.returncode == 0, result.stderr
    assert len(eval(result.stdout)) == 2  # noqa: S307 - our own repr of a list of str


@pytest.mark.parametrize("key", [ANVIL_KEY_0, ANVIL_KEY_9, ANVIL_KEY_0[2:].upper(), "0x1234"],
                         ids=["anvil-0", "anvil-9", "anvil-0-bare-upper", "malformed"])
def test_the_well_known_anvil_keys_are_refused_as_platform_key(key):
    result = settings_value("CHAIN_PLATFORM_PRIVATE_KEY", CHAIN_PLATFORM_PRIVATE_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "CHAIN_PLATFORM_PRIVATE_KEY" in result.stderr


def test_a_real_platform_key_is_accepted_and_never_printed_by_the_check():
    key = "0x" + secrets.token_hex(32)
    result = manage("check", "--deploy", "--fail-level", "WARNING", CHAIN_PLATFORM_PRIVATE_KEY=key)
    assert result.returncode == 0, result.stderr
    assert key[2:] not in (result.stdout + result.stderr).lower()


def test_the_chain_key_module_refuses_the_dev_key_at_runtime_too():
    code = ("import django; django.setup(); from chain import keys; "
            f"keys.encrypt_existing_key('{ANVIL_KEY_0}')")
    result = subprocess.run([sys.executable, "-c", code], env=strong_env(), cwd=REPO, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0
    assert "well-known Anvil development account" in result.stderr


def test_demo_data_and_debug_cannot_be_switched_on_in_production():
    result = manage("seed_demo", DEMO_DATA_ALLOWED="true")
    assert result.returncode != 0
    assert "Demo data is refused" in result.stderr
    debug = settings_value("DEBUG", DJANGO_DEBUG="true")
    assert debug.returncode == 0 and debug.stdout.strip() == "False"
    dev_funding = settings_value("CHAIN_DEV_FUNDING", CHAIN_DEV_FUNDING="true")
    assert dev_funding.returncode == 0 and dev_funding.stdout.strip() == "False"


def test_a_weak_fingerprint_key_is_refused():
    for value in (None, "test-fingerprint-key", "dev-" + "k" * 40, "too-short"):
        result = settings_value("FINGERPRINT_KEY", FINGERPRINT_KEY=value)
        assert result.returncode != 0, value
