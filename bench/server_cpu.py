"""Benchmark server CPU per request: Docket against a bare Litestar app doing one SELECT, one run.

Both apps run in this process under Litestar's AsyncTestClient (the ASGI app, no sockets), on
the same temporary SQLite file, migrated like `docket migrate`, holding --requests requests
logged through the service. CPU time is `time.process_time()` (every thread, the database's
included) over --rounds calls of each, alternately:

- the baseline: a bare Litestar app whose handler runs one SELECT of a request row by id on a
  kept aiosqlite connection and returns it as JSON;
- Docket, with an API token: GET /api/v1/requests/{id}, GET /api/v1/requests (first page, 50),
  POST /api/v1/requests (deadline, reference, insert, audit entry).

Goal: reads within 3x, a create within 4x of the baseline. Prints figures only; asserts nothing.
`--profile get|list|create` prints the functions that cost the most in that call (cProfile).

Run: .venv/bin/python -m bench.server_cpu [--rounds 300] [--requests 200] [--profile get]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import pstats
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite
from litestar import Litestar, get
from litestar.testing import AsyncTestClient
from litestar.types import Receive, Scope, Send

from api.app import create_app
from api.settings import (
    AuthSettings,
    DatabaseSettings,
    Secret,
    ServerSettings,
    Settings,
    StorageSettings,
)
from bench.create_concurrency import body
from bench.create_concurrency import seed as seed_token
from bench.login_burst import SECRET

Call = Callable[[], Awaitable[object]]


def bare_app(path: Path) -> Litestar:
    """One SELECT by id on a kept connection, the row as JSON."""
    state: dict[str, aiosqlite.Connection] = {}

    @asynccontextmanager
    async def connected(_: Litestar) -> AsyncIterator[None]:
        state["db"] = await aiosqlite.connect(path)
        state["db"].row_factory = aiosqlite.Row
        try:
            yield
        finally:
            await state["db"].close()

    @get("/requests/{request_id:str}")
    async def get_request(request_id: str) -> dict[str, object]:
        sql = "SELECT * FROM regulatory_request WHERE id = ?"
        async with state["db"].execute(sql, (request_id,)) as cursor:
            row = await cursor.fetchone()
        return dict(row) if row is not None else {}

    return Litestar(route_handlers=[get_request], lifespan=[connected])


def docket_settings(url: str, data_dir: Path) -> Settings:
    """Docket as `docket serve` would run it here."""
    return Settings(
        storage=StorageSettings(data_dir=data_dir),
        database=DatabaseSettings(url=url),
        server=ServerSettings(base_url="http://docket.bench"),
        auth=AuthSettings(secret_key=Secret(SECRET)),
    )


def cpu_per_call(call: Call, rounds: int) -> Awaitable[float]:
    """CPU seconds per call, over ``rounds`` calls."""

    async def run() -> float:
        started = time.process_time()
        for _ in range(rounds):
            await call()
        return (time.process_time() - started) / rounds

    return run()


class Profiled:
    """The app, profiled while it answers HTTP (in the test client's thread, where it runs)."""

    def __init__(self, app: Litestar) -> None:
        """Wrap ``app``; profiling starts with ``on``."""
        self.app = app
        self.profiler = cProfile.Profile()
        self.on = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer as the app does."""
        if not (self.on and scope["type"] == "http"):
            await self.app(scope, receive, send)
            return
        self.profiler.enable()
        try:
            await self.app(scope, receive, send)
        finally:
            self.profiler.disable()


async def profile(app: Profiled, call: Call, rounds: int) -> None:
    """Print the top of a cProfile of ``rounds`` calls, inside the app."""
    app.on = True
    for _ in range(rounds):
        await call()
    stats = pstats.Stats(app.profiler)
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(40)


async def measure(url: str, path: Path, data_dir: Path, args: argparse.Namespace) -> None:
    """Seed, then alternate the baseline and Docket's calls; print CPU per call and ratios."""
    authority_id, secret = await seed_token(url)
    headers = {"Authorization": f"Bearer {secret}"}
    app = Profiled(create_app(docket_settings(url, data_dir), run_scheduler=False))
    async with AsyncTestClient(app=app) as docket, AsyncTestClient(app=bare_app(path)) as bare:
        ids = []
        for n in range(args.requests):
            response = await docket.post(
                "/api/v1/requests", json=body(authority_id, n), headers=headers
            )
            ids.append(response.json()["id"])
        one = ids[len(ids) // 2]
        counter = iter(range(10**9))

        async def baseline() -> object:
            return (await bare.get(f"/requests/{one}")).json()

        async def get_one() -> object:
            return (await docket.get(f"/api/v1/requests/{one}", headers=headers)).json()

        async def first_page() -> object:
            return (await docket.get("/api/v1/requests", headers=headers)).json()

        async def create() -> object:
            payload = body(authority_id, next(counter))
            return (await docket.post("/api/v1/requests", json=payload, headers=headers)).json()

        calls: dict[str, Call] = {"get": get_one, "list": first_page, "create": create}
        for call in (baseline, *calls.values()):  # warm up
            for _ in range(20):
                await call()
        if args.profile:
            await profile(app, calls[args.profile], args.rounds)
            return
        base: list[float] = []
        ours: dict[str, list[float]] = {name: [] for name in calls}
        for _ in range(args.repeats):
            base.append(await cpu_per_call(baseline, args.rounds))
            for name, call in calls.items():
                ours[name].append(await cpu_per_call(call, args.rounds))
    b = sorted(base)[len(base) // 2]
    goals = {"get": 3, "list": 3, "create": 4}
    print(f"bare Litestar, one SELECT     {b * 1e3:6.2f} ms CPU per request")
    for name, times in ours.items():
        t = sorted(times)[len(times) // 2]
        print(
            f"docket {name:<6}                {t * 1e3:6.2f} ms CPU per request,"
            f" ratio {t / b:4.1f}x  (goal <= {goals[name]}x)"
        )


def main() -> None:
    """Measure in a temporary data directory."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", choices=["get", "list", "create"])
    args = parser.parse_args()
    logging.disable(logging.INFO)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        asyncio.run(measure(f"sqlite:///{path}", path, Path(tmp), args))


if __name__ == "__main__":
    main()
