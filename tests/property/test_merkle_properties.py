"""Properties of RFC 9162 proofs: they round-trip for any size, and no mutation verifies."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.errors import ProofError
from audit.merkle import (
    MemoryTree,
    consistency_proof,
    hash_leaf,
    inclusion_proof,
    verify_consistency,
    verify_inclusion,
)

MAX = 1500
TREE = MemoryTree(hash_leaf(i.to_bytes(4, "big")) for i in range(MAX))


@st.composite
def index_and_size(draw: st.DrawFn) -> tuple[int, int]:
    size = draw(st.integers(1, MAX))
    return draw(st.integers(0, size - 1)), size


@st.composite
def two_sizes(draw: st.DrawFn) -> tuple[int, int]:
    size2 = draw(st.integers(1, MAX))
    return draw(st.integers(1, size2)), size2


@st.composite
def mutation(draw: st.DrawFn, proof: list[bytes]) -> list[bytes]:
    kind = draw(
        st.sampled_from(
            ["flip", "drop", "append", "prepend", "swap"] if proof else ["append", "prepend"]
        )
    )
    out = list(proof)
    if kind == "flip":
        i, bit = draw(st.integers(0, len(out) - 1)), draw(st.integers(0, 255))
        h = bytearray(out[i])
        h[bit // 8] ^= 1 << (bit % 8)
        out[i] = bytes(h)
    elif kind == "drop":
        del out[draw(st.integers(0, len(out) - 1))]
    elif kind == "append":
        out.append(draw(st.binary(min_size=32, max_size=32)))
    elif kind == "prepend":
        out.insert(0, draw(st.binary(min_size=32, max_size=32)))
    else:
        i, j = draw(st.integers(0, len(out) - 1)), draw(st.integers(0, len(out) - 1))
        if out[i] == out[j]:
            out.append(b"\x00" * 32)
        out[i], out[j] = out[j], out[i]
    return out


@settings(max_examples=300, deadline=None)
@given(index_and_size())
def test_inclusion_proof_round_trips(case: tuple[int, int]) -> None:
    index, size = case
    proof = inclusion_proof(index, size, TREE.get_node)
    assert len(proof) <= size.bit_length()
    verify_inclusion(index, size, TREE.get_node(0, index), proof, TREE.root(size))


@settings(max_examples=300, deadline=None)
@given(two_sizes())
def test_consistency_proof_round_trips(case: tuple[int, int]) -> None:
    size1, size2 = case
    proof = consistency_proof(size1, size2, TREE.get_node)
    verify_consistency(size1, size2, TREE.root(size1), TREE.root(size2), proof)


@settings(max_examples=300, deadline=None)
@given(index_and_size(), st.data())
def test_mutated_inclusion_proof_never_verifies(case: tuple[int, int], data: st.DataObject) -> None:
    index, size = case
    proof = data.draw(mutation(inclusion_proof(index, size, TREE.get_node)))
    with pytest.raises(ProofError):
        verify_inclusion(index, size, TREE.get_node(0, index), proof, TREE.root(size))


@settings(max_examples=300, deadline=None)
@given(two_sizes(), st.data())
def test_mutated_consistency_proof_never_verifies(
    case: tuple[int, int], data: st.DataObject
) -> None:
    size1, size2 = case
    proof = consistency_proof(size1, size2, TREE.get_node)
    if not proof:  # equal sizes: the only valid proof is empty, so any mutation adds a hash
        proof = []
    mutated = data.draw(mutation(proof))
    with pytest.raises(ProofError):
        verify_consistency(size1, size2, TREE.root(size1), TREE.root(size2), mutated)


@settings(max_examples=200, deadline=None)
@given(index_and_size(), st.integers(1, MAX))
def test_proof_for_another_tree_or_index_does_not_verify(case: tuple[int, int], other: int) -> None:
    index, size = case
    proof = inclusion_proof(index, size, TREE.get_node)
    # against the real root of another size, unless that size has this very path
    if other != size and (index >= other or inclusion_proof(index, other, TREE.get_node) != proof):
        with pytest.raises(ProofError):
            verify_inclusion(index, other, TREE.get_node(0, index), proof, TREE.root(other))
    # for another leaf position, with that position's leaf hash
    if other - 1 != index and other - 1 < size:
        with pytest.raises(ProofError):
            verify_inclusion(other - 1, size, TREE.get_node(0, other - 1), proof, TREE.root(size))
