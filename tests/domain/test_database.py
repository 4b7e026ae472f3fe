"""The SQLite engine that keeps its connections between queries: reuse, failure, concurrency."""

from __future__ import annotations

import asyncio
import sqlite3

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
