"""RFC 9162 §2.1 Merkle tree over SHA-256: hashes, roots, and inclusion and consistency proofs.

Nodes are named by (level, index): the perfect subtree over leaves
[index * 2**level, (index + 1) * 2**level). Proof generation asks a `GetNode` for those
perfect nodes only, so storage can serve them from C2SP tiles with O(log n) reads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import Final, TypeAlias

from audit.errors import ProofShapeError, RootMismatchError

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


def _split(n: int) -> int:
    """The largest power of two smaller than n (RFC 9162 §2.1.1 `k`). Requires n > 1."""
    return 1 << ((n - 1).bit_length() - 1)


def perfect_root(hashes: Sequence[bytes]) -> bytes:
    """MTH of a perfect subtree given its 2**h leaf-level hashes. Requires len a power of 2."""
    level = list(hashes)
    while len(level) > 1:
        level = [
            _sha256(NODE_PREFIX + left + right).digest()
            for left, right in zip(level[0::2], level[1::2], strict=True)
        ]
    return level[0]


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


def _check_hashes(*hashes: bytes) -> None:
    for h in hashes:
        if len(h) != HASH_SIZE:
            raise ProofShapeError(f"hash of {len(h)} bytes, want {HASH_SIZE}")


def root_from_inclusion_proof(
    index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes]
) -> bytes:
    """The root that `proof` leads to from `leaf_hash` (RFC 9162 §2.1.3.2, steps 1-4).

    Raises:
        ProofShapeError: if index >= size, a hash is not 32 bytes, or the proof has the
            wrong length for (index, size).
    """
    _check_hashes(leaf_hash, *proof)
    if not 0 <= index < size:
        raise ProofShapeError(f"index {index} out of range for size {size}")
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            raise ProofShapeError("inclusion proof too long")
        if fn & 1 or fn == sn:
            r = hash_children(p, r)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = hash_children(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofShapeError("inclusion proof too short")
    return r


def verify_inclusion(
    index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that `leaf_hash` is leaf `index` of the tree of `size` with `root` (§2.1.3.2).

    Raises:
        ProofShapeError: see `root_from_inclusion_proof`.
        RootMismatchError: if the proof leads to another root.
    """
    _check_hashes(root)
    calculated = root_from_inclusion_proof(index, size, leaf_hash, proof)
    if calculated != root:
        raise RootMismatchError(root, calculated)


def verify_consistency(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree (size2, root2) extends (size1, root1) (RFC 9162 §2.1.4.2).

    An empty tree is extended by every tree, with an empty proof.

    Raises:
        ProofShapeError: for sizes out of order, malformed hashes or a wrong-length proof.
        RootMismatchError: if the proof does not lead to root1 and root2.
    """
    _check_hashes(root1, root2, *proof)
    if not 0 <= size1 <= size2:
        raise ProofShapeError(f"size1 {size1} > size2 {size2}")
    if size1 in (0, size2):
        if proof:
            raise ProofShapeError("proof must be empty")
        if size1 == size2 and root1 != root2:
            raise RootMismatchError(root1, root2)
        return
    if not proof:  # step 1
        raise ProofShapeError("empty consistency proof")
    fr, sr = _chain_consistency(size1, size2, root1, proof)
    if fr != root1:
        raise RootMismatchError(root1, fr)
    if sr != root2:
        raise RootMismatchError(root2, sr)


def _chain_consistency(
    size1: int, size2: int, root1: bytes, proof: Sequence[bytes]
) -> tuple[bytes, bytes]:
    """Steps 2-7 of RFC 9162 §2.1.4.2: the (first, second) roots the proof leads to."""
    path = [root1, *proof] if size1 & (size1 - 1) == 0 else list(proof)  # step 2
    fn, sn = size1 - 1, size2 - 1  # step 3
    while fn & 1:  # step 4
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]  # step 5
    for c in path[1:]:  # step 6
        if sn == 0:
            raise ProofShapeError("consistency proof too long")
        if fn & 1 or fn == sn:
            fr, sr = hash_children(c, fr), hash_children(c, sr)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = hash_children(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:  # step 7
        raise ProofShapeError("consistency proof too short")
    return fr, sr
