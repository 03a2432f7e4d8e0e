"""Chain keys: generated here, encrypted at rest, decrypted only to sign.

Nothing in this module returns or logs a private key outside `signing_account`,
which hands an eth-account LocalAccount to the relay and nothing else.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from eth_account import Account
from eth_account.signers.local import LocalAccount

# The accounts every Anvil/Hardhat node derives from the public test mnemonic.
# Their keys are published; outside dev and test they are refused.
WELL_KNOWN_DEV_ADDRESSES = frozenset(
    a.lower()
    for a in (
        "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
        "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
        "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
        "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
        "0x9965529F22e6f0e8a6F5d0dE8c5Cc2B4aB8aC4E6",
        "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
        "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
        "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
        "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
    )
)


class KeyError_(Exception):
    pass


def _fernet() -> MultiFernet:
    keys = settings.CHAIN_KEY_ENCRYPTION_KEYS
    if not keys:
        raise ImproperlyConfigured("CHAIN_KEY_ENCRYPTION_KEYS is not set.")
    fernets = []
    for key in keys:
        raw = key.encode()
        try:
            fernets.append(Fernet(raw))
        except ValueError:
            # Accept any secret string by deriving a Fernet key from it.
            fernets.append(Fernet(base64.urlsafe_b64encode(hashlib.sha256(raw).digest())))
    return MultiFernet(fernets)


def refuse_dev_key(address: str) -> None:
    if settings.PLATFORM_ENV not in ("dev", "test") and address.lower() in WELL_KNOWN_DEV_ADDRESSES:
        raise ImproperlyConfigured(
            f"{address} is a well-known Anvil development account; its key is public. Refused outside dev."
        )


def new_encrypted_key() -> tuple[str, bytes]:
    """Generate a key; return (address, ciphertext)."""
    account = Account.create()
    return account.address, _fernet().encrypt(bytes(account.key))


def encrypt_existing_key(private_key_hex: str) -> tuple[str, bytes]:
    account = Account.from_key(private_key_hex)
    refuse_dev_key(account.address)
    return account.address, _fernet().encrypt(bytes(account.key))


def signing_account(encrypted_key: bytes, expected_address: str) -> LocalAccount:
    try:
        raw = _fernet().decrypt(bytes(encrypted_key))
    except InvalidToken as exc:
        raise KeyError_("The chain key cannot be decrypted with the configured keys.") from exc
    account = Account.from_key(raw)
    if account.address != expected_address:
        raise KeyError_("The decrypted key does not match its account.")
    refuse_dev_key(account.address)
    return account
