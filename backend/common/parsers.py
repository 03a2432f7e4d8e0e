"""JSON parsing that keeps money exact.

Floats are parsed to Decimal so that the money fields can tell a JSON number
from a string and refuse it; NaN and the infinities are not JSON and are refused,
and so is an object that names a member twice.
"""

import json
from decimal import Decimal

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JsonNumber(Decimal):
    """A number that arrived as a JSON number (not a string)."""


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def _unique_keys(pairs: list) -> dict:
    """A member named twice is refused: parsers disagree on which one wins (the first, the last)."""
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError(f"the member {key!r} appears twice")
        obj[key] = value
    return obj


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", "utf-8")
        try:
            raw = stream.read() if stream is not None else b""
            if not raw:
                return {}
            text = raw.decode(encoding)
            return json.loads(
                text,
                parse_float=JsonNumber,
                parse_int=lambda s: JsonNumber(s) if len(s) > 30 else int(s),
                parse_constant=_refuse_constant,
                object_pairs_hook=_unique_keys,
            )
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise ParseError(f"Malformed JSON: {exc}") from exc
