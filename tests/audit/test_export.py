"""audit.export: a bundle of the stored log that the offline verifier accepts."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from test_store import T0, append_many, given_signer, sign

from audit import export, store
from audit.bundle import CHANGES, ENTRIES, read_checkpoints, read_keys
from audit.entry import ChangeRecord
from audit.errors import NoCheckpointError
from audit.verify import Redaction, verify_bundle
from domain.shared import database


async def test_the_bundle_verifies_with_the_public_key_alone(db: str, tmp_path: Path) -> None:
    signer = await given_signer()
    await append_many(10)
    await sign(signer)
    await append_many(5, first=10)
    async with database.write_transaction():
        await store.erase_change(
            3, reason="court order 7", actor_id="a", time=T0, correlation_id="c"
        )
    await sign(signer)
    assert await export.export_bundle(tmp_path) == 16
    report = verify_bundle(tmp_path, [signer.verifier().key()])
    assert (report.size, report.checkpoints, report.changes) == (16, 2, 15)
    assert report.redactions == (Redaction(index=3, erased_by=15, reason="court order 7"),)
    assert read_keys(tmp_path) == [signer.verifier().key()]


async def test_the_bundle_ends_at_the_latest_signed_checkpoint(db: str, tmp_path: Path) -> None:
    signer = await given_signer()
    await append_many(4)
    await sign(signer)
    await append_many(3, first=4)  # not covered by any checkpoint: left out
    assert await export.export_bundle(tmp_path) == 4
    assert len((tmp_path / ENTRIES).read_bytes().splitlines()) == 4
    assert len((tmp_path / CHANGES).read_bytes().splitlines()) == 4
    assert verify_bundle(tmp_path, [signer.verifier().key()]).size == 4


async def test_an_empty_log_exports_once_it_has_a_checkpoint(db: str, tmp_path: Path) -> None:
    with pytest.raises(NoCheckpointError):
        await export.export_bundle(tmp_path)
    signer = await given_signer()
    await sign(signer)
    assert await export.export_bundle(tmp_path) == 0
    assert verify_bundle(tmp_path, [signer.verifier().key()]).size == 0


async def test_rows_stream_in_batches_and_progress_is_reported(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "BATCH", 7)
    signer = await given_signer()
    for first in range(0, 30, 10):
        await append_many(10, first=first)
        await sign(signer)
    seen: list[tuple[int, int]] = []
    assert await export.export_bundle(tmp_path, progress=lambda *p: seen.append(p)) == 30
    assert seen == [(7, 30), (14, 30), (21, 30), (28, 30), (30, 30)]
    assert len(read_checkpoints(tmp_path)) == 3
    assert verify_bundle(tmp_path, [signer.verifier().key()]).changes == 30


async def test_an_erasure_during_the_export_does_not_tear_the_bundle(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    signer = await given_signer()
    await append_many(5)
    await sign(signer)

    async def erase() -> None:
        async with database.write_transaction():
            await store.erase_change(2, reason="r", actor_id="a", time=T0, correlation_id="c")

    read_changes = export._changes

    async def changes_after_an_erasure(upto: int) -> AsyncIterator[list[ChangeRecord]]:
        # commits in its own transaction after the leaves were read, before the changes are
        await asyncio.create_task(erase(), context=contextvars.Context())
        async for batch in read_changes(upto):
            yield batch

    monkeypatch.setattr(export, "_changes", changes_after_an_erasure)
    assert await export.export_bundle(tmp_path) == 5
    assert await store.changes_for(2) is None  # erased meanwhile, but the snapshot has it
    assert verify_bundle(tmp_path, [signer.verifier().key()]).changes == 5


async def test_an_export_can_run_in_the_callers_transaction(db: str, tmp_path: Path) -> None:
    signer = await given_signer()
    await append_many(2)
    await sign(signer)
    async with database.write_transaction():
        assert await export.export_bundle(tmp_path) == 2
    assert verify_bundle(tmp_path, [signer.verifier().key()]).size == 2
