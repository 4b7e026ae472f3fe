"""Login attempts in and out of their table; the lockout's locks on both engines."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime

from piccolo.engine.postgres import PostgresEngine

from domain.identity.tables import LoginFailureTable
from domain.shared.rows import aware


def _lock_id(key: str) -> int:
    """A signed 64-bit advisory-lock id for ``key`` (the first 8 bytes of its SHA-256)."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


async def lock_keys(keys: Iterable[str]) -> None:
    """Hold a lock on each key until the caller's write transaction ends.

    SQLite's write transaction (BEGIN IMMEDIATE) already admits one writer at a time. On
    PostgreSQL two transactions could both count four failures and both add a fifth, so each
    key takes an advisory lock, always in the same order (no deadlock between two logins).
    """
    if not isinstance(LoginFailureTable._meta.db, PostgresEngine):
        return
    for lock_id in sorted({_lock_id(k) for k in keys}):
        await LoginFailureTable.raw("SELECT pg_advisory_xact_lock({})", lock_id)


async def recent(key: str, *, since: datetime, limit: int) -> list[datetime]:
    """The times of the newest ``limit`` attempts counted against ``key`` after ``since``."""
    rows = (
        await LoginFailureTable.select(LoginFailureTable.failed_at)
        .where((LoginFailureTable.key == key) & (LoginFailureTable.failed_at > since))
        .order_by(LoginFailureTable.failed_at, ascending=False)
        .limit(limit)
        .run()
    )
    return [aware(r["failed_at"]) for r in rows]


async def add(keys: Sequence[str], *, at: datetime) -> list[int]:
    """Count one attempt against each key; the ids of the rows written."""
    rows = (
        await LoginFailureTable.insert(*(LoginFailureTable(key=k, failed_at=at) for k in keys))
        .returning(LoginFailureTable._meta.primary_key)
        .run()
    )
    return [int(r["id"]) for r in rows]


async def forget(*, keys: Sequence[str], ids: Sequence[int]) -> None:
    """Remove every attempt counted against ``keys``, and the rows ``ids``."""
    await (
        LoginFailureTable.delete()
        .where(
            LoginFailureTable.key.is_in(list(keys))
            | LoginFailureTable._meta.primary_key.is_in(list(ids))
        )
        .run()
    )
