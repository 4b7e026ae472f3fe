"""audit.append_batch: several entries in one transaction make the same log as one by one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_store import (
    append_many,
    count_rows,
    fields,
    given_signer,
    leaves,
    memory_tree,
    sign,
    sqlite_only,
)

from audit import export, store
from audit.append_batch import NewEntry, append_batch
from audit.entry import leaf_bytes
from audit.errors import InvalidEntryError, NotInTransactionError
from audit.merkle import verify_consistency, verify_inclusion
from audit.tables import AuditLeafTable
from audit.tiles import TILE_WIDTH, tiles_for_size
from audit.verify import verify_bundle
from domain.shared import database


def new_entry(i: int, **override: Any) -> NewEntry:
    return NewEntry(**fields(i, **override))


async def batch(first: int, count: int) -> list[int]:
    async with database.write_transaction():
        return await append_batch([new_entry(first + i) for i in range(count)])


async def test_a_batch_continues_the_dense_indexes_and_each_leaf_commits_to_its_change(
    db: str,
) -> None:
    await append_many(3)
    assert await batch(3, 4) == [3, 4, 5, 6]
    assert await append_many(1, first=7) == [7]
    got = await store.entries(0, 8)
    assert [e.index for e in got] == list(range(8))
    assert [e.correlation_id for e in got] == [f"c-{i}" for i in range(8)]
    for entry in got:
        record = await store.changes_for(entry.index)
        assert record is not None
        assert record.commitment() == entry.commitment
        assert record.change() == {
            "after": fields(entry.index)["after"],
            "before": {"state": "running"},
        }
    assert await leaves() == [leaf_bytes(e) for e in got]  # canonical leaves, as append's


@pytest.mark.parametrize(
    ("before", "sizes"),
    [(0, [TILE_WIDTH]), (10, [700]), (255, [1, 1]), (3, [300, 254, 1, 600])],
    ids=["one-full-tile", "three-tiles-at-once", "tile-by-single-batches", "mixed"],
)
async def test_batches_store_the_same_tiles_and_proofs_as_single_appends(
    db: str, before: int, sizes: list[int]
) -> None:
    await append_many(before)
    done = before
    for count in sizes:
        await batch(done, count)
        done += count
    tree = await memory_tree()
    for tile in tiles_for_size(done):
        level_hashes = tree.levels[8 * tile.level]
        want = b"".join(level_hashes[tile.first_hash() : tile.first_hash() + tile.width])
        width = None if tile.full else tile.width
        assert await store.read_tile(tile.level, tile.index, width) == want, tile.path()
    for index in {0, done // 2, done - 1}:
        proof = await store.inclusion_proof(index, done)
        verify_inclusion(index, done, tree.get_node(0, index), proof, tree.root(done))
    first = max(1, done // 3)
    proof = await store.consistency_proof(first, done)
    verify_consistency(first, done, tree.root(first), tree.root(done), proof)


async def test_a_log_grown_in_batches_exports_a_bundle_that_verifies(
    db: str, tmp_path: Path
) -> None:
    signer = await given_signer()
    await batch(0, 300)
    await sign(signer)
    await append_many(2, first=300)
    await batch(302, 260)
    await sign(signer)
    assert await export.export_bundle(tmp_path) == 562
    report = verify_bundle(tmp_path, [signer.verifier().key()])
    assert (report.size, report.checkpoints, report.changes) == (562, 2, 562)
    assert report.root == (await memory_tree()).root(562)


async def test_one_invalid_entry_writes_none_of_the_batch(db: str) -> None:
    async with database.write_transaction():
        with pytest.raises(InvalidEntryError):
            await append_batch([new_entry(0), new_entry(1, action="Not An Action")])
        assert await count_rows("audit_change") == await count_rows("audit_leaf") == 0
        assert await append_batch([new_entry(2)]) == [0]  # the caller may carry on
    assert await store.size() == 1


async def test_a_failure_after_a_batch_rolls_back_its_entries_changes_and_tiles(db: str) -> None:
    await append_many(TILE_WIDTH - 2)

    async def batch_then_fail() -> None:
        async with database.write_transaction():
            assert await append_batch([new_entry(i) for i in range(5)]) == list(
                range(TILE_WIDTH - 2, TILE_WIDTH + 3)
            )
            assert await count_rows("audit_tile") > 0  # the batch completed a tile
            raise RuntimeError("the domain write failed")

    with pytest.raises(RuntimeError, match="the domain write failed"):
        await batch_then_fail()
    assert await store.size() == TILE_WIDTH - 2
    assert await count_rows("audit_change") == TILE_WIDTH - 2
    assert await count_rows("audit_tile") == 0


async def test_a_batch_outside_a_transaction_is_refused(db: str) -> None:
    with pytest.raises(NotInTransactionError, match="no transaction"):
        await append_batch([new_entry(0)])
    with pytest.raises(NotInTransactionError):
        await append_batch([])  # refused even when empty: it is a programming error
    assert await store.size() == 0


@sqlite_only
async def test_a_batch_in_a_deferred_sqlite_transaction_is_refused(db: str) -> None:
    async with AuditLeafTable._meta.db.transaction():
        with pytest.raises(NotInTransactionError, match="BEGIN IMMEDIATE"):
            await append_batch([new_entry(0)])
