"""Tiles across a level-2 boundary: entry 65,535 completes a level-1 tile (C2SP tlog-tiles).

Appending 65,536 entries through the store takes about a minute, so the first 65,535 are
bulk-loaded with the tiles the store would have written (the audit core computes them),
and the store appends the entry that completes tile 1/000.
"""

from __future__ import annotations

import pytest
from test_store import append_many, fields, leaves

from audit import store
from audit.entry import AuditEntry, leaf_bytes
from audit.merkle import MemoryTree, hash_leaf, verify_consistency, verify_inclusion
from audit.tables import AuditLeafTable, AuditTileTable
from audit.tiles import TILE_WIDTH, TileEdge, append_leaf_hashes

FULL_LEVEL_1 = TILE_WIDTH * TILE_WIDTH  # 65,536 entries fill tile 1/000


def leaf(index: int) -> bytes:
    kw = fields(index)
    entry = AuditEntry(
        index=index,
        time=kw["time"],
        actor_id=kw["actor_id"],
        actor_role=kw["actor_role"],
        action=kw["action"],
        subject_type=kw["subject_type"],
        subject_id=kw["subject_id"],
        correlation_id=kw["correlation_id"],
        commitment=bytes(32),
    )
    return leaf_bytes(entry)


async def bulk_load(count: int) -> list[bytes]:
    leaves = [leaf(i) for i in range(count)]
    hashes = [hash_leaf(data) for data in leaves]
    for start in range(0, count, 2000):
        await AuditLeafTable.insert(
            *(
                AuditLeafTable(entry_index=i, leaf=leaves[i], leaf_hash=hashes[i])
                for i in range(start, min(count, start + 2000))
            )
        )
    _, tiles = append_leaf_hashes(TileEdge(), hashes)
    rows = [
        AuditTileTable(level=t.level, tile_index=t.index, width=t.width, data=data)
        for t, data in tiles
        if t.level or t.full  # the store keeps no level-0 partial tiles
    ]
    await AuditTileTable.insert(*rows)
    return hashes


@pytest.mark.slow
async def test_the_entry_that_completes_a_level_1_tile_starts_level_2(db: str) -> None:
    hashes = await bulk_load(FULL_LEVEL_1 - 1)
    assert await append_many(3, first=FULL_LEVEL_1 - 1) == [65535, 65536, 65537]
    tree = MemoryTree(hash_leaf(data) for data in await leaves())
    assert tree.levels[0][: len(hashes)] == hashes
    assert await store.read_tile(1, 0) == b"".join(tree.levels[8])
    assert await store.read_tile(2, 0, 1) == tree.levels[16][0]
    assert await store.read_tile(0, 256, 2) == b"".join(tree.levels[0][65536:65538])
    for index, size in ((0, 65536), (65535, 65536), (12345, 65538), (65537, 65538)):
        proof = await store.inclusion_proof(index, size)
        verify_inclusion(index, size, tree.levels[0][index], proof, tree.root(size))
    for first in (1, 256, 65535, 65536):
        proof = await store.consistency_proof(first, 65538)
        verify_consistency(first, 65538, tree.root(first), tree.root(65538), proof)
