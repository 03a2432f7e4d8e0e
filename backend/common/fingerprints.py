"""Keyed fingerprints: HMAC-SHA256 over normalized fields.

The same inputs give the same fingerprint at every bank, but without the key the
fields cannot be recovered or guessed by hashing candidates.
"""

import hashlib
import hmac
import unicodedata

from django.conf import settings


def _normalize(value) -> str:
    text = unicodedata.normalize("NFKC", str(value)).strip().upper()
    return " ".join(text.split())


def keyed_fingerprint(kind: str, *fields) -> str:
    message = "|".join([kind, *(_normalize(f) for f in fields)]).encode()
    return "0x" + hmac.new(settings.FINGERPRINT_KEY.encode(), message, hashlib.sha256).hexdigest()
