"""The audit log's hashing, exactly as API.md specifies (no Django here: the verifier reuses it).

entry_hash = SHA-256(prev_hash || SHA-256(RFC 8785 canonical payload)); the first prev_hash is 32 zero bytes.
"""

from __future__ import annotations

import hashlib
from typing import Any

import rfc8785

GENESIS_PREV_HASH = "00" * 32


def canonical_payload(payload: dict[str, Any]) -> bytes:
    return rfc8785.dumps(payload)


def payload_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_payload(payload)).hexdigest()


def entry_hash(prev_hash_hex: str, payload_hash_hex: str) -> str:
    return hashlib.sha256(bytes.fromhex(prev_hash_hex) + bytes.fromhex(payload_hash_hex)).hexdigest()
