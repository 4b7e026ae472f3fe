"""The audit log in the database: append and erase in the caller's transaction, read, prove.

Every write runs inside the caller's write transaction (domain services own transactions)
and first takes the log's lock: `pg_advisory_xact_lock` on PostgreSQL; on SQLite the
caller's `BEGIN IMMEDIATE` already serializes writers. The next index is read under the
lock, so concurrent appends make one dense log; the primary keys on the index are the last
defence. A rollback of the caller's transaction takes the entry, its change and its tiles.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from datetime import datetime
from typing import Final

from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteTransaction, TransactionType

from audit import merkle
from audit.canonical import JsonValue, canonical_json
from audit.entry import (
    ERASER_ROLE,
    ERASURE_ACTION,
    ERASURE_SUBJECT,
    AuditEntry,
    ChangeRecord,
    Erasure,
    leaf_bytes,
    make_change,
    new_salt,
    parse_leaf,
)
from audit.errors import (
    ChangeAlreadyErasedError,
    EntryNotFoundError,
    InvalidRangeError,
    NotInTransactionError,
    TreeSizeError,
)
from audit.merkle import HASH_SIZE
from audit.tables import AuditChangeTable, AuditLeafTable
from audit.tile_store import entry_bundle, read_tile, store_tiles, with_tiles

__all__ = [
    "append",
    "changes_for",
    "changes_of",
    "consistency_proof",
    "entries",
    "entry_bundle",
    "erase_change",
    "inclusion_proof",
    "lock_log",
    "read_tile",
    "size",
]

_NO_COMMITMENT: Final = bytes(HASH_SIZE)  # a draft's, until its change is stored
LOCK_KEY: Final = 0x646F636B65742E61  # b"docket.a": the audit log's PostgreSQL advisory lock
MAX_PAGE: Final = 1000
IN_LIST: Final = 500  # ids per IN (…): under SQLite's oldest limit of 999 bound variables


async def lock_log() -> None:
    """Take the log's write lock, held until the caller's transaction ends.

    Raises:
        NotInTransactionError: outside a transaction, or in a deferred one on SQLite (whose
            read-then-write would fail with "database is locked" under concurrency).
    """
    engine = AuditLeafTable._meta.db
    transaction = engine.current_transaction.get()
    if transaction is None:
        raise NotInTransactionError("no transaction is open")
    if (
        isinstance(transaction, SQLiteTransaction)
        and transaction.transaction_type is TransactionType.deferred
    ):
        raise NotInTransactionError("on SQLite it must be a write transaction (BEGIN IMMEDIATE)")
    if isinstance(engine, PostgresEngine):
        await AuditLeafTable.raw("SELECT pg_advisory_xact_lock({})", LOCK_KEY)


async def size() -> int:
    """The number of entries in the log (committed, or written by this transaction)."""
    rows = await AuditLeafTable.raw("SELECT MAX(entry_index) AS last FROM audit_leaf")
    last = rows[0]["last"]
    return 0 if last is None else int(last) + 1


_INSERT_CHANGE: Final = (
    "INSERT INTO audit_change (entry_index, salt, change_json)"
    " SELECT COALESCE(MAX(entry_index) + 1, 0), {}, {} FROM audit_leaf RETURNING entry_index"
)


async def _store(draft: AuditEntry, change_json: bytes) -> int:
    """Store `draft` (a checked entry; index and commitment to be set) and its change.

    The change goes first, at the log's next index, read in the same statement under the
    log's lock: the change's bytes do not depend on the index, the leaf's do.
    """
    salt = new_salt()
    rows = await AuditChangeTable.raw(_INSERT_CHANGE, salt, change_json)
    index = int(rows[0]["entry_index"])
    commitment = ChangeRecord(index, salt, change_json).commitment()
    entry = dataclasses.replace(draft, index=index, commitment=commitment)
    leaf = leaf_bytes(entry)
    leaf_hash = merkle.hash_leaf(leaf)
    await AuditLeafTable.insert(
        AuditLeafTable(
            entry_index=index,
            leaf=leaf,
            leaf_hash=leaf_hash,
            actor_id=entry.actor_id,
            subject_type=entry.subject_type,
            subject_id=entry.subject_id,
            erased_index=None if entry.erasure is None else entry.erasure.index,
        )
    )
    await store_tiles(index, leaf_hash)
    return index


async def append(
    *,
    time: datetime,
    actor_id: str,
    actor_role: str,
    action: str,
    subject_type: str,
    subject_id: str,
    correlation_id: str,
    before: JsonValue,
    after: JsonValue,
) -> int:
    """Append an entry and its change `{"before": …, "after": …}`; return its index.

    Raises:
        NotInTransactionError: see `lock_log`.
        InvalidEntryError: if a field breaks the entry schema (`audit.entry`).
        NonCanonicalJsonError: if before or after has no RFC 8785 form.
    """
    draft = AuditEntry(  # checks the fields before anything is written
        index=0,
        time=time,
        actor_id=actor_id,
        actor_role=actor_role,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        correlation_id=correlation_id,
        commitment=_NO_COMMITMENT,
    )
    change_json = canonical_json(make_change(before, after))
    await lock_log()
    return await _store(draft, change_json)


async def _erased_by(index: int) -> int | None:
    row = await (
        AuditLeafTable.select(AuditLeafTable.entry_index)
        .where(AuditLeafTable.erased_index == index)
        .first()
    )
    return None if row is None else int(row["entry_index"])


async def erase_change(
    index: int, *, reason: str, actor_id: str, time: datetime, correlation_id: str
) -> int:
    """Erase the change of entry `index` as a logged act by an admin; return the new entry's index.

    The `audit.change_erased` entry is appended and the change deleted in the caller's
    transaction; the leaf, and with it every root and proof, stays as it was.

    Raises:
        NotInTransactionError: see `lock_log`.
        EntryNotFoundError: if there is no entry `index`.
        ChangeAlreadyErasedError: if an erasure entry already names `index`.
        InvalidEntryError: for an empty or too long reason, or a bad actor or correlation id.
    """
    await lock_log()
    position = await size()
    if not 0 <= index < position:
        raise EntryNotFoundError(index, position)
    erased_by = await _erased_by(index)
    if erased_by is not None:
        raise ChangeAlreadyErasedError(index, erased_by)
    draft = AuditEntry(
        index=position,
        time=time,
        actor_id=actor_id,
        actor_role=ERASER_ROLE,
        action=ERASURE_ACTION,
        subject_type=ERASURE_SUBJECT,
        subject_id=str(index),
        correlation_id=correlation_id,
        commitment=_NO_COMMITMENT,
        erasure=Erasure(index=index, reason=reason),
    )
    await _store(draft, canonical_json(make_change(None, None)))
    await AuditChangeTable.delete().where(AuditChangeTable.entry_index == index)
    return position


async def entries(
    start: int = 0,
    end: int | None = None,
    *,
    subject: tuple[str, str] | None = None,
    actor: str | None = None,
    limit: int = 100,
) -> list[AuditEntry]:
    """Entries with start <= index < end (no end: to the last), oldest first, at most `limit`.

    `subject` is (subject_type, subject_id); `actor` an actor id.

    Raises:
        InvalidRangeError: unless 0 <= start <= end and 0 < limit <= 1000.
    """
    if start < 0 or (end is not None and end < start) or not 0 < limit <= MAX_PAGE:
        raise InvalidRangeError(start, end, limit)
    query = AuditLeafTable.select(AuditLeafTable.leaf).where(AuditLeafTable.entry_index >= start)
    if end is not None:
        query = query.where(AuditLeafTable.entry_index < end)
    if subject is not None:
        query = query.where(AuditLeafTable.subject_type == subject[0]).where(
            AuditLeafTable.subject_id == subject[1]
        )
    if actor is not None:
        query = query.where(AuditLeafTable.actor_id == actor)
    rows = await query.order_by(AuditLeafTable.entry_index).limit(limit)
    return [parse_leaf(bytes(row["leaf"])) for row in rows]


async def changes_for(index: int) -> ChangeRecord | None:
    """The stored change of entry `index` with its salt; None once it was erased.

    Raises:
        EntryNotFoundError: if there is no entry `index`.
    """
    row = await (
        AuditChangeTable.select(AuditChangeTable.salt, AuditChangeTable.change_json)
        .where(AuditChangeTable.entry_index == index)
        .first()
    )
    if row is not None:
        return ChangeRecord(index, bytes(row["salt"]), bytes(row["change_json"]))
    current = await size()
    if not 0 <= index < current:
        raise EntryNotFoundError(index, current)
    return None


async def changes_of(indexes: Sequence[int]) -> dict[int, ChangeRecord]:
    """The stored changes of these entries with their salts, by index, in one query a page.

    An entry whose change was erased (or that does not exist) has none.
    """
    found: dict[int, ChangeRecord] = {}
    wanted = sorted(set(indexes))
    for start in range(0, len(wanted), IN_LIST):
        rows = await AuditChangeTable.select(
            AuditChangeTable.entry_index, AuditChangeTable.salt, AuditChangeTable.change_json
        ).where(AuditChangeTable.entry_index.is_in(wanted[start : start + IN_LIST]))
        for row in rows:
            index = int(row["entry_index"])
            found[index] = ChangeRecord(index, bytes(row["salt"]), bytes(row["change_json"]))
    return found


# A proof reads the log's size, then its tiles, in two statements and no transaction: the
# log only grows (its tables refuse UPDATE and DELETE) and a leaf's tiles are written in the
# leaf's transaction, so tiles read after a size was seen hold every hash of a tree that size.
async def _check_tree_size(tree_size: int) -> None:
    current = await size()
    if not 0 <= tree_size <= current:
        raise TreeSizeError(f"{tree_size} is not in 0..{current}, the log's size")


async def inclusion_proof(index: int, tree_size: int) -> list[bytes]:
    """PATH(index, D[tree_size]) of RFC 9162 §2.1.3.1, read from the tiles.

    Raises:
        TreeSizeError: if tree_size exceeds the log's size.
        EntryNotFoundError: unless 0 <= index < tree_size.
    """
    await _check_tree_size(tree_size)
    if not 0 <= index < tree_size:
        raise EntryNotFoundError(index, tree_size)
    return await with_tiles(functools.partial(merkle.inclusion_proof, index, tree_size), tree_size)


async def consistency_proof(first: int, second: int) -> list[bytes]:
    """PROOF(first, D[second]) of RFC 9162 §2.1.4.1, read from the tiles.

    Raises:
        TreeSizeError: unless 0 <= first <= second <= the log's size.
    """
    if not 0 <= first <= second:
        raise TreeSizeError(f"no consistency proof from size {first} to {second}")
    await _check_tree_size(second)
    return await with_tiles(functools.partial(merkle.consistency_proof, first, second), second)
