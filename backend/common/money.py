"""ISO 4217 currencies and their minor units."""

from __future__ import annotations

from decimal import Decimal

# ISO 4217 active codes with their minor-unit exponent (list 1, 2024).
_EXPONENTS: dict[str, int] = {}
_ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE = "BHD IQD JOD KWD LYD OMR TND"
_FOUR = "CLF UYW"
_TWO = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD "
    "CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS "
    "GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL "
    "MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK "
    "PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS "
    "TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VES WST XCD XCG YER ZAR ZMW ZWG"
)
for codes, exp in ((_ZERO, 0), (_TWO, 2), (_THREE, 3), (_FOUR, 4)):
    for code in codes.split():
        _EXPONENTS[code] = exp


def is_known_currency(code: str) -> bool:
    return code in _EXPONENTS


def currency_exponent(code: str) -> int | None:
    return _EXPONENTS.get(code)


def to_minor_units(amount: Decimal, currency: str) -> int:
    """Exact integer minor units (cents) for the chain; refuses fractions of a minor unit."""
    exponent = _EXPONENTS[currency]
    scaled = amount.scaleb(exponent)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} has more decimals than {currency} allows")
    return int(scaled)


def from_minor_units(value: int, currency: str) -> Decimal:
    return Decimal(value).scaleb(-_EXPONENTS[currency])
