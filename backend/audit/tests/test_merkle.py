"""RFC 9162 / RFC 6962 Merkle tree: the Certificate Transparency test vectors and forged proofs.

The vectors are the ones the CT reference implementations test against (transparency-dev/merkle,
`proof/verify_test.go` and `rfc6962/rfc6962_test.go`, which carry them over from the original
certificate-transparency C++ and Go trees): eight leaves, the roots of the trees of sizes 1 to 8,
and inclusion paths.
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradefin_verifier.merkle import (
    EMPTY_ROOT,
    InvalidProof,
    inclusion_path,
    leaf_hash,
    node_hash,
    root_from_inclusion_path,
    tree_hash,
    verify_inclusion,
)

h = bytes.fromhex

LEAVES = [h(""), h("00"), h("10"), h("2021"), h("3031"), h("40414243"), h("5051525354555657"),
          h("606162636465666768696a6b6c6d6e6f")]

ROOTS = [  # MTH(LEAVES[:n]) for n = 1..8
    h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
    h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
    h("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
    h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    h("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
    h("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
    h("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
    h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
]

# (leaf index, tree size, path): the vectors give 1-based leaf numbers; these are 0-based indexes.
INCLUSION = [
    (0, 1, []),
    (0, 8, [h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]),
    (5, 8, [h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
    (2, 3, [h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]),
    (1, 5, [h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]),
]

SOME_HASH = h("abacaba000000000000000000000000000000000000000000060061e00123456")


def test_hasher_vectors():
    assert EMPTY_ROOT == h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    assert tree_hash([]) == EMPTY_ROOT
    assert leaf_hash(b"") == h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
    assert leaf_hash(b"L123456") == h("395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56")
    assert node_hash(b"N123", b"N456") == h("aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb")


@pytest.mark.parametrize("size", range(1, 9))
def test_tree_hash_vectors(size):
    assert tree_hash(LEAVES[:size]) == ROOTS[size - 1]


@pytest.mark.parametrize("index,size,path", INCLUSION)
def test_inclusion_path_vectors(index, size, path):
    assert inclusion_path(LEAVES[:size], index) == path
    assert verify_inclusion(index, size, LEAVES[index], path, ROOTS[size - 1])
    assert root_from_inclusion_path(index, size, leaf_hash(LEAVES[index]), path) == ROOTS[size - 1]


def _forgeries(index: int, size: int, path: list[bytes], root: bytes):
    """The corruptions the CT reference verifier tests reject, plus a wrong sibling at each level."""
    yield "index - 1", index - 1, size, LEAVES[index], path, root
    yield "index + 1", index + 1, size, LEAVES[index], path, root
    yield "index ^ 2", index ^ 2, size, LEAVES[index], path, root
    yield "size * 2", index, size * 2, LEAVES[index], path, root
    yield "size / 2", index, size // 2, LEAVES[index], path, root
    yield "wrong leaf", index, size, b"WrongLeaf", path, root
    yield "empty root", index, size, LEAVES[index], path, EMPTY_ROOT
    yield "random root", index, size, LEAVES[index], path, SOME_HASH
    yield "trailing root", index, size, LEAVES[index], [*path, root], root
    yield "preceding root", index, size, LEAVES[index], [root, *path], root
    yield "trailing garbage", index, size, LEAVES[index], [*path, b""], root
    for i in range(len(path)):
        flipped = bytearray(path[i])
        flipped[0] ^= 8
        yield f"sibling {i} flipped", index, size, LEAVES[index], [*path[:i], bytes(flipped), *path[i + 1:]], root
    if path:
        yield "truncated path", index, size, LEAVES[index], path[:-1], root
    if len(path) > 1:
        yield "inserted sibling", index, size, LEAVES[index], [path[0], SOME_HASH, *path[1:]], root


@pytest.mark.parametrize("index,size,path", INCLUSION)
def test_forged_proofs_are_rejected(index, size, path):
    accepted = [desc for desc, i, n, leaf, p, r in _forgeries(index, size, path, ROOTS[size - 1])
                if i >= 0 and verify_inclusion(i, n, leaf, p, r)]
    assert accepted == []


@pytest.mark.parametrize("index,size", [(0, 0), (1, 0), (1, 1), (2, 1), (-1, 4)])
def test_impossible_index_or_size_is_an_invalid_proof(index, size):
    with pytest.raises(InvalidProof):
        root_from_inclusion_path(index, size, SOME_HASH, [])
    assert not verify_inclusion(index, size, b"x", [], EMPTY_ROOT)


def test_the_tree_size_must_come_from_the_anchor_not_from_the_proof():
    # RFC 9162 verification does not pin the size on its own: the path for leaf 1 of 5 also fits a
    # tree of 6. CT authenticates the size in the signed tree head; we take it from the anchored
    # (first_seq, last_seq), which is also the key the contract stores the root under.
    index, size, path = INCLUSION[4]
    assert verify_inclusion(index, size + 1, LEAVES[index], path, ROOTS[size - 1])
    assert not verify_inclusion(index, size + 1, LEAVES[index], path, ROOTS[size])


def test_a_single_entry_tree_root_is_its_leaf_hash():
    entry = hashlib.sha256(b"data").digest()
    assert tree_hash([entry]) == leaf_hash(entry)
    assert verify_inclusion(0, 1, entry, [], leaf_hash(entry))
    assert not verify_inclusion(0, 1, entry, [leaf_hash(entry)], leaf_hash(entry))


# -- against the recursive definition of RFC 9162, section 2.1.1 / 2.1.3.1 ------------------------

def _split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def _mth(entries: list[bytes]) -> bytes:
    if len(entries) == 1:
        return leaf_hash(entries[0])
    k = _split(len(entries))
    return node_hash(_mth(entries[:k]), _mth(entries[k:]))


def _path(m: int, entries: list[bytes]) -> list[bytes]:
    if len(entries) == 1:
        return []
    k = _split(len(entries))
    if m < k:
        return _path(m, entries[:k]) + [_mth(entries[k:])]
    return _path(m - k, entries[k:]) + [_mth(entries[:k])]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.binary(min_size=0, max_size=40), min_size=1, max_size=70), st.data())
def test_matches_the_recursive_definition(entries, data):
    index = data.draw(st.integers(min_value=0, max_value=len(entries) - 1))
    root = tree_hash(entries)
    assert root == _mth(entries)
    path = inclusion_path(entries, index)
    assert path == _path(index, entries)
    assert verify_inclusion(index, len(entries), entries[index], path, root)
    other = data.draw(st.binary(min_size=0, max_size=40))
    if other != entries[index]:
        assert not verify_inclusion(index, len(entries), other, path, root)
