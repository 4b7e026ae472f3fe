"""Benchmark how a burst of logins slows everyone else: /healthz idle, then during the burst.

The real server: `docket serve` (uvicorn) in a subprocess on a free loopback port, with a
temporary SQLite database migrated like `docket migrate` and --clients users. A prober asks
for /healthz one request after another:

- idle, --probes times (the baseline);
- while --clients clients each log in --logins times in a row with their right password
  (Argon2id checks; 8 x 3 = 24 by default), until the last login is answered.

Goal: the probe's median during the burst within a few times its idle median (Argon2 on the
event loop made it ~300x, worst case near a second). Prints figures only; asserts nothing.

Run: .venv/bin/python bench/login_burst.py [--clients 8] [--logins 3] [--probes 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from domain.identity import users
from domain.shared import database
from domain.shared.model import Actor, ActorKind, Role

ROOT_DIR = Path(__file__).resolve().parents[1]
ROOT = Actor(kind=ActorKind.CLI, id=None, role=Role.ADMIN, name="cli:bench")
PASSWORD = "bench-password-long-enough"  # noqa: S105 - a throwaway database
SECRET = "bench-secret-key-that-is-long-enough-0123456789"  # noqa: S105


async def seed(url: str, count: int) -> list[str]:
    """Migrate the database and create ``count`` specialists; their e-mail addresses."""
    async with database.connected(url, pool=False):
        await database.migrate()
        emails = []
        for i in range(count):
            new = users.NewUser(
                email=f"bench-{i}@docket.example",
                display_name=f"Bench {i}",
                role=Role.SPECIALIST,
                password=PASSWORD,
            )
            await users.create_user(
                new, actor=ROOT, now=datetime.now(tz=UTC), password_min_length=12
            )
            emails.append(new.email)
    return emails


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    """`docket serve` from this checkout, no scheduler, no lockout in the way."""
    env = {
        **os.environ,
        "DOCKET_DATA_DIR": str(data_dir),
        "DOCKET_DATABASE_URL": url,
        "DOCKET_SECRET_KEY": SECRET,
        "DOCKET_HOST": "127.0.0.1",
        "DOCKET_PORT": str(port),
        "DOCKET_LOG_LEVEL": "WARNING",
        "DOCKET_LOGIN_MAX_FAILURES": "1000",
    }
    command = [sys.executable, "-c", "from api.cli import main; main()", "serve", "--no-scheduler"]
    return subprocess.Popen(command, cwd=ROOT_DIR, env=env, stdout=subprocess.DEVNULL)  # noqa: S603


async def wait_until_up(client: httpx.AsyncClient) -> None:
    """Until /healthz answers (60 s at most)."""
    for _ in range(300):
        try:
            if (await client.get("/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.2)
    raise SystemExit("the server did not start")


async def probe(
    client: httpx.AsyncClient, *, count: int = 0, until: asyncio.Event | None = None
) -> list[float]:
    """/healthz one after another: ``count`` times, or until ``until`` is set; seconds each."""
    times: list[float] = []
    while (count and len(times) < count) or (until is not None and not until.is_set()):
        started = time.perf_counter()
        response = await client.get("/healthz")
        times.append(time.perf_counter() - started)
        assert response.status_code == 200  # noqa: S101
    return times


async def log_in(base_url: str, email: str, times: int) -> list[int]:
    """One client: ``times`` logins in a row; their statuses."""
    async with httpx.AsyncClient(base_url=base_url, timeout=120) as client:
        statuses = []
        for _ in range(times):
            body = {"email": email, "password": PASSWORD}
            statuses.append((await client.post("/api/v1/auth/login", json=body)).status_code)
        return statuses


async def measure(base_url: str, emails: list[str], logins: int, probes: int) -> None:
    """Idle probes, then probes during the burst; print medians, worst cases and ratios."""
    async with httpx.AsyncClient(base_url=base_url, timeout=120) as prober:
        await wait_until_up(prober)
        await probe(prober, count=20)  # warm up
        idle = await probe(prober, count=probes)
        done = asyncio.Event()
        during = asyncio.create_task(probe(prober, until=done))
        started = time.perf_counter()
        results = await asyncio.gather(*(log_in(base_url, e, logins) for e in emails))
        burst_s = time.perf_counter() - started
        done.set()
        busy = await during
    statuses = [s for r in results for s in r]
    ok = statuses.count(200)
    idle_ms, busy_ms = statistics.median(idle) * 1e3, statistics.median(busy) * 1e3
    print(f"{len(statuses)} logins from {len(emails)} clients: {ok} answered 200, {burst_s:.2f} s")
    for name, times in (("idle", idle), ("during the burst", busy)):
        print(
            f"/healthz {name:<16} median {statistics.median(times) * 1e3:7.2f} ms"
            f"  worst {max(times) * 1e3:7.2f} ms  ({len(times)} probes)"
        )
    print(
        f"ratio burst / idle: median {busy_ms / idle_ms:.1f}x, worst {max(busy) / max(idle):.1f}x"
    )


def main() -> None:
    """Seed, serve, measure, stop."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--logins", type=int, default=3)
    parser.add_argument("--probes", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        emails = asyncio.run(seed(url, args.clients))
        port = free_port()
        server = start_server(url, Path(tmp), port)
        try:
            asyncio.run(measure(f"http://127.0.0.1:{port}", emails, args.logins, args.probes))
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
