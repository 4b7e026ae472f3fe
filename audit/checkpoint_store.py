"""Signed checkpoints of the log: sign one when the log has grown, keep every one, read them.

A checkpoint (C2SP tlog-checkpoint) is signed by the log's active key in the caller's write
transaction, under the log's lock, over the root recomputed from the tiles.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Final

from audit.checkpoint import Checkpoint, sign_checkpoint
from audit.errors import SigningKeyError
from audit.note import Signer
from audit.store import lock_log, size
from audit.tables import AuditCheckpointTable, AuditSigningKeyTable
from audit.tile_store import tree_root

BATCH: Final = 1000


async def _latest() -> tuple[int, bytes] | None:
    rows = await AuditCheckpointTable.raw(
        "SELECT tree_size, note FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1"
    )
    return (int(rows[0]["tree_size"]), str(rows[0]["note"]).encode()) if rows else None


async def latest_checkpoint() -> bytes | None:
    """The latest signed checkpoint note (C2SP tlog-checkpoint), or None before the first."""
    latest = await _latest()
    return None if latest is None else latest[1]


async def checkpoint_at(tree_size: int) -> bytes | None:
    """The signed checkpoint note of size ``tree_size``, or None if none was signed there."""
    rows = await AuditCheckpointTable.raw(
        "SELECT note FROM audit_checkpoint WHERE tree_size = {}", tree_size
    )
    return str(rows[0]["note"]).encode() if rows else None


async def sign_checkpoint_if_grown(signer: Signer, origin: str, *, now: datetime) -> bytes | None:
    """Sign and keep a checkpoint if the log grew since the latest one; return its note.

    The first checkpoint is signed even for an empty log. Runs in the caller's write
    transaction under the log's lock, so the size signed is the size read.

    Raises:
        NotInTransactionError: see `lock_log`.
        SigningKeyError: unless the signer's key is registered and not retired.
        MalformedCheckpointError: for an origin that is not a single non-empty line.
    """
    await lock_log()
    vkey = signer.verifier().key()
    active = await AuditSigningKeyTable.exists().where(
        (AuditSigningKeyTable.vkey == vkey) & AuditSigningKeyTable.retired_at.is_null()
    )
    if not active:
        raise SigningKeyError(vkey, "not registered, or retired (see audit.keys.register_key)")
    tree_size, latest = await size(), await _latest()
    if latest is not None and latest[0] >= tree_size:
        return None
    root = await tree_root(tree_size)
    note = sign_checkpoint(Checkpoint(origin, tree_size, root), [signer])
    await AuditCheckpointTable.insert(
        AuditCheckpointTable(
            tree_size=tree_size,
            note=note.decode(),
            key_id=f"{signer.key_id:08x}",
            created_at=now.astimezone(UTC),
        )
    )
    return note


async def checkpoint_notes(upto: int, batch: int = BATCH) -> AsyncIterator[list[bytes]]:
    """Every signed checkpoint note with tree size <= upto, oldest first, in batches."""
    after = -1
    while True:
        rows = await AuditCheckpointTable.raw(
            "SELECT tree_size, note FROM audit_checkpoint WHERE tree_size > {} AND tree_size <= {}"
            " ORDER BY tree_size LIMIT {}",
            after,
            upto,
            batch,
        )
        if not rows:
            return
        after = int(rows[-1]["tree_size"])
        yield [str(row["note"]).encode() for row in rows]
