"""Edits made around the triggers (dropped in SQL) are caught by the offline verifier.

Each test builds a signed log of 40 entries with checkpoints at sizes 10, 25 and 40
(positions 0, 1, 2 in checkpoints.txt), drops the triggers as a database owner could,
tampers, exports, and checks that `verify_bundle` names the entry or checkpoint.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from test_store import ENGINE, ORIGIN, append_many, given_signer, leaves, sign

from audit.checkpoint import Checkpoint, sign_checkpoint
from audit.entry import leaf_bytes, parse_leaf
from audit.errors import (
    ChangeMismatchError,
    CheckpointRootMismatchError,
    CheckpointSignatureError,
    EntryMismatchError,
    TruncatedLogError,
)
from audit.export import export_bundle
from audit.merkle import MemoryTree, hash_leaf
from audit.note import Signer, generate_key
from audit.tables import AuditChangeTable, AuditCheckpointTable, AuditLeafTable
from audit.verify import TRUSTED, VerifyReport, verify_bundle

SIZES = (10, 25, 40)


async def raw(sql: str) -> list[dict[str, object]]:
    return list(await AuditLeafTable.raw(sql))


async def drop_triggers() -> None:
    if ENGINE == "postgres":
        rows = await raw(
            "SELECT tgname, tgrelid::regclass::text AS tbl FROM pg_trigger"
            " WHERE NOT tgisinternal AND tgrelid::regclass::text LIKE 'audit_%'"
        )
        for row in rows:
            await raw(f"DROP TRIGGER {row['tgname']} ON {row['tbl']}")
    else:
        rows = await raw("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        for row in rows:
            await raw(f"DROP TRIGGER {row['name']}")


@pytest.fixture
async def signer(db: str) -> Signer:
    signer = await given_signer()
    first = 0
    for size in SIZES:
        await append_many(size - first, first=first)
        await sign(signer)
        first = size
    await drop_triggers()
    return signer


async def export_and_verify(
    directory: Path, signer: Signer, trusted: bytes | None = None
) -> VerifyReport:
    await export_bundle(directory)
    return verify_bundle(directory, [signer.verifier().key()], trusted_checkpoint=trusted)


async def set_leaf(index: int, leaf: bytes) -> None:
    await AuditLeafTable.update({AuditLeafTable.leaf: leaf}).where(
        AuditLeafTable.entry_index == index
    )


async def set_note(size: int, note: bytes) -> None:
    await AuditCheckpointTable.update({AuditCheckpointTable.note: note.decode()}).where(
        AuditCheckpointTable.tree_size == size
    )


async def reindex(
    first: int, shift: int, tables: tuple[str, ...] = ("audit_leaf", "audit_change")
) -> None:
    """Move the rows from index `first` on by `shift`, as a tamperer would."""
    for table in tables:
        update = f"UPDATE {table} SET entry_index = entry_index"  # noqa: S608
        await raw(f"{update} + 1000 WHERE entry_index >= {first}")
        await raw(f"{update} - {1000 - shift} WHERE entry_index >= 1000")


async def test_the_untouched_log_verifies(signer: Signer, tmp_path: Path) -> None:
    report = await export_and_verify(tmp_path, signer)
    assert (report.size, report.checkpoints) == (40, 3)


# ---------------------------------------------------------------- entries


async def test_an_edited_leaf_breaks_the_next_checkpoint(signer: Signer, tmp_path: Path) -> None:
    entry = parse_leaf((await leaves())[12])
    await set_leaf(12, leaf_bytes(dataclasses.replace(entry, actor_id="someone-else")))
    with pytest.raises(CheckpointRootMismatchError) as caught:
        await export_and_verify(tmp_path, signer)
    assert (caught.value.position, caught.value.size) == (1, 25)


async def test_a_garbled_leaf_is_named(signer: Signer, tmp_path: Path) -> None:
    await set_leaf(12, (await leaves())[12].replace(b'"v":1', b'"v": 1'))
    with pytest.raises(EntryMismatchError) as caught:
        await export_and_verify(tmp_path, signer)
    assert caught.value.index == 12


async def test_a_deleted_entry_is_named(signer: Signer, tmp_path: Path) -> None:
    await raw("DELETE FROM audit_leaf WHERE entry_index = 7")
    await raw("DELETE FROM audit_change WHERE entry_index = 7")
    with pytest.raises(EntryMismatchError, match="holds entry 8") as caught:
        await export_and_verify(tmp_path, signer)
    assert caught.value.index == 7


async def test_an_inserted_entry_is_named(signer: Signer, tmp_path: Path) -> None:
    forged = parse_leaf((await leaves())[7])
    await reindex(7, 1)
    await AuditLeafTable.insert(
        AuditLeafTable(entry_index=7, leaf=leaf_bytes(dataclasses.replace(forged, actor_id="x")))
    )
    with pytest.raises(EntryMismatchError, match="holds entry 7") as caught:
        await export_and_verify(tmp_path, signer)
    assert caught.value.index == 8


async def test_an_insertion_with_renumbered_leaves_breaks_the_checkpoint(
    signer: Signer, tmp_path: Path
) -> None:
    stored = await leaves()
    forged = [parse_leaf(leaf) for leaf in (*stored[:8], *stored[7:])]  # entry 7 twice
    await raw("DELETE FROM audit_leaf")
    for index, entry in enumerate(forged):
        leaf = leaf_bytes(dataclasses.replace(entry, index=index))
        await AuditLeafTable.insert(AuditLeafTable(entry_index=index, leaf=leaf))
    await reindex(7, 1, tables=("audit_change",))
    await raw(
        "INSERT INTO audit_change (entry_index, salt, change_json)"
        " SELECT 7, salt, change_json FROM audit_change WHERE entry_index = 8"
    )
    with pytest.raises(CheckpointRootMismatchError) as caught:
        await export_and_verify(tmp_path, signer)
    assert (caught.value.position, caught.value.size) == (0, 10)


async def test_swapped_entries_are_named(signer: Signer, tmp_path: Path) -> None:
    stored = await leaves()
    await set_leaf(20, stored[21])
    await set_leaf(21, stored[20])
    with pytest.raises(EntryMismatchError, match="holds entry 21") as caught:
        await export_and_verify(tmp_path, signer)
    assert caught.value.index == 20


async def test_swapped_and_renumbered_entries_break_the_checkpoint(
    signer: Signer, tmp_path: Path
) -> None:
    stored = await leaves()
    for index, source in ((20, 21), (21, 20)):
        entry = dataclasses.replace(parse_leaf(stored[source]), index=index)
        await set_leaf(index, leaf_bytes(entry))
    await raw("UPDATE audit_change SET entry_index = 1021 WHERE entry_index = 20")
    await raw("UPDATE audit_change SET entry_index = 20 WHERE entry_index = 21")
    await raw("UPDATE audit_change SET entry_index = 21 WHERE entry_index = 1021")
    with pytest.raises(CheckpointRootMismatchError) as caught:
        await export_and_verify(tmp_path, signer)
    assert (caught.value.position, caught.value.size) == (1, 25)


async def test_a_truncated_tail_is_caught_by_a_kept_checkpoint(
    signer: Signer, tmp_path: Path
) -> None:
    kept = (await raw("SELECT note FROM audit_checkpoint WHERE tree_size = 40"))[0]["note"]
    for table, column in (("audit_leaf", "entry_index"), ("audit_change", "entry_index")):
        await raw(f"DELETE FROM {table} WHERE {column} >= 30")  # noqa: S608
    await raw("DELETE FROM audit_checkpoint WHERE tree_size > 30")
    assert (await export_and_verify(tmp_path / "blind", signer)).size == 25
    with pytest.raises(TruncatedLogError) as caught:
        await export_and_verify(tmp_path / "kept", signer, trusted=str(kept).encode())
    error = caught.value
    assert (error.position, error.checkpoint_size, error.entries) == (TRUSTED, 40, 25)


async def test_an_edited_change_is_named(signer: Signer, tmp_path: Path) -> None:
    await AuditChangeTable.update({AuditChangeTable.change_json: b'{"after":null}'}).where(
        AuditChangeTable.entry_index == 17
    )
    with pytest.raises(ChangeMismatchError) as caught:
        await export_and_verify(tmp_path, signer)
    assert caught.value.index == 17


async def test_a_change_deleted_without_an_erasure_is_named(signer: Signer, tmp_path: Path) -> None:
    await raw("DELETE FROM audit_change WHERE entry_index = 17")
    with pytest.raises(EntryMismatchError, match="no erasure names it") as caught:
        await export_and_verify(tmp_path, signer)
    assert caught.value.index == 17


# ---------------------------------------------------------------- checkpoints


async def test_a_forged_signature_is_named(signer: Signer, tmp_path: Path) -> None:
    note = (await raw("SELECT note FROM audit_checkpoint WHERE tree_size = 25"))[0]["note"]
    text, _, signature = str(note).rstrip("\n").rpartition(" ")
    flipped = ("A" if signature[10] != "A" else "B").join((signature[:10], signature[11:]))
    await set_note(25, f"{text} {flipped}\n".encode())
    with pytest.raises(CheckpointSignatureError, match="invalid signature") as caught:
        await export_and_verify(tmp_path, signer)
    assert caught.value.position == 1


async def test_a_checkpoint_signed_by_another_key_is_named(signer: Signer, tmp_path: Path) -> None:
    mallory = Signer.from_key(generate_key(ORIGIN, bytes([66]) * 32)[0])
    root = MemoryTree(hash_leaf(leaf) for leaf in await leaves()).root(25)
    await set_note(25, sign_checkpoint(Checkpoint(ORIGIN, 25, root), [mallory]))
    with pytest.raises(CheckpointSignatureError, match="no verifiable signatures") as caught:
        await export_and_verify(tmp_path, signer)
    assert caught.value.position == 1


async def test_a_signed_root_that_the_entries_do_not_give_is_named(
    signer: Signer, tmp_path: Path
) -> None:
    wrong_root = MemoryTree(hash_leaf(leaf) for leaf in await leaves()).root(24)
    await set_note(25, sign_checkpoint(Checkpoint(ORIGIN, 25, wrong_root), [signer]))
    with pytest.raises(CheckpointRootMismatchError) as caught:
        await export_and_verify(tmp_path, signer)
    assert (caught.value.position, caught.value.size, caught.value.expected) == (1, 25, wrong_root)
