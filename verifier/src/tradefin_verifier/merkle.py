"""RFC 9162 (Certificate Transparency v2) Merkle trees with SHA-256, as API.md specifies.

Pure Python, standard library only. The platform imports this module too (backend/audit), so the
platform's proofs and the standalone verifier's checks are the same code.

- leaf hash  = SHA-256(0x00 || entry)
- node hash  = SHA-256(0x01 || left || right)
- MTH        = RFC 9162 section 2.1.1 (the empty tree hashes to SHA-256 of nothing)
- PATH       = RFC 9162 section 2.1.3.1, leaf-to-root order
- verifying  = RFC 9162 section 2.1.3.2, exactly as AuditAnchor.verifyInclusion does on chain

The tree is built level by level, pairing neighbours left to right and carrying a lone last node up
unchanged; that gives the same left-balanced tree as the recursive definition (split at the largest
power of two below n) in O(n) hashes.
"""

from __future__ import annotations

import hashlib
from typing import Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


class InvalidProof(ValueError):
    """An inclusion proof that cannot be right whatever the root (bad index, size or length)."""


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + bytes(entry)).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + bytes(left) + bytes(right)).digest()


def _next_level(level: list[bytes]) -> list[bytes]:
    parents = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
    if len(level) % 2:
        parents.append(level[-1])
    return parents


def tree_hash(entries: Sequence[bytes]) -> bytes:
    """MTH(D[n]) over the entries (each hashed as a leaf)."""
    if not entries:
        return EMPTY_ROOT
    level = [leaf_hash(e) for e in entries]
    while len(level) > 1:
        level = _next_level(level)
    return level[0]


def inclusion_path(entries: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(index, D[n]): the sibling hashes from the leaf up to the root."""
    if not 0 <= index < len(entries):
        raise IndexError(f"leaf index {index} is outside a tree of {len(entries)} entries")
    level = [leaf_hash(e) for e in entries]
    path: list[bytes] = []
    position = index
    while len(level) > 1:
        sibling = position ^ 1
        if sibling < len(level):
            path.append(level[sibling])
        position >>= 1
        level = _next_level(level)
    return path


def root_from_inclusion_path(index: int, tree_size: int, leaf: bytes, path: Sequence[bytes]) -> bytes:
    """The root that `path` proves for the leaf hash `leaf` at `index` (RFC 9162, 2.1.3.2)."""
    if tree_size < 1 or not 0 <= index < tree_size:
        raise InvalidProof(f"leaf index {index} is outside a tree of size {tree_size}")
    if len(leaf) != HASH_SIZE or any(len(p) != HASH_SIZE for p in path):
        raise InvalidProof("hashes must be 32 bytes")
    fn, sn = index, tree_size - 1
    r = bytes(leaf)
    for p in path:
        if sn == 0:
            raise InvalidProof("the path is longer than the tree is high")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise InvalidProof("the path is shorter than the tree is high")
    return r


def verify_inclusion(index: int, tree_size: int, entry: bytes, path: Sequence[bytes], root: bytes) -> bool:
    """True if `entry` is leaf `index` of the tree of `tree_size` entries whose MTH is `root`."""
    try:
        return root_from_inclusion_path(index, tree_size, leaf_hash(entry), path) == bytes(root)
    except InvalidProof:
        return False
