"""RFC 9162 §2.1 Merkle tree over SHA-256: hashes, roots, and inclusion and consistency proofs.

The hashes live in `audit.tree_hash`, streaming roots in `audit.compact` and proof checks
in `audit.proof_verify`; this module generates proofs and re-exports the rest.

Nodes are named by (level, index): the perfect subtree over leaves
[index * 2**level, (index + 1) * 2**level). Proof generation asks a `GetNode` for those
perfect nodes only, so storage can serve them from C2SP tiles with O(log n) reads.
"""

from __future__ import annotations

from collections.abc import Iterable

from audit.compact import CompactRange, root_from_leaf_hashes
from audit.errors import ProofShapeError
from audit.proof_verify import root_from_inclusion_proof, verify_consistency, verify_inclusion
from audit.tree_hash import (
    EMPTY_ROOT,
    HASH_SIZE,
    LEAF_PREFIX,
    NODE_PREFIX,
    GetNode,
    hash_children,
    hash_leaf,
    perfect_root,
)

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "LEAF_PREFIX",
    "NODE_PREFIX",
    "CompactRange",
    "GetNode",
    "MemoryTree",
    "consistency_proof",
    "hash_children",
    "hash_leaf",
    "inclusion_proof",
    "perfect_root",
    "root_from_inclusion_proof",
    "root_from_leaf_hashes",
    "subtree_root",
    "verify_consistency",
    "verify_inclusion",
]


def _split(n: int) -> int:
    """The largest power of two smaller than n (RFC 9162 §2.1.1 `k`). Requires n > 1."""
    return 1 << ((n - 1).bit_length() - 1)


class MemoryTree:
    """An in-memory tree keeping every perfect node; a `GetNode` for tests and tools."""

    __slots__ = ("levels",)

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        """Build the tree from leaf hashes."""
        self.levels: list[list[bytes]] = [[]]
        for leaf_hash in leaf_hashes:
            self.append(leaf_hash)

    @property
    def size(self) -> int:
        """Number of leaves."""
        return len(self.levels[0])

    def append(self, leaf_hash: bytes) -> None:
        """Append a leaf hash and the perfect nodes it completes."""
        node, level = leaf_hash, 0
        while True:
            if level == len(self.levels):
                self.levels.append([])
            row = self.levels[level]
            row.append(node)
            if len(row) % 2:
                return
            node, level = hash_children(row[-2], row[-1]), level + 1

    def get_node(self, level: int, index: int) -> bytes:
        """Hash of the perfect node at (level, index)."""
        return self.levels[level][index]

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first `size` leaves (default: all)."""
        return subtree_root(0, self.size if size is None else size, self.get_node)


def subtree_root(start: int, end: int, get_node: GetNode) -> bytes:
    """MTH(D[start:end]) from perfect nodes. Requires start aligned as in RFC 9162 §2.1.1."""
    size = end - start
    if size == 0:
        return EMPTY_ROOT
    if size & (size - 1) == 0:
        level = size.bit_length() - 1
        return get_node(level, start >> level)
    k = _split(size)
    return hash_children(
        get_node(k.bit_length() - 1, start // k), subtree_root(start + k, end, get_node)
    )


def inclusion_proof(index: int, size: int, get_node: GetNode) -> list[bytes]:
    """PATH(index, D[size]) of RFC 9162 §2.1.3.1. Requires 0 <= index < size.

    Raises:
        ProofShapeError: if index is out of range.
    """
    if not 0 <= index < size:
        raise ProofShapeError(f"index {index} out of range for size {size}")
    proof: list[bytes] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:  # PATH(m, D[0:k]) : MTH(D[k:n])
            proof.append(subtree_root(lo + k, hi, get_node))
            hi = lo + k
        else:  # PATH(m - k, D[k:n]) : MTH(D[0:k])
            proof.append(subtree_root(lo, lo + k, get_node))
            lo += k
    proof.reverse()
    return proof


def consistency_proof(size1: int, size2: int, get_node: GetNode) -> list[bytes]:
    """PROOF(size1, D[size2]) of RFC 9162 §2.1.4.1. Requires 0 <= size1 <= size2.

    Empty when size1 is 0 or equal to size2: every tree extends the empty tree and itself.

    Raises:
        ProofShapeError: if the sizes are out of order.
    """
    if not 0 <= size1 <= size2:
        raise ProofShapeError(f"no consistency proof from size {size1} to {size2}")
    if size1 in (0, size2):
        return []
    proof: list[bytes] = []
    lo, hi, whole = 0, size2, True
    while size1 != hi:
        k = _split(hi - lo)
        if size1 - lo <= k:  # SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
            proof.append(subtree_root(lo + k, hi, get_node))
            hi = lo + k
        else:  # SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
            proof.append(subtree_root(lo, lo + k, get_node))
            lo, whole = lo + k, False
    if not whole:  # SUBPROOF(m, D[m], false) = {MTH(D[m])}
        proof.append(subtree_root(lo, hi, get_node))
    proof.reverse()
    return proof
