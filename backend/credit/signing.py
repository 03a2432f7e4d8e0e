"""The EIP-712 form of a credit authorization, exactly as `AuthorizationRegistry` hashes it.

Anyone holding the typed data and the signature can recover the signer with any EIP-712
library (eth-account, ethers, viem) and compare it with the exporter's registered address;
no database of ours is needed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from eth_account import Account
from eth_account.messages import SignableMessage, encode_typed_data
from eth_utils import keccak, to_checksum_address

DOMAIN_NAME = "CrossBorderCreditAuthorization"
DOMAIN_VERSION = "1"
PRIMARY_TYPE = "CreditAuthorization"

EIP712_DOMAIN_FIELDS = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]
CREDIT_AUTHORIZATION_FIELDS = [
    {"name": "authorizationId", "type": "bytes32"},
    {"name": "exporter", "type": "address"},
    {"name": "bank", "type": "address"},
    {"name": "purpose", "type": "string"},
    {"name": "scopes", "type": "uint8"},
    {"name": "dataFrom", "type": "uint64"},
    {"name": "dataTo", "type": "uint64"},
    {"name": "validFrom", "type": "uint64"},
    {"name": "expiresAt", "type": "uint64"},
]

SECONDS_PER_DAY = 86_400


def day_start_unix(day: dt.date) -> int:
    """00:00:00 UTC of `day`, in unix seconds (the signed `dataFrom`)."""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())


def day_end_unix(day: dt.date) -> int:
    """23:59:59 UTC of `day` (the signed `dataTo`: the data period includes its last day)."""
    return day_start_unix(day) + SECONDS_PER_DAY - 1


def unix_seconds(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def build_typed_data(
    *,
    chain_id: int,
    verifying_contract: str,
    authorization_id: bytes,
    exporter: str,
    bank: str,
    purpose: str,
    scope_mask: int,
    data_from: dt.date,
    data_to: dt.date,
    valid_from: dt.datetime,
    expires_at: dt.datetime,
) -> dict[str, Any]:
    """The full EIP-712 JSON (eth_signTypedData_v4 shape) of one authorization."""
    return {
        "types": {"EIP712Domain": EIP712_DOMAIN_FIELDS, PRIMARY_TYPE: CREDIT_AUTHORIZATION_FIELDS},
        "primaryType": PRIMARY_TYPE,
        "domain": {
            "name": DOMAIN_NAME,
            "version": DOMAIN_VERSION,
            "chainId": chain_id,
            "verifyingContract": to_checksum_address(verifying_contract),
        },
        "message": {
            "authorizationId": "0x" + authorization_id.hex(),
            "exporter": to_checksum_address(exporter),
            "bank": to_checksum_address(bank),
            "purpose": purpose,
            "scopes": scope_mask,
            "dataFrom": day_start_unix(data_from),
            "dataTo": day_end_unix(data_to),
            "validFrom": unix_seconds(valid_from),
            "expiresAt": unix_seconds(expires_at),
        },
    }


def signable(typed_data: dict[str, Any]) -> SignableMessage:
    return encode_typed_data(full_message=typed_data)


def digest_of(typed_data: dict[str, Any]) -> str:
    """The EIP-712 digest, keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(message)), as 0x-hex."""
    message = signable(typed_data)
    return "0x" + keccak(b"\x19" + message.version + message.header + message.body).hex()


def sign_typed_data(typed_data: dict[str, Any], account) -> str:
    """Sign with an eth-account LocalAccount; a 65-byte r ‖ s ‖ v signature (v 27/28) as 0x-hex."""
    signed = account.sign_message(signable(typed_data))
    return "0x" + bytes(signed.signature).hex()


def recover_signer(typed_data: dict[str, Any], signature: str) -> str:
    return Account.recover_message(signable(typed_data), signature=signature)


def contract_struct(typed_data: dict[str, Any]) -> dict[str, Any]:
    """The `CreditAuthorization` tuple argument of `grant`/`hashAuthorization`."""
    return dict(typed_data["message"])
