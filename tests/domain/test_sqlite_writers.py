"""SQLite's writers of one process queue in order; every connection is set up the same way."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from domain.identity.tables import UserTable
from domain.shared import database
from domain.shared.database import ReusingSQLiteEngine
from domain.shared.model import Role
from tests.conftest import ENGINE, make_user

pytestmark = pytest.mark.skipif(ENGINE == "postgres", reason="SQLite engine behaviour")


def short_wait_engine(url: str, *, max_idle: int = 4) -> ReusingSQLiteEngine:
    """An engine whose busy timeout is far shorter than the writer below holds its lock."""
    path = url.removeprefix("sqlite:///")
    return ReusingSQLiteEngine(path=path, timeout=0.05, max_idle=max_idle)


async def pragma(engine: ReusingSQLiteEngine, name: str) -> object:
    rows = await engine.run_ddl(f"PRAGMA {name}")
    return next(iter(rows[0].values()))


async def test_every_connection_syncs_normally_with_foreign_keys_and_the_wal_persists(
    database_url: str,
) -> None:
    async with database.connected(database_url, pool=False) as engine:
        await database.prepare(engine)
    # a new engine, new connections: WAL is in the file; the rest is set on each connection
    engine = short_wait_engine(database_url, max_idle=0)
    assert await pragma(engine, "journal_mode") == "wal"
    assert await pragma(engine, "synchronous") == 1  # NORMAL
    assert await pragma(engine, "foreign_keys") == 1
    async with engine.transaction():
        assert await pragma(engine, "synchronous") == 1
        assert await pragma(engine, "foreign_keys") == 1


@pytest.mark.parametrize("max_idle", [0, 4], ids=["no kept connections", "kept connections"])
async def test_waiting_writers_take_their_turn_in_order_instead_of_timing_out(
    database_url: str, max_idle: int
) -> None:
    engine = database.use_engine(short_wait_engine(database_url, max_idle=max_idle))
    entered: list[int] = []

    async def writer(n: int) -> None:
        async with database.write_transaction():
            entered.append(n)
            await make_user(Role.SPECIALIST)
            await asyncio.sleep(0.2)  # holds SQLite's write lock 4x longer than the busy timeout

    tasks = []
    for n in range(5):
        tasks.append(asyncio.create_task(writer(n)))
        await asyncio.sleep(0)  # let each one start waiting before the next arrives
    await asyncio.gather(*tasks)
    assert entered == [0, 1, 2, 3, 4]
    assert await UserTable.count().run() == 5
    assert isinstance(engine, ReusingSQLiteEngine)
    await engine.close_idle()


async def test_a_write_outside_a_transaction_waits_for_the_writer_in_one(
    database_url: str,
) -> None:
    engine = database.use_engine(short_wait_engine(database_url))
    user = await make_user(Role.SPECIALIST)
    holding = asyncio.Event()

    async def slow_writer() -> None:
        async with database.write_transaction():
            await make_user(Role.LEGAL)
            holding.set()
            await asyncio.sleep(0.2)

    task = asyncio.create_task(slow_writer())
    await holding.wait()
    # a single UPDATE, no transaction: with only the busy timeout it would fail as locked
    await UserTable.update({UserTable.display_name: "Renamed"}).where(UserTable.id == user.id)
    await task
    assert await UserTable.count().run() == 2
    assert isinstance(engine, ReusingSQLiteEngine)
    await engine.close_idle()


async def test_reads_do_not_wait_for_a_writer(database_url: str) -> None:
    engine = database.use_engine(short_wait_engine(database_url))
    await make_user(Role.SPECIALIST)
    holding, release = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        async with database.write_transaction():
            await make_user(Role.LEGAL)
            holding.set()
            await release.wait()

    task = asyncio.create_task(writer())
    await holding.wait()
    assert await UserTable.count().run() == 1  # the committed state, while the writer holds on
    async with engine.transaction():  # a deferred (read) transaction does not queue either
        assert await UserTable.count().run() == 1
    release.set()
    await task
    assert await UserTable.count().run() == 2
    assert isinstance(engine, ReusingSQLiteEngine)
    await engine.close_idle()


async def test_a_failed_transaction_rolls_back_lets_the_next_writer_in_and_keeps_no_lock(
    database_url: str,
) -> None:
    engine = database.use_engine(short_wait_engine(database_url))
    assert isinstance(engine, ReusingSQLiteEngine)

    async def failing_change() -> None:
        async with database.write_transaction():
            await make_user(Role.SPECIALIST)
            await engine.run_ddl("INSERT INTO no_such_table VALUES (1)")

    with pytest.raises(sqlite3.OperationalError):
        await failing_change()
    assert not engine.writer_queue().locked()
    assert all(not c.in_transaction for c in engine._idle)
    async with database.write_transaction():
        await make_user(Role.LEGAL)
    assert await UserTable.count().run() == 1
    await engine.close_idle()


async def test_a_transaction_returns_its_connection_for_the_next_query(database_url: str) -> None:
    engine = database.use_engine(short_wait_engine(database_url))
    assert isinstance(engine, ReusingSQLiteEngine)
    async with database.write_transaction():
        await make_user(Role.SPECIALIST)
    kept = list(engine._idle)
    assert len(kept) == 1
    await UserTable.count().run()
    async with engine.transaction():
        await UserTable.count().run()
    assert engine._idle == kept
    await engine.close_idle()
