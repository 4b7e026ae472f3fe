"""The log's origin, stored in the database once, so that every process signs under one name.

Before this was stored, each process derived the origin from its own host and port, so a second
process on another port refused the key file (whose name is the origin). Now the first process
to open the log stores the origin; later ones read it. A log that has checkpoints but no stored
origin (made by an older Docket) keeps the origin of its checkpoints.
"""

from __future__ import annotations

from datetime import UTC, datetime

from audit.errors import OriginMismatchError
from audit.store import lock_log
from audit.tables import AuditCheckpointTable, AuditOriginTable


async def stored_origin() -> str | None:
    """The origin stored for the log, or None before the log is first opened."""
    row = await AuditOriginTable.select(AuditOriginTable.origin).first()
    return None if row is None else str(row["origin"])


async def _checkpoint_origin() -> str | None:
    """The origin line of the latest checkpoint (C2SP tlog-checkpoint: the note's first line)."""
    rows = await AuditCheckpointTable.raw(
        "SELECT note FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1"
    )
    return str(rows[0]["note"]).split("\n", 1)[0] if rows else None


async def settle_origin(proposed: str, *, configured: bool, now: datetime) -> str:
    """The log's origin: the stored one, else the checkpoints', else ``proposed`` (stored now).

    ``configured`` says that ``proposed`` was set by the operator, not derived: then it must be
    the log's origin. Runs in the caller's write transaction, under the log's lock, so two
    processes starting together store one origin.

    Raises:
        OriginMismatchError: a configured origin other than the log's.
        NotInTransactionError: see `audit.store.lock_log`.
    """
    await lock_log()
    origin = await stored_origin()
    if origin is None:
        origin = await _checkpoint_origin() or proposed
        if configured and origin != proposed:
            raise OriginMismatchError(proposed, origin)
        await AuditOriginTable.insert(
            AuditOriginTable(origin=origin, created_at=now.astimezone(UTC))
        )
    elif configured and origin != proposed:
        raise OriginMismatchError(proposed, origin)
    return origin


async def latest_signing_key_id() -> str | None:
    """The key ID that signed the latest checkpoint; None before the first checkpoint."""
    rows = await AuditCheckpointTable.raw(
        "SELECT key_id FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1"
    )
    return str(rows[0]["key_id"]) if rows else None
