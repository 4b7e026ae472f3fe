"""C2SP tlog-tiles: paths, tiles per tree size, building tiles and reading nodes back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from audit.errors import TileError
from audit.merkle import MemoryTree, consistency_proof, hash_leaf, inclusion_proof, subtree_root
from audit.tiles import (
    Tile,
    TileEdge,
    append_leaf_hashes,
    decode_entry_bundle,
    encode_entry_bundle,
    new_tiles,
    parse_tile_path,
    read_node,
    tile_node_getter,
    tiles_for_size,
)

V = json.loads((Path(__file__).parent / "vectors" / "tiles.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", V["paths"], ids=lambda c: c["path"])
def test_tile_paths(case: dict[str, Any]) -> None:
    tile = Tile(case["level"], case["index"], case["width"])
    assert tile.path() == case["path"]
    assert parse_tile_path(case["path"]) == (tile, False)


@pytest.mark.parametrize("case", V["entries_paths"], ids=lambda c: c["path"])
def test_entry_bundle_paths(case: dict[str, Any]) -> None:
    tile = Tile(0, case["index"], case["width"])
    assert tile.entries_path() == case["path"]
    assert parse_tile_path(case["path"]) == (tile, True)


@pytest.mark.parametrize("path", V["bad_paths"])
def test_bad_tile_paths_are_rejected(path: str) -> None:
    with pytest.raises(TileError):
        parse_tile_path(path)


def test_only_level_zero_has_entry_bundles() -> None:
    with pytest.raises(TileError):
        Tile(1, 0).entries_path()
    with pytest.raises(TileError):
        Tile(0, 0, 0)


@pytest.mark.parametrize("case", V["sizes"], ids=lambda c: str(c["size"]))
def test_tiles_for_size_match_the_spec_examples(case: dict[str, Any]) -> None:
    # c2sp.org/tlog-tiles: "a tree of size 70,000 will be represented by 273 full level 0
    # tiles, one partial level 0 tile of width 112, ..."
    tiles = tiles_for_size(case["size"])
    for level, full, partial_index, width in case["tiles"]:
        at = [t for t in tiles if t.level == level]
        assert [t.index for t in at if t.full] == list(range(full))
        partial = [t for t in at if not t.full]
        assert partial == ([Tile(level, partial_index, width)] if width else [])
    assert {t.level for t in tiles} == {c[0] for c in case["tiles"]}


# golang.org/x/mod sumdb/tlog tile_test.go TestNewTilesForSize, re-derived for height 8
@pytest.mark.parametrize(
    ("old", "new", "want"),
    [
        (1, 1, 0),
        (100, 101, 1),
        (255, 257, 3),
        (256, 300, 1),
        (300, 600, 3),
        (65535, 65536, 3),
        (0, 70000, 277),
    ],
)
def test_new_tiles_counts(old: int, new: int, want: int) -> None:
    assert len(new_tiles(old, new)) == want


def test_new_tiles_rejects_shrinking() -> None:
    with pytest.raises(TileError):
        new_tiles(5, 4)


@pytest.mark.parametrize(
    "steps", [[70000], [1, 5, 250, 1, 300, 64979, 3000, 1464], [256] * 5 + [1]]
)
def test_incremental_tiles_serve_every_node_and_proof(steps: list[int]) -> None:
    total = sum(steps)
    leaves = [hash_leaf(i.to_bytes(4, "big")) for i in range(total)]
    tree, edge, store, pos = MemoryTree(leaves), TileEdge(), {}, 0
    for step in steps:
        edge, written = append_leaf_hashes(edge, leaves[pos : pos + step])
        assert {t for t, _ in written} == set(new_tiles(pos, pos + step))
        for tile, data in written:
            assert len(data) == tile.width * 32
            store[tile.level, tile.index] = data
        pos += step
        get = tile_node_getter(lambda level, index: store[level, index])
        assert subtree_root(0, pos, get) == tree.root(pos)
    get = tile_node_getter(lambda level, index: store[level, index])
    for level, index in [(0, 0), (0, total - 1), (3, 7), (8, 0), (9, 0), (10, (total >> 10) - 1)]:
        assert get(level, index) == tree.get_node(level, index)
    for index in (0, total // 2, total - 1):
        assert inclusion_proof(index, total, get) == inclusion_proof(index, total, tree.get_node)
    assert consistency_proof(total // 3, total, get) == consistency_proof(
        total // 3, total, tree.get_node
    )


def test_edge_must_match_its_size() -> None:
    with pytest.raises(TileError):
        append_leaf_hashes(TileEdge(3, (b"\x00" * 64,)), [b"\x00" * 32])


def test_read_node_rejects_a_too_narrow_tile() -> None:
    with pytest.raises(TileError):
        read_node(2, 1, lambda level, index: b"\x00" * 32 * 5)


def test_entry_bundles_round_trip() -> None:
    entries = [b"", b"a", b"x" * 300, b"\n\x00"]
    data = encode_entry_bundle(entries)
    assert data[:2] == b"\x00\x00"
    assert data[2:5] == b"\x00\x01a"
    assert decode_entry_bundle(data) == entries


@pytest.mark.parametrize("data", [b"\x00", b"\x00\x05abc", b"\x00\x01a\x00"])
def test_truncated_entry_bundles_are_rejected(data: bytes) -> None:
    with pytest.raises(TileError):
        decode_entry_bundle(data)


def test_oversized_bundles_are_rejected() -> None:
    with pytest.raises(TileError):
        encode_entry_bundle([b"x" * 65536])
    with pytest.raises(TileError):
        encode_entry_bundle([b""] * 257)
    with pytest.raises(TileError):
        decode_entry_bundle(b"\x00\x00" * 257)
