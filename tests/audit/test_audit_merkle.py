"""RFC 9162 §2.1 Merkle tree against the transparency-dev/merkle known answers."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from audit.errors import ProofError, ProofShapeError, RootMismatchError
from audit.merkle import (
    EMPTY_ROOT,
    CompactRange,
    MemoryTree,
    consistency_proof,
    hash_children,
    hash_leaf,
    inclusion_proof,
    perfect_root,
    root_from_inclusion_proof,
    root_from_leaf_hashes,
    subtree_root,
    verify_consistency,
    verify_inclusion,
)

H = bytes.fromhex
TREE = json.loads((Path(__file__).parent / "vectors" / "rfc9162_tree.json").read_text())


def _tree() -> MemoryTree:
    return MemoryTree(hash_leaf(H(leaf)) for leaf in TREE["leaves"])


# transparency-dev/merkle rfc6962_test.go; e.g. `echo -n 00 | xxd -r -p | sha256sum`
def test_rfc6962_hasher_known_answers(vector: Any) -> None:
    v = vector("rfc6962_hasher.json")
    assert EMPTY_ROOT.hex() == v["empty_root"]["want"]
    assert hash_leaf(H(v["empty_leaf"]["leaf"])).hex() == v["empty_leaf"]["want"]
    assert hash_leaf(H(v["leaf"]["leaf"])).hex() == v["leaf"]["want"]
    assert hash_children(H(v["node"]["left"]), H(v["node"]["right"])).hex() == v["node"]["want"]


def test_node_hash_is_not_leaf_hash_of_concatenation() -> None:
    left, right = hash_leaf(b"Hello"), hash_leaf(b"World")
    assert hash_children(left, right) != hash_leaf(left + right)
    assert hash_children(left, right) != hash_children(right, left)


def test_roots_per_size_match_reference_tree() -> None:
    tree = _tree()
    hashes = [tree.get_node(0, i) for i in range(8)]
    for size, want in enumerate(TREE["roots"], start=1):
        assert tree.root(size).hex() == want
        assert root_from_leaf_hashes(hashes[:size]).hex() == want


def test_empty_tree_root_is_hash_of_nothing() -> None:
    assert root_from_leaf_hashes([]) == EMPTY_ROOT == hashlib.sha256(b"").digest()
    assert MemoryTree().root() == EMPTY_ROOT


@pytest.mark.parametrize("v", TREE["inclusion"], ids=lambda v: f"{v['index']}-of-{v['size']}")
def test_inclusion_proofs_match_reference(v: dict[str, Any]) -> None:
    tree = _tree()
    proof = inclusion_proof(v["index"], v["size"], tree.get_node)
    assert [p.hex() for p in proof] == v["proof"]
    leaf = hash_leaf(H(TREE["leaves"][v["index"]]))
    verify_inclusion(v["index"], v["size"], leaf, proof, H(TREE["roots"][v["size"] - 1]))


@pytest.mark.parametrize("v", TREE["consistency"], ids=lambda v: f"{v['size1']}-to-{v['size2']}")
def test_consistency_proofs_match_reference(v: dict[str, Any]) -> None:
    tree = _tree()
    proof = consistency_proof(v["size1"], v["size2"], tree.get_node)
    assert [p.hex() for p in proof] == v["proof"]
    roots = TREE["roots"]
    verify_consistency(
        v["size1"], v["size2"], H(roots[v["size1"] - 1]), H(roots[v["size2"] - 1]), proof
    )


@pytest.mark.parametrize(
    "v", TREE["inclusion_negative"], ids=lambda v: f"{v['index']}/{v['size']} {v['desc']}"
)
def test_mutated_inclusion_proofs_fail(v: dict[str, Any]) -> None:
    with pytest.raises(ProofError):
        verify_inclusion(
            v["index"], v["size"], hash_leaf(H(v["leaf"])), [H(p) for p in v["proof"]], H(v["root"])
        )


@pytest.mark.parametrize(
    "v", TREE["consistency_negative"], ids=lambda v: f"{v['size1']}/{v['size2']} {v['desc']}"
)
def test_mutated_consistency_proofs_fail(v: dict[str, Any]) -> None:
    with pytest.raises(ProofError):
        verify_consistency(
            v["size1"], v["size2"], H(v["root1"]), H(v["root2"]), [H(p) for p in v["proof"]]
        )


# transparency-dev/merkle verify_test.go TestVerifyConsistency trivial cases
@pytest.mark.parametrize(
    "case",
    [
        (0, 0, b"1" * 32, b"1" * 32, [], True),
        (0, 1, b"1" * 32, b"2" * 32, [], True),
        (1, 1, b"2" * 32, b"2" * 32, [], True),
        (0, 0, b"1" * 32, b"2" * 32, [], False),
        (1, 1, b"1" * 32, b"2" * 32, [], False),
        (1, 0, b"1" * 32, b"2" * 32, [], False),
        (2, 1, b"1" * 32, b"2" * 32, [], False),
        (1, 2, b"1" * 32, b"2" * 32, [], False),
        (0, 0, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], False),
        (0, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], False),
        (1, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], False),
    ],
)
def test_trivial_consistency_cases(case: tuple[int, int, bytes, bytes, list[bytes], bool]) -> None:
    size1, size2, root1, root2, proof, ok = case
    if ok:
        verify_consistency(size1, size2, root1, root2, proof)
    else:
        with pytest.raises(ProofError):
            verify_consistency(size1, size2, root1, root2, proof)


@pytest.mark.parametrize(("index", "size"), [(0, 0), (0, 1), (1, 0), (2, 1)])
def test_inclusion_rejects_impossible_probes(index: int, size: int) -> None:
    # transparency-dev/merkle TestVerifyInclusion probes: sha256SomeHash vs empty root
    some = H("abacaba000000000000000000000000000000000000000000060061e00123456")
    for leaf, root in ((some, b""), (b"", EMPTY_ROOT), (some, EMPTY_ROOT)):
        with pytest.raises(ProofError):
            verify_inclusion(index, size, leaf, [], root)


def test_single_entry_tree_root_is_its_leaf_hash() -> None:
    leaf = hash_leaf(b"data")
    verify_inclusion(0, 1, leaf, [], leaf)
    assert root_from_inclusion_proof(0, 1, leaf, []) == leaf


def test_root_mismatch_carries_evidence() -> None:
    tree = _tree()
    proof = inclusion_proof(3, 8, tree.get_node)
    with pytest.raises(RootMismatchError) as err:
        verify_inclusion(3, 8, tree.get_node(0, 3), proof, EMPTY_ROOT)
    assert err.value.expected == EMPTY_ROOT
    assert err.value.calculated == tree.root(8)


def test_proof_generation_rejects_bad_ranges() -> None:
    tree = _tree()
    with pytest.raises(ProofShapeError):
        inclusion_proof(8, 8, tree.get_node)
    with pytest.raises(ProofShapeError):
        consistency_proof(5, 4, tree.get_node)
    assert consistency_proof(0, 8, tree.get_node) == []
    assert consistency_proof(8, 8, tree.get_node) == []


def test_compact_range_matches_memory_tree_at_every_size() -> None:
    leaves = [hash_leaf(str(i).encode()) for i in range(300)]
    tree, acc = MemoryTree(), CompactRange()
    for i, leaf in enumerate(leaves):
        tree.append(leaf)
        acc.append(leaf)
        assert acc.size == i + 1
        assert acc.root() == tree.root() == subtree_root(0, i + 1, tree.get_node)


@pytest.mark.parametrize("chunks", [[300], [1, 299], [7, 93, 1, 199], [128, 128, 44], [255, 2, 43]])
def test_compact_range_extend_in_blocks_equals_one_by_one(chunks: list[int]) -> None:
    leaves = [hash_leaf(str(i).encode()) for i in range(300)]
    acc, pos = CompactRange(), 0
    for n in chunks:
        acc.extend(leaves[pos : pos + n])
        pos += n
    assert acc.root() == MemoryTree(leaves).root()


def test_perfect_root_of_one_is_itself() -> None:
    assert perfect_root([b"x" * 32]) == b"x" * 32
