"""Checking RFC 9162 proofs: inclusion (§2.1.3.2) and consistency (§2.1.4.2)."""

from __future__ import annotations

from collections.abc import Sequence

from audit.errors import ProofShapeError, RootMismatchError
from audit.tree_hash import HASH_SIZE, hash_children


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
