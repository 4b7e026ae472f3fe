"""Benchmark the CSV export of every request, at two sizes, in one run.

A temporary SQLite database gets one request logged through the real service and copies of it
(plain sqlite3). Then GET /api/v1/requests/export.csv streams every row through the real app
(ASGI, in this process) and the bench counts the rows it received.

Goal: at least 20,000 rows/s, and the same rate at 10,000 and 100,000 requests (an export that
grows quadratically shows here). Prints figures only; asserts nothing.

Run: .venv/bin/python bench/csv_export.py [--sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
from pathlib import Path

from litestar.testing import AsyncTestClient

from api.app import create_app
from api.settings import AuthSettings, DatabaseSettings, Secret, Settings, StorageSettings
from bench.list_paging import NOW, ROOT, fill, seed
from domain.identity import tokens
from domain.shared import database
from domain.shared.model import Role


class FixedClock:
    """The bench's clock stands still."""

    def now(self):  # noqa: ANN201 - the Clock protocol
        return NOW


async def token_for(url: str) -> str:
    """An API token of a specialist."""
    async with database.connected(url):
        issued = await tokens.create_token(
            name="bench", role=Role.SPECIALIST, expires_in=None, actor=ROOT, now=NOW
        )
    return issued.secret


async def export(url: str, data_dir: Path, token: str) -> tuple[int, float]:
    """Rows received and seconds for one whole export."""
    settings = Settings(
        storage=StorageSettings(data_dir=data_dir),
        database=DatabaseSettings(url=url),
        auth=AuthSettings(secret_key=Secret("b" * 48)),
    )
    app = create_app(settings, clock=FixedClock(), run_scheduler=False)
    async with AsyncTestClient(app=app) as client:
        start = time.perf_counter()
        response = await client.get(
            "/api/v1/requests/export.csv", headers={"Authorization": f"Bearer {token}"}
        )
        elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.text[:300]  # noqa: S101 - a bench sanity check
    return response.text.count("\r\nREQ-") + response.text.count(",REQ-"), elapsed


def main() -> None:
    """Build the database size by size, exporting at each."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    logging.disable(logging.INFO)
    print("goal: >= 20,000 rows/s, the same at every size")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        url = f"sqlite:///{path}"
        asyncio.run(seed(url))
        token = asyncio.run(token_for(url))
        for size in sorted(args.sizes):
            fill(path, size)
            rows, seconds = asyncio.run(export(url, Path(tmp), token))
            rate = rows / seconds
            print(f"{size:>9,} requests: {rows:,} rows in {seconds:5.2f} s, {rate:8,.0f} rows/s")


if __name__ == "__main__":
    main()
