"""Streaming RFC 9162 §2.1.1 roots: a compact range holds one perfect subtree per set bit.

Memory is O(log n) whatever the size, so a verifier can recompute the root of millions of
leaves as it reads them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from audit.tree_hash import EMPTY_ROOT, NODE_PREFIX, hash_children, perfect_root

_sha256 = hashlib.sha256


class CompactRange:
    """Streaming MTH: the stack of perfect subtree roots of a growing tree, O(log n) memory."""

    __slots__ = ("_size", "_stack")

    def __init__(self) -> None:
        """Start an empty tree."""
        self._size = 0
        self._stack: list[bytes] = []  # one root per set bit of size, largest first

    @property
    def size(self) -> int:
        """Number of leaves appended so far."""
        return self._size

    def _push(self, height: int, node: bytes) -> None:
        """Append a perfect subtree. Requires size to be a multiple of 2**height."""
        stack = self._stack
        stack.append(node)
        carry = self._size >> height
        while carry & 1:
            right = stack.pop()
            stack.append(_sha256(NODE_PREFIX + stack.pop() + right).digest())
            carry >>= 1
        self._size += 1 << height

    def append(self, leaf_hash: bytes) -> None:
        """Append one leaf hash."""
        self._push(0, leaf_hash)

    def extend(self, leaf_hashes: Sequence[bytes]) -> None:
        """Append many leaf hashes, hashing aligned perfect blocks level by level."""
        pos, total = 0, len(leaf_hashes)
        while pos < total:
            align = (self._size & -self._size).bit_length() - 1 if self._size else 64
            height = min(align, (total - pos).bit_length() - 1)
            end = pos + (1 << height)
            self._push(height, perfect_root(leaf_hashes[pos:end]))
            pos = end

    def root(self) -> bytes:
        """MTH of the leaves appended so far (RFC 9162 §2.1.1)."""
        if not self._stack:
            return EMPTY_ROOT
        node = self._stack[-1]
        for left in reversed(self._stack[:-1]):
            node = hash_children(left, node)
        return node


def root_from_leaf_hashes(leaf_hashes: Iterable[bytes]) -> bytes:
    """MTH(D[n]) of the given leaf hashes (RFC 9162 §2.1.1)."""
    acc = CompactRange()
    acc.extend(list(leaf_hashes))
    return acc.root()
