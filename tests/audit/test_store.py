"""audit.store against a real database: append, read, erase, tiles, proofs, checkpoints.

The helpers at the top are shared with the other test_store*/test_export*/test_tamper* files.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from audit import store
from audit.checkpoint import open_checkpoint
from audit.checkpoint_store import checkpoint_notes, latest_checkpoint, sign_checkpoint_if_grown
from audit.entry import ERASURE_ACTION, AuditEntry, Erasure, leaf_bytes
from audit.errors import (
    ChangeAlreadyErasedError,
    EntryNotFoundError,
    InvalidEntryError,
    InvalidRangeError,
    NotInTransactionError,
    SigningKeyError,
    TileError,
    TileNotFoundError,
    TreeSizeError,
)
from audit.keys import register_key
from audit.merkle import (
    EMPTY_ROOT,
    MemoryTree,
    hash_leaf,
    verify_consistency,
    verify_inclusion,
)
from audit.note import Signer, generate_key
from audit.tables import AuditChangeTable, AuditLeafTable, AuditTileTable
from audit.tiles import TILE_WIDTH, decode_entry_bundle, tiles_for_size
from domain.shared import database

ENGINE = os.environ.get("DOCKET_TEST_ENGINE", "sqlite")
needs_pg = pytest.mark.skipif(ENGINE != "postgres", reason="needs PostgreSQL")
sqlite_only = pytest.mark.skipif(ENGINE == "postgres", reason="SQLite behaviour")
ORIGIN = "docket.example/audit"
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def fields(i: int, **override: Any) -> dict[str, Any]:
    """The keyword arguments of store.append for a plausible entry number `i`."""
    return {
        "time": T0 + timedelta(seconds=i),
        "actor_id": f"u-{i % 3}",
        "actor_role": "specialist",
        "action": "request.clock_paused",
        "subject_type": "request",
        "subject_id": f"R-{i % 5}",
        "correlation_id": f"c-{i}",
        "before": {"state": "running"},
        "after": {"state": "paused", "n": i, "note": "ü"},
        **override,
    }


async def append_many(count: int, first: int = 0) -> list[int]:
    """Append `count` entries in one write transaction."""
    async with database.write_transaction():
        return [await store.append(**fields(first + i)) for i in range(count)]


async def given_signer(seed: int = 7, now: datetime = T0) -> Signer:
    """A signer for ORIGIN, registered as the log's active key."""
    skey, vkey = generate_key(ORIGIN, bytes([seed]) * 32)
    async with database.write_transaction():
        await register_key(vkey, now=now)
    return Signer.from_key(skey)


async def sign(signer: Signer, now: datetime = T0) -> bytes | None:
    async with database.write_transaction():
        return await sign_checkpoint_if_grown(signer, ORIGIN, now=now)


async def leaves() -> list[bytes]:
    rows = await AuditLeafTable.raw("SELECT leaf FROM audit_leaf ORDER BY entry_index")
    return [bytes(row["leaf"]) for row in rows]


async def memory_tree() -> MemoryTree:
    return MemoryTree(hash_leaf(leaf) for leaf in await leaves())


async def count_rows(table: str) -> int:
    rows = await AuditLeafTable.raw(f"SELECT COUNT(*) AS n FROM {table}")  # noqa: S608
    return int(rows[0]["n"])


# ---------------------------------------------------------------- append and read


async def test_appends_get_dense_indexes_and_read_back(db: str) -> None:
    assert await store.size() == 0
    assert await append_many(3) == [0, 1, 2]
    assert await store.size() == 3
    got = await store.entries(0, 3)
    want = fields(1)
    assert [e.index for e in got] == [0, 1, 2]
    assert (got[1].actor_id, got[1].subject_id, got[1].action, got[1].time) == (
        want["actor_id"],
        want["subject_id"],
        want["action"],
        want["time"],
    )


async def test_the_stored_change_matches_the_commitment_in_the_leaf(db: str) -> None:
    await append_many(2)
    entry = (await store.entries(1, 2))[0]
    record = await store.changes_for(1)
    assert record is not None
    assert record.commitment() == entry.commitment
    assert record.change() == {"after": fields(1)["after"], "before": {"state": "running"}}


async def test_entries_filter_by_subject_and_actor_and_page(db: str) -> None:
    await append_many(20)
    by_subject = await store.entries(0, None, subject=("request", "R-2"))
    assert [e.index for e in by_subject] == [2, 7, 12, 17]
    by_actor = await store.entries(5, 15, actor="u-1")
    assert [e.index for e in by_actor] == [7, 10, 13]
    assert [e.index for e in await store.entries(3, limit=2)] == [3, 4]
    assert await store.entries(0, 20, subject=("hold", "R-2")) == []


@pytest.mark.parametrize(("start", "end", "limit"), [(-1, None, 10), (5, 4, 10), (0, 1, 0)])
async def test_entries_refuse_bad_ranges(db: str, start: int, end: int | None, limit: int) -> None:
    with pytest.raises(InvalidRangeError):
        await store.entries(start, end, limit=limit)
    with pytest.raises(InvalidRangeError):
        await store.entries(0, limit=store.MAX_PAGE + 1)


async def test_append_outside_a_transaction_is_refused(db: str) -> None:
    with pytest.raises(NotInTransactionError, match="no transaction"):
        await store.append(**fields(0))
    assert await store.size() == 0


@sqlite_only
async def test_append_in_a_deferred_sqlite_transaction_is_refused(db: str) -> None:
    async with AuditLeafTable._meta.db.transaction():
        with pytest.raises(NotInTransactionError, match="BEGIN IMMEDIATE"):
            await store.append(**fields(0))


async def test_a_failure_after_the_append_rolls_back_entry_change_and_tiles(db: str) -> None:
    await append_many(TILE_WIDTH - 1)
    tiles = await count_rows("audit_tile")

    async def append_then_fail() -> None:
        async with database.write_transaction():
            assert await store.append(**fields(TILE_WIDTH)) == TILE_WIDTH - 1
            assert await count_rows("audit_tile") > tiles  # the entry completed a tile
            raise RuntimeError("the domain write failed")

    with pytest.raises(RuntimeError, match="the domain write failed"):
        await append_then_fail()
    assert await store.size() == TILE_WIDTH - 1
    assert await count_rows("audit_leaf") == await count_rows("audit_change") == TILE_WIDTH - 1
    assert await count_rows("audit_tile") == tiles
    assert await append_many(1) == [TILE_WIDTH - 1]  # the index is free again


async def test_an_invalid_entry_is_refused_before_anything_is_written(db: str) -> None:
    async with database.write_transaction():
        with pytest.raises(InvalidEntryError):
            await store.append(**fields(0, action="Not An Action"))
        assert await count_rows("audit_change") == 0
        assert await store.append(**fields(1)) == 0  # the caller may carry on
    assert await count_rows("audit_leaf") == await count_rows("audit_change") == 1


async def test_changes_of_many_entries_are_read_together_and_erased_ones_left_out(
    db: str,
) -> None:
    await append_many(4)
    async with database.write_transaction():
        await store.erase_change(
            2, reason="retention limit", actor_id="admin-1", time=T0, correlation_id="c-er"
        )
    found = await store.changes_of([3, 0, 2, 9, 0])
    assert sorted(found) == [0, 3]
    assert found[3] == await store.changes_for(3)
    assert found[0].change() == {"after": fields(0)["after"], "before": {"state": "running"}}
    assert await store.changes_of([]) == {}


async def test_changes_for_an_unknown_entry_is_refused(db: str) -> None:
    await append_many(1)
    with pytest.raises(EntryNotFoundError) as caught:
        await store.changes_for(1)
    assert (caught.value.index, caught.value.size) == (1, 1)


# ---------------------------------------------------------------- erasure


async def test_erasure_removes_the_change_and_logs_who_why_and_which(db: str) -> None:
    await append_many(5)
    async with database.write_transaction():
        index = await store.erase_change(
            2, reason="retention limit", actor_id="admin-1", time=T0, correlation_id="c-er"
        )
    assert index == 5
    assert await store.changes_for(2) is None
    erasure = (await store.entries(5, 6))[0]
    assert erasure.action == ERASURE_ACTION
    assert erasure.actor_role == "admin"
    assert (erasure.subject_type, erasure.subject_id) == ("audit_entry", "2")
    assert erasure.erasure == Erasure(index=2, reason="retention limit")
    assert await store.changes_for(5) is not None


async def test_erasure_keeps_roots_and_proofs(db: str) -> None:
    await append_many(9)
    before = (await memory_tree()).root(9)
    async with database.write_transaction():
        await store.erase_change(4, reason="court order", actor_id="a", time=T0, correlation_id="c")
    tree = await memory_tree()
    assert tree.root(9) == before
    proof = await store.inclusion_proof(4, 10)
    verify_inclusion(4, 10, tree.get_node(0, 4), proof, tree.root())


async def test_erasing_twice_or_a_missing_entry_is_refused(db: str) -> None:
    await append_many(3)
    erase = {"reason": "r", "actor_id": "a", "time": T0, "correlation_id": "c"}
    async with database.write_transaction():
        await store.erase_change(1, **erase)
    with pytest.raises(ChangeAlreadyErasedError) as caught:
        async with database.write_transaction():
            await store.erase_change(1, **erase)
    assert (caught.value.index, caught.value.erased_by) == (1, 3)
    with pytest.raises(EntryNotFoundError):
        async with database.write_transaction():
            await store.erase_change(4, **erase)
    with pytest.raises(InvalidEntryError):
        async with database.write_transaction():
            await store.erase_change(0, **{**erase, "reason": ""})
    assert await store.size() == 4


# ---------------------------------------------------------------- tiles


async def test_tiles_hold_the_tree_hashes(db: str) -> None:
    await append_many(600)
    tree = await memory_tree()
    for tile in tiles_for_size(600):
        level_hashes = tree.levels[8 * tile.level]
        want = b"".join(level_hashes[tile.first_hash() : tile.first_hash() + tile.width])
        width = None if tile.full else tile.width
        assert await store.read_tile(tile.level, tile.index, width) == want, tile.path()
    assert await store.read_tile(0, 2, 10) == b"".join(tree.levels[0][512:522])
    assert await store.read_tile(0, 0, 5) == b"".join(tree.levels[0][:5])  # prefix of full
    assert await count_rows("audit_tile") == 4  # two full level-0 tiles, level-1 w=1 and w=2


async def test_reading_a_tile_beyond_the_log_is_refused(db: str) -> None:
    await append_many(3)
    with pytest.raises(TileNotFoundError, match=r"tile/0/000\.p/4"):
        await store.read_tile(0, 0, 4)
    with pytest.raises(TileNotFoundError):
        await store.read_tile(0, 0)
    with pytest.raises(TileNotFoundError):
        await store.read_tile(1, 0, 1)
    with pytest.raises(TileError):
        await store.read_tile(0, 0, 0)


async def test_entry_bundles_hold_the_leaves(db: str) -> None:
    await append_many(260)
    stored = await leaves()
    assert decode_entry_bundle(await store.entry_bundle(0)) == stored[:256]
    assert decode_entry_bundle(await store.entry_bundle(1, 4)) == stored[256:260]
    with pytest.raises(TileNotFoundError, match=r"tile/entries/001\.p/5"):
        await store.entry_bundle(1, 5)


# ---------------------------------------------------------------- proofs


@pytest.mark.parametrize("size", [1, 7, 256, 300, 513])
async def test_inclusion_proofs_verify_against_the_tree_root(db: str, size: int) -> None:
    await append_many(size)
    tree = await memory_tree()
    for tree_size in {1, size // 2 + 1, size}:
        root = tree.root(tree_size)
        for index in {0, tree_size // 3, tree_size - 1}:
            proof = await store.inclusion_proof(index, tree_size)
            verify_inclusion(index, tree_size, tree.get_node(0, index), proof, root)


@pytest.mark.parametrize(
    ("first", "second"), [(0, 9), (1, 9), (4, 9), (9, 9), (255, 513), (256, 513)]
)
async def test_consistency_proofs_verify(db: str, first: int, second: int) -> None:
    await append_many(second)
    tree = await memory_tree()
    proof = await store.consistency_proof(first, second)
    root1 = tree.root(first) if first else EMPTY_ROOT
    verify_consistency(first, second, root1, tree.root(second), proof)


async def test_proofs_for_sizes_the_log_does_not_have_are_refused(db: str) -> None:
    await append_many(4)
    with pytest.raises(TreeSizeError):
        await store.inclusion_proof(0, 5)
    with pytest.raises(EntryNotFoundError):
        await store.inclusion_proof(4, 4)
    with pytest.raises(TreeSizeError):
        await store.consistency_proof(3, 2)
    with pytest.raises(TreeSizeError):
        await store.consistency_proof(1, 5)


# ---------------------------------------------------------------- checkpoints


async def test_a_checkpoint_is_signed_when_the_log_grew_and_every_one_is_kept(db: str) -> None:
    signer = await given_signer()
    first = await sign(signer)
    assert first is not None  # the first checkpoint, of the empty log
    assert await sign(signer) is None
    await append_many(3)
    second = await sign(signer)
    assert second is not None
    assert await sign(signer) is None
    checkpoint, _ = open_checkpoint(second, [signer.verifier()])
    assert (checkpoint.origin, checkpoint.size) == (ORIGIN, 3)
    assert checkpoint.root == (await memory_tree()).root()
    assert open_checkpoint(first, [signer.verifier()])[0].root == EMPTY_ROOT
    assert await latest_checkpoint() == second
    assert [note async for batch in checkpoint_notes(3, batch=1) for note in batch] == [
        first,
        second,
    ]


async def test_there_is_no_latest_checkpoint_before_the_first(db: str) -> None:
    assert await latest_checkpoint() is None


async def test_signing_needs_a_registered_active_key_and_a_transaction(db: str) -> None:
    skey, _ = generate_key(ORIGIN, bytes([9]) * 32)
    with pytest.raises(SigningKeyError, match="not registered"):
        await sign(Signer.from_key(skey))
    signer = await given_signer()
    with pytest.raises(NotInTransactionError):
        await sign_checkpoint_if_grown(signer, ORIGIN, now=T0)


async def test_the_stored_leaf_is_the_canonical_leaf_of_the_entry(db: str) -> None:
    await append_many(1)
    entry: AuditEntry = (await store.entries(0, 1))[0]
    assert (await leaves())[0] == leaf_bytes(entry)
    rows = await AuditChangeTable.select(AuditChangeTable.entry_index)
    assert rows == [{"entry_index": 0}]
    assert await AuditTileTable.count() == 0
