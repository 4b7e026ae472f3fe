"""Export the log as a bundle (`audit.bundle`) that `audit.verify.verify_bundle` checks offline.

The bundle ends at the latest signed checkpoint: entries appended after it are left out,
because nothing signed covers them yet (sign a checkpoint first for an up-to-date bundle).
The rows are read from one snapshot (REPEATABLE READ on PostgreSQL; a read transaction on
SQLite), so an erasure committed meanwhile cannot leave a change missing while its erasure
entry lies beyond the export. They stream in batches: memory stays flat for millions of
entries. `write_bundle` is synchronous and runs in a worker thread that pulls each batch
from the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Final, TypeVar

from piccolo.engine.postgres import PostgresEngine

from audit.bundle import write_bundle
from audit.bundle_zip import zip_bundle
from audit.checkpoint_store import checkpoint_notes
from audit.entry import ChangeRecord
from audit.errors import NoCheckpointError
from audit.keys import verifier_keys
from audit.tables import AuditChangeTable, AuditCheckpointTable, AuditLeafTable

BATCH: Final = 5000
QUEUED_CHUNKS: Final = 4
"""How far the archive's producer may run ahead of a slow download."""
Progress = Callable[[int, int], None]
"""progress(entries_done, entries_total)."""

_T = TypeVar("_T")


async def _leaves(upto: int, progress: Progress | None) -> AsyncIterator[list[bytes]]:
    after, done = -1, 0
    while rows := await AuditLeafTable.raw(
        "SELECT entry_index, leaf FROM audit_leaf WHERE entry_index > {} AND entry_index < {}"
        " ORDER BY entry_index LIMIT {}",
        after,
        upto,
        BATCH,
    ):
        after, done = int(rows[-1]["entry_index"]), done + len(rows)
        yield [bytes(row["leaf"]) for row in rows]
        if progress is not None:
            progress(done, upto)


async def _changes(upto: int) -> AsyncIterator[list[ChangeRecord]]:
    after = -1
    while rows := await AuditChangeTable.raw(
        "SELECT entry_index, salt, change_json FROM audit_change"
        " WHERE entry_index > {} AND entry_index < {} ORDER BY entry_index LIMIT {}",
        after,
        upto,
        BATCH,
    ):
        after = int(rows[-1]["entry_index"])
        yield [
            ChangeRecord(int(row["entry_index"]), bytes(row["salt"]), bytes(row["change_json"]))
            for row in rows
        ]


def _pull(batches: AsyncIterator[list[_T]], loop: asyncio.AbstractEventLoop) -> Iterator[_T]:
    """Iterate an async iterator of batches from a worker thread, one batch at a time."""

    async def step() -> list[_T] | None:
        return await anext(batches, None)

    while (batch := asyncio.run_coroutine_threadsafe(step(), loop).result()) is not None:
        yield from batch


async def _export(directory: Path, progress: Progress | None) -> int:
    rows = await AuditCheckpointTable.raw("SELECT MAX(tree_size) AS size FROM audit_checkpoint")
    if rows[0]["size"] is None:
        raise NoCheckpointError
    upto = int(rows[0]["size"])
    vkeys = [key.vkey for key in await verifier_keys()]
    loop = asyncio.get_running_loop()
    return await asyncio.to_thread(
        write_bundle,
        directory,
        _pull(_leaves(upto, progress), loop),
        _pull(_changes(upto), loop),
        _pull(checkpoint_notes(upto), loop),
        vkeys,
    )


@contextlib.asynccontextmanager
async def _snapshot() -> AsyncIterator[None]:
    """One read snapshot of the log (or the caller's transaction, if one is open)."""
    engine = AuditLeafTable._meta.db
    fresh = engine.current_transaction.get() is None
    async with engine.transaction():
        if fresh and isinstance(engine, PostgresEngine):
            await AuditLeafTable.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


async def export_bundle(directory: Path, *, progress: Progress | None = None) -> int:
    """Write the bundle of the log up to its latest signed checkpoint; return its entries.

    Runs in a read snapshot of its own, or in the caller's transaction if one is open.

    Raises:
        NoCheckpointError: if the log has no signed checkpoint.
        OSError: if the bundle cannot be written.
    """
    async with _snapshot():
        return await _export(directory, progress)


async def _produce(folder: str, upto: int, queue: asyncio.Queue[bytes | Exception | None]) -> None:
    try:
        async with _snapshot():
            vkeys = [key.vkey for key in await verifier_keys()]
            chunks = zip_bundle(
                folder, _leaves(upto, None), _changes(upto), checkpoint_notes(upto), vkeys
            )
            async for chunk in chunks:
                if chunk:
                    await queue.put(chunk)
    except Exception as exc:
        await queue.put(exc)
        return
    await queue.put(None)


async def stream_bundle(folder: str, upto: int) -> AsyncIterator[bytes]:
    """The ZIP archive of the bundle up to the signed checkpoint of size ``upto``, in pieces.

    ``upto`` must be the size of a signed checkpoint (the bundle's last one). The rows are read
    from one snapshot, as `export_bundle` reads them. The snapshot's transaction lives in a
    task of its own, which hands the pieces over a short queue: the transaction is opened and
    closed in one task however the caller iterates, and a download stopped half-way cancels
    it (and so rolls the read transaction back).
    """
    queue: asyncio.Queue[bytes | Exception | None] = asyncio.Queue(maxsize=QUEUED_CHUNKS)
    task = asyncio.create_task(_produce(folder, upto, queue))
    try:
        while (item := await queue.get()) is not None:
            if isinstance(item, Exception):
                raise item
            yield item
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
