"""Talking to the chain: the web3 connection, compiled artifacts and ABI coercion."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from django.conf import settings
from eth_abi import encode
from eth_utils import function_abi_to_4byte_selector, to_checksum_address
from eth_utils.abi import collapse_if_tuple
from hexbytes import HexBytes
from web3 import Web3
from web3.exceptions import ContractCustomError, ContractLogicError, ContractPanicError

CONTRACT_NAMES = ("MemberRegistry", "FinancingRegistry", "AuthorizationRegistry", "AuditAnchor")


class ChainUnavailable(Exception):
    """The RPC node does not answer; a transient condition worth retrying."""


def web3(rpc_url: str | None = None) -> Web3:
    url = rpc_url or settings.CHAIN_RPC_URL
    return Web3(Web3.HTTPProvider(url, request_kwargs={"timeout": settings.CHAIN_RPC_TIMEOUT}))


@lru_cache(maxsize=None)
def artifact(name: str) -> dict[str, Any]:
    path = settings.CONTRACTS_OUT_DIR / f"{name}.sol" / f"{name}.json"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: build the contracts (make contracts).")
    data = json.loads(path.read_text())
    bytecode = data["bytecode"]["object"] if isinstance(data.get("bytecode"), dict) else data["bytecode"]
    return {"abi": data["abi"], "bytecode": bytecode}


def abi(name: str) -> list[dict[str, Any]]:
    return artifact(name)["abi"]


@lru_cache(maxsize=1)
def error_selectors() -> dict[bytes, tuple[str, list[dict[str, Any]]]]:
    """Custom-error selector → (name, inputs) across all our contracts."""
    table: dict[bytes, tuple[str, list[dict[str, Any]]]] = {}
    for name in CONTRACT_NAMES:
        try:
            entries = abi(name)
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.get("type") == "error":
                selector = function_abi_to_4byte_selector({**entry, "type": "function"})
                table[bytes(selector)] = (entry["name"], entry.get("inputs", []))
    return table


def decode_revert(exc: Exception) -> tuple[str, str]:
    """(error_code, message) from a web3 revert exception."""
    data = getattr(exc, "data", None)
    if isinstance(exc, ContractCustomError) and isinstance(data, str) and data.startswith("0x"):
        raw = bytes(HexBytes(data))
        entry = error_selectors().get(raw[:4])
        if entry:
            name, inputs = entry
            from eth_abi import decode

            try:
                values = decode([i["type"] for i in inputs], raw[4:])
                shown = ", ".join(
                    f"{i['name']}={'0x' + v.hex() if isinstance(v, bytes) else v}" for i, v in zip(inputs, values)
                )
            except Exception:  # noqa: BLE001 - undecodable arguments still name the error
                shown = ""
            return name, f"{name}({shown})"
        return "custom_error", data
    if isinstance(exc, ContractPanicError):
        return "panic", str(exc)
    if isinstance(exc, ContractLogicError):
        return "reverted", str(getattr(exc, "message", exc))
    return "reverted", str(exc)


@lru_cache(maxsize=None)
def _function(contract: str, function: str) -> tuple[dict[str, Any], list[str], bytes]:
    entry = next((e for e in abi(contract) if e.get("type") == "function" and e["name"] == function), None)
    if entry is None:
        raise LookupError(f"{contract} has no function {function}")
    return entry, [collapse_if_tuple(i) for i in entry["inputs"]], bytes(function_abi_to_4byte_selector(entry))


def encode_call(contract: str, function: str, args: list[Any]) -> str:
    """The calldata of `contract.function(*args)` (outbox arguments, coerced), as 0x-hex.

    What web3's `Contract.encode_abi` returns, without finding and validating the ABI entry again on
    every call: that cost the relay more than a millisecond per transaction."""
    entry, types, selector = _function(contract, function)
    return "0x" + (selector + encode(types, coerce_args(entry["inputs"], args))).hex()


def coerce_args(inputs: list[dict[str, Any]], args: list[Any]) -> list[Any]:
    return [_coerce(spec, value) for spec, value in zip(inputs, args, strict=True)]


def _coerce(spec: dict[str, Any], value: Any) -> Any:
    kind: str = spec["type"]
    if kind.endswith("]"):
        inner = {**spec, "type": kind[: kind.rindex("[")]}
        return [_coerce(inner, v) for v in value]
    if kind == "tuple":
        components = spec["components"]
        if isinstance(value, dict):
            return tuple(_coerce(c, value[c["name"]]) for c in components)
        return tuple(_coerce(c, v) for c, v in zip(components, value, strict=True))
    if kind.startswith("bytes"):
        return bytes(HexBytes(value))
    if kind == "address":
        return to_checksum_address(value)
    if kind.startswith(("uint", "int")):
        return int(value)
    return value


def to_json_arg(value: Any) -> Any:
    """Outbox arguments are JSON: bytes become 0x-hex, tuples become lists."""
    if isinstance(value, (bytes, bytearray, HexBytes)):
        return "0x" + bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return [to_json_arg(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json_arg(v) for k, v in value.items()}
    return value


def decode_rpc_error(error: dict) -> tuple[str, str]:
    """(error_code, message) from a JSON-RPC error object; 'rpc_error' when it is not a revert."""
    message = str(error.get("message", ""))
    data = error.get("data")
    if isinstance(data, dict):  # some nodes nest it
        data = data.get("data")
    if isinstance(data, str) and data.startswith("0x") and len(data) >= 10:
        return decode_revert(ContractCustomError(message, data=data))
    if "revert" in message.lower():
        return "reverted", message
    return "rpc_error", message
