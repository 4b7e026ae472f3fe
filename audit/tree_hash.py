"""The RFC 9162 §2.1.1 Merkle Tree Hash over SHA-256: leaf and node hashes, perfect subtrees."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Final, TypeAlias

HASH_SIZE: Final = 32
LEAF_PREFIX: Final = b"\x00"  # RFC 9162 §2.1.1: MTH({d(0)}) = HASH(0x00 || d(0))
NODE_PREFIX: Final = b"\x01"  # RFC 9162 §2.1.1: HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n]))
EMPTY_ROOT: Final = hashlib.sha256(b"").digest()  # RFC 9162 §2.1.1: MTH({}) = HASH()

GetNode: TypeAlias = Callable[[int, int], bytes]
"""get_node(level, index) -> hash of the perfect subtree at (level, index); must exist."""

_sha256 = hashlib.sha256


def hash_leaf(entry: bytes) -> bytes:
    """SHA-256(0x00 || entry)."""
    return _sha256(LEAF_PREFIX + entry).digest()


def hash_children(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return _sha256(NODE_PREFIX + left + right).digest()


def perfect_root(hashes: Sequence[bytes]) -> bytes:
    """MTH of a perfect subtree given its 2**h leaf-level hashes. Requires len a power of 2."""
    level = list(hashes)
    while len(level) > 1:
        level = [
            _sha256(NODE_PREFIX + left + right).digest()
            for left, right in zip(level[0::2], level[1::2], strict=True)
        ]
    return level[0]
