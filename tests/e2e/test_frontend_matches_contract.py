"""The browser reads AuditAnchor.rootOf with a hand-encoded eth_call; it must match the contract's ABI."""

from __future__ import annotations

import re

from web3 import Web3

from chain import client
from tests.support.processes import REPO

CHAIN_RPC_TS = REPO / "frontend" / "src" / "features" / "audit" / "api" / "chainRpc.ts"


def test_the_browsers_root_of_selector_is_the_contracts():
    selector = re.search(r'ROOT_OF_SELECTOR = "(0x[0-9a-f]{8})"', CHAIN_RPC_TS.read_text()).group(1)
    (function,) = [item for item in client.abi("AuditAnchor") if item.get("name") == "rootOf"]
    signature = f"rootOf({','.join(i['type'] for i in function['inputs'])})"
    assert signature == "rootOf(uint64,uint64)"
    assert [o["type"] for o in function["outputs"]] == ["bytes32"]
    assert selector == Web3.keccak(text=signature)[:4].to_0x_hex()


def test_health_publishes_the_rpc_url_browsers_verify_against(api, db, settings):
    settings.CHAIN_RPC_URL = "http://127.0.0.1:1"  # unreachable: the URL is published all the same
    settings.CHAIN_PUBLIC_RPC_URL = ""
    assert api.get("/api/health/").json()["chain"]["rpc_url"] == "http://127.0.0.1:1"
    settings.CHAIN_PUBLIC_RPC_URL = "https://rpc.example.org"
    assert api.get("/api/health/").json()["chain"]["rpc_url"] == "https://rpc.example.org"
