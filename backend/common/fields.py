"""Serializer fields for money, currencies, countries and safe text."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.money import currency_exponent, is_known_currency
from common.countries import is_known_country

# C0 and C1 controls (tab, CR and LF only in multi-line text), and the invisible or reordering
# format characters: bidi marks, overrides and isolates, zero-width characters, line and paragraph
# separators, the byte-order mark, interlinear annotations and tag characters.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064"
    r"\u2066-\u2069\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
_LINE_BREAKS = re.compile(r"[\t\n\r]")

MAX_MONEY_DIGITS = 18


@extend_schema_field(
    {"type": "string", "format": "decimal", "pattern": r"^\d{1,18}(\.\d{1,4})?$", "example": "125000.00",
     "description": "A decimal string; JSON numbers are refused."}
)
class MoneyField(serializers.Field):
    """A positive amount as a decimal string; JSON numbers are refused.

    The allowed number of decimals depends on the currency, which the
    serializer checks in `validate` through `check_money_scale`.
    """

    default_error_messages = {
        "not_string": "Send money as a decimal string such as \"125000.00\", not a JSON number.",
        "invalid": "Not a valid decimal amount.",
        "positive": "The amount must be greater than zero.",
        "too_large": "The amount is too large.",
    }

    def __init__(self, *, allow_zero: bool = False, currency_source: str = "currency", **kwargs):
        self.allow_zero = allow_zero
        self.currency_source = currency_source
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        value = super().get_attribute(instance)
        currency = instance
        for part in self.currency_source.split("."):
            currency = getattr(currency, part, None) if not isinstance(currency, dict) else currency.get(part)
        return None if value is None else (value, currency if isinstance(currency, str) else None)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_string")
        text = data.strip()
        if not re.fullmatch(r"[0-9]{1,18}(\.[0-9]{1,30})?", text):
            self.fail("invalid")
        try:
            value = Decimal(text)
        except InvalidOperation:
            self.fail("invalid")
        if not value.is_finite():
            self.fail("invalid")
        if value <= 0 and not (self.allow_zero and value == 0):
            self.fail("positive")
        if value.adjusted() >= MAX_MONEY_DIGITS - 4:
            self.fail("too_large")
        return value

    def to_representation(self, value):
        value, currency = value if isinstance(value, tuple) else (value, None)
        return format_money(Decimal(value), currency)


def format_money(amount: Decimal, currency: str | None) -> str:
    """A decimal string with exactly the currency's minor-unit digits (or as stored if unknown)."""
    exponent = currency_exponent(currency) if currency else None
    if exponent is not None:
        amount = amount.quantize(Decimal(1).scaleb(-exponent))
    return format(amount, "f")


def check_money_scale(amount: Decimal, currency: str) -> str | None:
    """Return an error message if the amount has more decimals than the currency allows."""
    exponent = currency_exponent(currency)
    if exponent is None:
        return None
    decimals = -amount.as_tuple().exponent if amount.as_tuple().exponent < 0 else 0
    if decimals > exponent:
        return f"{currency} allows at most {exponent} decimal places."
    return None


def quantize_money(amount: Decimal, currency: str) -> Decimal:
    exponent = currency_exponent(currency) or 0
    return amount.quantize(Decimal(1).scaleb(-exponent))


class CurrencyField(serializers.CharField):
    default_error_messages = {"unknown": "Unknown ISO 4217 currency code."}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault("min_length", 3)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        value = value.upper() if value.isascii() else ""  # "uſd".upper() is "USD": no look-alikes
        if not is_known_currency(value):
            self.fail("unknown")
        return value


class CountryField(serializers.CharField):
    default_error_messages = {"unknown": "Unknown ISO 3166-1 alpha-2 country code."}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2)
        kwargs.setdefault("min_length", 2)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        value = value.upper() if value.isascii() else ""
        if not is_known_country(value):
            self.fail("unknown")
        return value


class SafeCharField(serializers.CharField):
    """Text with a length limit that refuses control and bidi-override characters.

    Tab, CR and LF are refused too unless the field is `multiline` (a reason, a note).
    """

    default_error_messages = {"control": "Control characters are not allowed."}

    def __init__(self, *, multiline: bool = False, **kwargs):
        kwargs.setdefault("max_length", 200)
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if _CONTROL.search(data) or (not self.multiline and _LINE_BREAKS.search(data)):
            self.fail("control")
        return unicodedata.normalize("NFC", super().to_internal_value(data))
