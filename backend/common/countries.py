"""ISO 3166-1 alpha-2 country codes (pycountry, which schwifty already brings)."""

from functools import lru_cache

import pycountry


@lru_cache(maxsize=1)
def _alpha2_codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


def is_known_country(code: str) -> bool:
    return code in _alpha2_codes()
