"""The SQLite engine that keeps its connections between queries: reuse, failure, concurrency."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat

import pytest

from domain.identity.tables import UserTable
from domain.shared import database
from domain.shared.database import ReusingSQLiteEngine
from domain.shared.model import Role
from tests.conftest import ENGINE, make_user

sqlite_only = pytest.mark.skipif(ENGINE == "postgres", reason="SQLite engine behaviour")


@sqlite_only
async def test_queries_outside_a_transaction_reuse_their_connections(database_url: str) -> None:
    async with database.connected(database_url, pool=True) as engine:
        assert isinstance(engine, ReusingSQLiteEngine)
        await make_user(Role.SPECIALIST)
        await UserTable.count().run()
        kept = list(engine._idle)
        assert len(kept) == 1
        for _ in range(5):
            await UserTable.count().run()
        assert engine._idle == kept  # the same connection, not five new ones
    assert engine._idle == []  # closed when the database is disconnected


@sqlite_only
async def test_a_failing_query_does_not_return_its_connection(database_url: str) -> None:
    async with database.connected(database_url, pool=True) as engine:
        await UserTable.count().run()
        kept = list(engine._idle)
        with pytest.raises(sqlite3.OperationalError):
            await engine.run_ddl("SELECT * FROM no_such_table")
        assert kept[0] not in engine._idle


@sqlite_only
async def test_concurrent_queries_each_get_a_connection_and_see_committed_rows(
    database_url: str,
) -> None:
    async with database.connected(database_url, pool=True) as engine:
        await make_user(Role.LEGAL)
        counts = await asyncio.gather(*(UserTable.count().run() for _ in range(8)))
        assert counts == [1] * 8
        assert 1 <= len(engine._idle) <= 4  # max_idle
        await make_user(Role.LEGAL)  # a write in a transaction, on its own connection
        assert await UserTable.count().run() == 2  # a kept connection sees the new row


@sqlite_only
async def test_a_new_sqlite_database_and_its_wal_files_are_readable_by_their_owner_alone(
    tmp_path,
) -> None:
    previous = os.umask(0o022)  # the usual umask: new files would be world-readable
    try:
        path = tmp_path / "var" / "docket.sqlite3"
        async with database.connected(f"sqlite:///{path}", pool=True):
            await database.migrate()
            await make_user(Role.SPECIALIST)
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in path.parent.iterdir()}
    finally:
        os.umask(previous)
    assert set(modes) >= {"docket.sqlite3", "docket.sqlite3-wal", "docket.sqlite3-shm"}
    assert modes == dict.fromkeys(modes, 0o600)


@sqlite_only
def test_an_existing_world_readable_sqlite_database_is_made_private(tmp_path) -> None:
    path = tmp_path / "docket.sqlite3"
    for name in ("docket.sqlite3", "docket.sqlite3-wal", "docket.sqlite3-shm"):
        (tmp_path / name).write_bytes(b"")
        (tmp_path / name).chmod(0o644)
    database.engine_from_url(f"sqlite:///{path}")
    modes = [stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()]
    assert modes == [0o600, 0o600, 0o600]
