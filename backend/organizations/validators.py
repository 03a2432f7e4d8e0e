"""Identifiers of organizations: USCC (with its check character) and SWIFT BIC."""

from schwifty import BIC
from schwifty.exceptions import SchwiftyException
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError as StdnumError


def normalize_uscc(value: str) -> str:
    """Return the compact USCC or raise ValueError with a reason."""
    try:
        return stdnum_uscc.validate(value)
    except StdnumError as exc:
        raise ValueError(f"Not a valid Unified Social Credit Code: {exc}.") from exc


def normalize_bic(value: str) -> str:
    try:
        bic = BIC(value)
        bic.validate()
    except (SchwiftyException, ValueError) as exc:
        raise ValueError(f"Not a valid SWIFT BIC: {exc}.") from exc
    return str(bic)
