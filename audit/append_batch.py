"""Appending several entries in one transaction: one lock, one size read, one tile update.

`audit.store.append` costs a few statements per entry (the change at the next index, the
leaf, the tiles it completes). A caller that changes many rows in one transaction (the
reminder sweep marking a batch of notifications sent) appends their entries together: the
index of the first is read once under the log's lock, the changes and leaves go in one
INSERT each per chunk, and the tiles the batch completes are computed from the right edge
once. The result is the same log, byte for byte, as appending the entries one by one (the
salts aside): dense indexes in the given order, each leaf committing to its own change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from audit import merkle
from audit.canonical import JsonValue, canonical_json
from audit.entry import AuditEntry, ChangeRecord, leaf_bytes, make_change, new_salt
from audit.merkle import HASH_SIZE
from audit.store import lock_log, size
from audit.tables import AuditLeafTable
from audit.tile_store import store_tiles_for

__all__ = ["NewEntry", "append_batch"]

_ROWS_PER_INSERT: Final = 200
"""Rows per INSERT: 6 columns each stays far under SQLite's limit of bound variables."""


_CHANGES: Final = "audit_change (entry_index, salt, change_json)"
_LEAVES: Final = "audit_leaf (entry_index, leaf, leaf_hash, actor_id, subject_type, subject_id)"


async def _insert(into: str, rows: Sequence[tuple[object, ...]]) -> None:
    """One multi-row INSERT written as SQL (a Piccolo row object per entry costs more)."""
    values = "(" + ",".join("{}" for _ in rows[0]) + ")"
    await AuditLeafTable.raw(
        f"INSERT INTO {into} VALUES {','.join([values] * len(rows))}",  # noqa: S608 - constants
        *(value for row in rows for value in row),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class NewEntry:
    """The fields of one entry to append (what `audit.store.append` takes)."""

    time: datetime
    actor_id: str
    actor_role: str
    action: str
    subject_type: str
    subject_id: str
    correlation_id: str
    before: JsonValue
    after: JsonValue


async def append_batch(entries: Sequence[NewEntry]) -> list[int]:
    """Append `entries` in order in the caller's write transaction; return their indexes.

    Every entry is checked before anything is written, so one bad entry writes none.

    Raises:
        NotInTransactionError: see `audit.store.lock_log`.
        InvalidEntryError: if a field breaks the entry schema (`audit.entry`).
        NonCanonicalJsonError: if a before or after has no RFC 8785 form.
    """
    drafts = [
        (
            AuditEntry(
                index=0,
                time=e.time,
                actor_id=e.actor_id,
                actor_role=e.actor_role,
                action=e.action,
                subject_type=e.subject_type,
                subject_id=e.subject_id,
                correlation_id=e.correlation_id,
                commitment=bytes(HASH_SIZE),
            ),
            canonical_json(make_change(e.before, e.after)),
        )
        for e in entries
    ]
    await lock_log()
    if not drafts:
        return []
    first = await size()  # under the lock: no other writer can take these indexes
    changes: list[tuple[object, ...]] = []
    leaves: list[tuple[object, ...]] = []
    hashes: list[bytes] = []
    for index, (draft, change_json) in enumerate(drafts, start=first):
        salt = new_salt()
        commitment = ChangeRecord(index, salt, change_json).commitment()
        leaf = leaf_bytes(dataclasses.replace(draft, index=index, commitment=commitment))
        leaf_hash = merkle.hash_leaf(leaf)
        hashes.append(leaf_hash)
        changes.append((index, salt, change_json))
        leaves.append(
            (index, leaf, leaf_hash, draft.actor_id, draft.subject_type, draft.subject_id)
        )
    for start in range(0, len(drafts), _ROWS_PER_INSERT):
        await _insert(_CHANGES, changes[start : start + _ROWS_PER_INSERT])
        await _insert(_LEAVES, leaves[start : start + _ROWS_PER_INSERT])
    await store_tiles_for(first, hashes)
    return list(range(first, first + len(drafts)))
