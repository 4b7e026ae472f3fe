"""The log's C2SP tlog-tiles in the database, and the roots and proofs read out of them.

Full tiles of every level, and partial tiles of levels >= 1, are rows of `audit_tile`. A
partial tile of level 0 is never stored: its hashes are the leaf hashes of the entries at the
right edge, which `audit_leaf` already holds. (Storing one row per width there would cost
about 4 KiB per entry.) A tile of width W is the first W hashes of any wider tile at the
same place (C2SP tlog-tiles §Partial Tiles), so every read returns a prefix of the widest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Final, TypeVar

from audit.errors import TileNotFoundError
from audit.merkle import HASH_SIZE, GetNode, subtree_root
from audit.tables import AuditLeafTable, AuditTileTable
from audit.tiles import (
    TILE_HEIGHT,
    TILE_WIDTH,
    Tile,
    TileEdge,
    append_leaf_hashes,
    encode_entry_bundle,
    tile_node_getter,
)

_T = TypeVar("_T")
_LEAF_RANGE: Final = (
    "SELECT {column} FROM audit_leaf WHERE entry_index >= {{}} AND entry_index < {{}}"
    " ORDER BY entry_index"
)
_LEAF_ROW: Final = -1
"""The level that marks a leaf hash (its entry index as tile_index) in `_read_tiles`' rows
(written into `_EDGE_LEAVES`)."""
_WIDEST_OF: Final = (
    "SELECT * FROM (SELECT level, tile_index, data FROM audit_tile"
    " WHERE level = {{}} AND tile_index = {{}} ORDER BY width DESC LIMIT 1) AS t{n}"
)
_EDGE_LEAVES: Final = (
    "SELECT -1 AS level, entry_index AS tile_index, leaf_hash AS data FROM audit_leaf"
    " WHERE entry_index >= {} AND entry_index < {}"
)
_WIDEST: Final = (
    "SELECT data FROM audit_tile WHERE level = {} AND tile_index = {} ORDER BY width DESC LIMIT 1"
)


def snapshot() -> AbstractAsyncContextManager[object]:
    """A read transaction for several reads: one connection, one view (or the caller's)."""
    transaction: AbstractAsyncContextManager[object] = AuditLeafTable._meta.db.transaction()
    return transaction


async def _leaf_range(column: str, start: int, end: int) -> list[bytes]:
    rows = await AuditLeafTable.raw(_LEAF_RANGE.format(column=column), start, end)
    return [bytes(row[column]) for row in rows]


async def _widest(level: int, index: int) -> bytes:
    """The widest hashes stored for tile (level, index); empty if there are none."""
    rows = await AuditTileTable.raw(_WIDEST, level, index)
    if rows:
        return bytes(rows[0]["data"])
    if level == 0:
        start = index * TILE_WIDTH
        return b"".join(await _leaf_range("leaf_hash", start, start + TILE_WIDTH))
    return b""


async def read_tile(level: int, index: int, width: int | None = None) -> bytes:
    """The hashes of tile `tile/<level>/<index>[.p/<width>]` (full when width is None).

    Raises:
        TileError: for coordinates out of range.
        TileNotFoundError: if the log does not hold that many hashes there (yet).
    """
    tile = Tile(level, index, TILE_WIDTH if width is None else width)
    async with snapshot():
        data = await _widest(level, index)
    if len(data) < tile.width * HASH_SIZE:
        raise TileNotFoundError(tile.path())
    return data[: tile.width * HASH_SIZE]


async def entry_bundle(index: int, width: int | None = None) -> bytes:
    """The entry bundle `tile/entries/<index>[.p/<width>]` (C2SP tlog-tiles §Log Entries).

    Raises:
        TileError: for coordinates out of range.
        TileNotFoundError: if the log does not hold that many entries there (yet).
    """
    tile = Tile(0, index, TILE_WIDTH if width is None else width)
    leaves = await _leaf_range("leaf", tile.first_hash(), tile.first_hash() + tile.width)
    if len(leaves) < tile.width:
        raise TileNotFoundError(tile.entries_path())
    return encode_entry_bundle(leaves)


async def _edge(size: int) -> TileEdge:
    """The right edge of the tree of `size` leaves: each level's partial tile."""
    partials = [b"".join(await _leaf_range("leaf_hash", size - size % TILE_WIDTH, size))]
    level = 1
    while hashes := size >> (TILE_HEIGHT * level):
        width = hashes % TILE_WIDTH
        data = await _widest(level, hashes // TILE_WIDTH) if width else b""
        partials.append(data[: width * HASH_SIZE])
        level += 1
    return TileEdge(size, tuple(partials))


async def store_tiles(index: int, leaf_hash: bytes) -> None:
    """Store the tiles that leaf `index` completes. Requires the log's lock and leaves < index.

    Most leaves complete nothing: only the level-0 partial grows, and that is leaf hashes.
    Every 256th leaf completes a level-0 tile, which may complete tiles further up.

    Raises:
        TileError: if the stored edge is inconsistent with the tree size.
    """
    await store_tiles_for(index, [leaf_hash])


async def store_tiles_for(first: int, leaf_hashes: list[bytes]) -> None:
    """Store the tiles that leaves `first`, `first + 1`, … complete. Requires the log's lock.

    Only a batch that reaches a multiple of 256 leaves completes a tile; of a partial tile
    that grows more than once in the batch, the widest is stored (a narrower one is its
    prefix, C2SP tlog-tiles §Partial Tiles).

    Raises:
        TileError: if the stored edge is inconsistent with the tree size.
    """
    if (first % TILE_WIDTH) + len(leaf_hashes) < TILE_WIDTH:
        return
    _, tiles = append_leaf_hashes(await _edge(first), leaf_hashes)
    rows = [
        AuditTileTable(level=tile.level, tile_index=tile.index, width=tile.width, data=data)
        for tile, data in tiles
        if tile.level or tile.full
    ]
    await AuditTileTable.insert(*rows)


async def _read_tiles(keys: Sequence[tuple[int, int]], size: int) -> dict[tuple[int, int], bytes]:
    """The widest hashes of each tile (level, index) in `keys`, read in one query.

    A level-0 tile that is partial in a tree of `size` leaves is not stored: its hashes are
    the leaf hashes, read in the same query. A tile with no hashes at all reads as empty.
    """
    parts, args = [], []
    for n, (level, index) in enumerate(keys):
        if level == 0 and (index + 1) * TILE_WIDTH > size:
            parts.append(_EDGE_LEAVES)
            args += [index * TILE_WIDTH, (index + 1) * TILE_WIDTH]
        else:
            parts.append(_WIDEST_OF.format(n=n))
            args += [level, index]
    rows = await AuditTileTable.raw(" UNION ALL ".join(parts), *args) if parts else []
    found: dict[tuple[int, int], bytes] = {}
    leaf_hashes: dict[int, bytes] = {}
    for row in rows:
        if int(row["level"]) == _LEAF_ROW:
            leaf_hashes[int(row["tile_index"])] = bytes(row["data"])
        else:
            found[int(row["level"]), int(row["tile_index"])] = bytes(row["data"])
    for level, index in keys:
        if level == 0 and (index + 1) * TILE_WIDTH > size:
            start = index * TILE_WIDTH
            end = next((i for i in range(start, start + TILE_WIDTH) if i not in leaf_hashes), None)
            stop = start + TILE_WIDTH if end is None else end
            found[0, index] = b"".join(leaf_hashes[i] for i in range(start, stop))
    return {key: found.get(key, b"") for key in keys}


async def with_tiles(compute: Callable[[GetNode], _T], size: int) -> _T:
    """Run `compute` (a root or proof of `audit.merkle` over the first `size` leaves).

    The merkle code is synchronous and asks for nodes one by one; a first run with dummy
    hashes records which tiles hold them (the node requests depend on sizes and indexes
    only), they are read in one query (no transaction needed: see `audit.store`), and a
    second run computes the answer.

    Raises:
        TileError: if a stored tile is too narrow for a node (an inconsistent database).
    """
    needed: set[tuple[int, int]] = set()

    def record(level: int, index: int) -> bytes:
        sub = level % TILE_HEIGHT  # where audit.tiles.read_node looks for (level, index)
        needed.add((level // TILE_HEIGHT, (index << sub) // TILE_WIDTH))
        return bytes(HASH_SIZE)

    compute(record)
    tiles = await _read_tiles(sorted(needed), size)
    return compute(tile_node_getter(lambda level, index: tiles[level, index]))


async def tree_root(size: int) -> bytes:
    """MTH of the first `size` leaves (RFC 9162 §2.1.1), from the tiles."""
    return await with_tiles(lambda get_node: subtree_root(0, size, get_node), size)
