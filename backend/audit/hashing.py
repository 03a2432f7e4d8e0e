"""The audit log's hashing, exactly as API.md specifies (no Django here: the verifier reuses it).

entry_hash = SHA-256(prev_hash || SHA-256(RFC 8785 canonical payload)); the first prev_hash is 32 zero bytes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import rfc8785

GENESIS_PREV_HASH = "00" * 32


_SAFE_INT = 2**53


def _plain(value: Any) -> bool:
    """True when RFC 8785 and json.dumps(sort_keys=True) give the same bytes for this value.

    They differ only on floats (ECMAScript number formatting), integers beyond 2**53, and object
    keys outside the Basic Multilingual Plane (RFC 8785 sorts by UTF-16 code units). Audit payloads
    hold none of these (money is a string), so the fast path is the usual one.
    """
    if isinstance(value, str) or value is None or isinstance(value, bool):
        return True
    if isinstance(value, int):
        return -_SAFE_INT < value < _SAFE_INT
    if isinstance(value, dict):
        return all(isinstance(k, str) and (k.isascii() or max(map(ord, k)) < 0x10000) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return False


def canonical_payload(payload: dict[str, Any]) -> bytes:
    if _plain(payload):
        return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                          allow_nan=False).encode("utf-8")
    return rfc8785.dumps(payload)


def payload_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_payload(payload)).hexdigest()


def entry_hash(prev_hash_hex: str, payload_hash_hex: str) -> str:
    return hashlib.sha256(bytes.fromhex(prev_hash_hex) + bytes.fromhex(payload_hash_hex)).hexdigest()
