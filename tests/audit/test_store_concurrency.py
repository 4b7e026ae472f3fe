"""Concurrent appends make one dense, verifiable log: coroutines, processes, and a crash."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from piccolo.engine.postgres import PostgresEngine
from test_store import fields, given_signer, needs_pg, sign

from audit import store
from audit.export import export_bundle
from audit.note import Signer
from audit.tables import AuditLeafTable
from audit.verify import verify_bundle
from domain.shared import database

ROOT = Path(__file__).resolve().parents[2]
WORKER = """
import asyncio, sys
from datetime import UTC, datetime
from audit import store
from domain.shared import database

async def main(url, count, workers, tag):
    async with database.connected(url, pool=url.startswith("postgres")):
        todo = iter(range(count))

        async def worker():
            for i in todo:
                async with database.write_transaction():
                    await store.append(
                        time=datetime.now(UTC), actor_id=tag, actor_role="system",
                        action="test.appended", subject_type="test", subject_id=f"{tag}-{i}",
                        correlation_id=f"{tag}-{i}", before=None, after={"i": i},
                    )

        await asyncio.gather(*(worker() for _ in range(workers)))

asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]))
"""


@pytest.fixture
async def pooled(db: str) -> AsyncIterator[str]:
    """On PostgreSQL, a connection pool, so that 200 transactions do not open 200 connections."""
    engine = database.current_engine()
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=1, max_size=20)
    try:
        yield db
    finally:
        if isinstance(engine, PostgresEngine):
            await engine.close_connection_pool()


async def start_worker(url: str, count: int, workers: int, tag: str) -> asyncio.subprocess.Process:
    args = (url, str(count), str(workers), tag)
    return await asyncio.create_subprocess_exec(sys.executable, "-c", WORKER, *args, cwd=ROOT)


async def wait_for_entries(count: int) -> None:
    for _ in range(1200):  # 60 s
        if await store.size() >= count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"fewer than {count} entries after 60 s")


async def assert_verifies(signer: Signer, directory: Path) -> int:
    await sign(signer)
    size = await store.size()
    assert await export_bundle(directory) == size
    assert verify_bundle(directory, [signer.verifier().key()]).size == size
    return size


async def test_200_concurrent_appends_get_indexes_0_to_199(pooled: str, tmp_path: Path) -> None:
    async def append_one(i: int) -> int:
        async with database.write_transaction():
            return await store.append(**fields(i))

    indexes = await asyncio.gather(*(append_one(i) for i in range(200)))
    assert sorted(indexes) == list(range(200))
    signer = await given_signer()
    assert await assert_verifies(signer, tmp_path) == 200


@pytest.mark.pg
@needs_pg
async def test_two_processes_appending_together_make_one_dense_log(db: str, tmp_path: Path) -> None:
    workers = [await start_worker(db, 150, 6, tag) for tag in ("left", "right")]
    assert [await worker.wait() for worker in workers] == [0, 0]
    rows = await AuditLeafTable.raw(
        "SELECT actor_id, COUNT(*) AS n, COUNT(DISTINCT subject_id) AS d FROM audit_leaf"
        " GROUP BY actor_id ORDER BY actor_id"
    )
    assert [(r["actor_id"], r["n"], r["d"]) for r in rows] == [
        ("left", 150, 150),
        ("right", 150, 150),
    ]
    signer = await given_signer()
    assert await assert_verifies(signer, tmp_path) == 300


async def test_a_process_killed_amid_concurrent_appends_leaves_a_log_that_verifies(
    db: str, tmp_path: Path
) -> None:
    worker = await start_worker(db, 100_000, 8, "doomed")
    try:
        await wait_for_entries(100)
    finally:
        worker.send_signal(signal.SIGKILL)
        assert await worker.wait() == -signal.SIGKILL
    signer = await given_signer()
    async with database.write_transaction():
        after = await store.append(**fields(0))  # the log takes appends again
    size = await assert_verifies(signer, tmp_path)
    assert size == after + 1 >= 101
