"""The relay's calldata encoder against web3's own `Contract.encode_abi`, for every function of every
contract we deploy, with outbox-style (JSON) arguments."""

import random

import pytest
from web3 import Web3

from chain import client


def _sample(spec: dict, rnd: random.Random):
    kind = spec["type"]
    if kind.endswith("]"):
        inner = {**spec, "type": kind[: kind.rindex("[")]}
        size = kind[kind.rindex("[") + 1: -1]
        return [_sample(inner, rnd) for _ in range(int(size) if size else rnd.randint(0, 3))]
    if kind == "tuple":
        return [_sample(c, rnd) for c in spec["components"]]
    if kind == "address":
        return "0x" + rnd.randbytes(20).hex()  # lower case, as the outbox stores it
    if kind == "bytes":
        return "0x" + rnd.randbytes(rnd.randint(0, 70)).hex()
    if kind.startswith("bytes"):
        return "0x" + rnd.randbytes(int(kind[5:])).hex()
    if kind.startswith("uint"):
        return str(rnd.randrange(2 ** int(kind[4:] or 256)))  # outbox numbers may be strings
    if kind.startswith("int"):
        bits = int(kind[3:] or 256)
        return rnd.randrange(-(2 ** (bits - 1)), 2 ** (bits - 1))
    if kind == "bool":
        return rnd.random() < 0.5
    if kind == "string":
        return "".join(rnd.choice("aé中 \n") for _ in range(rnd.randint(0, 40)))
    raise AssertionError(f"no sample for {kind}")


FUNCTIONS = [(name, entry) for name in client.CONTRACT_NAMES for entry in client.abi(name)
             if entry.get("type") == "function"]


def test_every_deployed_contract_has_functions_to_compare():
    assert {name for name, _ in FUNCTIONS} == set(client.CONTRACT_NAMES)
    for name in client.CONTRACT_NAMES:  # one entry per name: the encoder looks functions up by name
        names = [e["name"] for n, e in FUNCTIONS if n == name]
        assert len(names) == len(set(names)), name


@pytest.mark.parametrize(("contract", "entry"), FUNCTIONS, ids=[f"{n}.{e['name']}" for n, e in FUNCTIONS])
def test_calldata_is_what_web3_encodes(contract, entry):
    reference = Web3().eth.contract(abi=client.abi(contract))
    rnd = random.Random(f"{contract}.{entry['name']}")
    for _ in range(5):
        args = [_sample(spec, rnd) for spec in entry["inputs"]]
        expected = reference.encode_abi(entry["name"], args=client.coerce_args(entry["inputs"], args))
        assert client.encode_call(contract, entry["name"], args) == expected


def test_an_unknown_function_is_named_in_the_error():
    with pytest.raises(LookupError, match="FinancingRegistry has no function recordNothing"):
        client.encode_call("FinancingRegistry", "recordNothing", [])
