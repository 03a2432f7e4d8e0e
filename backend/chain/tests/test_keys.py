import pytest
from django.core.exceptions import ImproperlyConfigured

from chain import keys

ANVIL_KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"  # published test key


def test_well_known_dev_key_is_refused_outside_dev(settings):
    settings.PLATFORM_ENV = "production"
    with pytest.raises(ImproperlyConfigured):
        keys.encrypt_existing_key(ANVIL_KEY_0)


def test_well_known_dev_key_is_allowed_in_dev(settings):
    settings.PLATFORM_ENV = "dev"
    address, encrypted = keys.encrypt_existing_key(ANVIL_KEY_0)
    assert address == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    assert bytes.fromhex(ANVIL_KEY_0[2:]) not in encrypted


def test_a_key_encrypted_under_another_secret_cannot_be_used(settings):
    address, encrypted = keys.new_encrypted_key()
    settings.CHAIN_KEY_ENCRYPTION_KEYS = ["a-completely-different-secret"]
    with pytest.raises(keys.KeyError_):
        keys.signing_account(encrypted, address)


def test_rotation_keeps_old_keys_readable(settings):
    address, encrypted = keys.new_encrypted_key()
    old = settings.CHAIN_KEY_ENCRYPTION_KEYS
    settings.CHAIN_KEY_ENCRYPTION_KEYS = ["new-secret-for-rotation", *old]
    assert keys.signing_account(encrypted, address).address == address
