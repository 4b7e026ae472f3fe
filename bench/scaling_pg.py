"""Benchmark: one and then two API processes on one PostgreSQL, under a create and list load.

A throwaway PostgreSQL cluster (the recipe of `tests/pgcluster.py`: unix socket only, fsync
off) is migrated like `docket migrate`; then `docket serve --no-scheduler` runs once as one
process and once as two, each on its own loopback port. 16 clients (httpx, asyncio) share the
processes round-robin; each client logs a request (`POST /api/v1/requests`, which appends to the
audit log) and reads the first page of the list (`GET /api/v1/requests`), over and over.

Printed for each set-up: creates/s, lists/s, the p50/p99 latency of each; and the scaling ratio,
two processes' throughput over one's. A second phase sends creates only, which is the audit log's
writer ceiling: every create takes the log's advisory lock until it commits (docs/scaling.md).

The machine this ran on had two shared cores: the server processes, PostgreSQL and this client
share them, so a ratio below 2 is expected whatever serializes the writes. Prints figures only;
asserts nothing.

Run: .venv/bin/python bench/scaling_pg.py [--seconds 15] [--clients 16]
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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from audit import store
from domain.identity import tokens
from domain.requests import authorities
from domain.requests.authorities import NewAuthority
from domain.requests.model import AuthorityType
from domain.shared import database
from domain.shared.model import Actor, ActorKind, Role

ROOT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT_DIR))
from tests.pgcluster import start_cluster  # noqa: E402 - the test suite's recipe, from the root

ROOT = Actor(kind=ActorKind.CLI, id=None, role=Role.ADMIN, name="cli:bench")
SECRET = "bench-secret-key-that-is-long-enough-0123456789"  # noqa: S105 - a throwaway server
RULE = "GB/uk-gdpr.rights-request"


async def seed(url: str) -> tuple[str, str]:
    """Migrate; create an authority and a specialist's API token. Their id and the secret."""
    now = datetime.now(tz=UTC)
    async with database.connected(url, pool=False):
        await database.migrate()
        authority = await authorities.create_authority(
            NewAuthority(name="Ofcom", country="GB", type=AuthorityType.REGULATOR),
            actor=ROOT,
            now=now,
        )
        issued = await tokens.create_token(
            name="bench", role=Role.SPECIALIST, expires_in=None, actor=ROOT, now=now
        )
    return str(authority.id), issued.secret


async def append_loop(until: float, done: list[float]) -> None:
    """Audit appends, one per write transaction, until the monotonic clock passes ``until``."""
    while time.monotonic() < until:
        started = time.perf_counter()
        async with database.write_transaction():
            await store.append(
                time=datetime.now(tz=UTC),
                actor_id="cli:bench",
                actor_role="admin",
                action="request.logged",
                subject_type="request",
                subject_id=str(len(done)),
                correlation_id=f"bench-{len(done)}",
                before=None,
                after={"bench": True},
            )
        done.append(time.perf_counter() - started)


async def append_ceiling(url: str, seconds: float, clients: int) -> float:
    """Appends per second with ``clients`` concurrent transactions in this one process."""
    async with database.connected(url, pool=True):
        done: list[float] = []
        started = time.monotonic()
        await asyncio.gather(*(append_loop(started + seconds, done) for _ in range(clients)))
        elapsed = time.monotonic() - started
    print(
        f"audit appends alone, {clients:>2} concurrent transactions: "
        f"{len(done) / elapsed:8.1f} appends/s (p50 {quantile(done, 0.5):6.1f} ms, "
        f"p99 {quantile(done, 0.99):7.1f} ms)"
    )
    return len(done) / elapsed


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    """`docket serve` from this checkout on ``port``, without the scheduler."""
    env = {
        **os.environ,
        "DOCKET_DATA_DIR": str(data_dir),
        "DOCKET_DATABASE_URL": url,
        "DOCKET_SECRET_KEY": SECRET,
        "DOCKET_HOST": "127.0.0.1",
        "DOCKET_PORT": str(port),
        "DOCKET_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-c", "from api.cli import main; main()", "serve", "--no-scheduler"]
    log = (data_dir / f"serve-{port}.log").open("ab")
    return subprocess.Popen(command, cwd=ROOT_DIR, env=env, stdout=log, stderr=log)  # noqa: S603


async def wait_until_up(base_url: str) -> None:
    """Until /readyz answers (90 s at most: the machine is shared)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        for _ in range(450):
            try:
                if (await client.get("/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit(f"the server at {base_url} did not start")


@dataclass
class Load:
    """Latencies (seconds) of the calls made, and the calls that failed."""

    creates: list[float] = field(default_factory=list)
    lists: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


async def client_loop(
    client: httpx.AsyncClient, body: dict[str, object], load: Load, until: float, *, lists: bool
) -> None:
    """One client: create (and list) until the monotonic clock passes ``until``."""
    while time.monotonic() < until:
        started = time.perf_counter()
        response = await client.post("/api/v1/requests", json=body)
        load.creates.append(time.perf_counter() - started)
        if response.status_code != 201:
            load.failures.append(f"create {response.status_code}: {response.text[:200]}")
        if not lists:
            continue
        started = time.perf_counter()
        response = await client.get("/api/v1/requests", params={"limit": 50})
        load.lists.append(time.perf_counter() - started)
        if response.status_code != 200:
            load.failures.append(f"list {response.status_code}: {response.text[:200]}")


async def drive(
    base_urls: list[str], authority: str, secret: str, args: argparse.Namespace, *, lists: bool
) -> tuple[Load, float]:
    """Run the load for ``args.seconds`` after a short warm-up; the calls and the seconds."""
    headers = {"Authorization": f"Bearer {secret}"}
    body: dict[str, object] = {
        "authority_id": authority,
        "rule": RULE,
        "received_at": "2026-03-01T10:00:00+00:00",
        "channel": "portal",
        "kind": "user_data",
        "instrument": "information_request",
        "summary": "Subscriber data for one account",
        "authority_reference": "OF-2026-17",
    }
    clients = [
        httpx.AsyncClient(base_url=base_urls[i % len(base_urls)], headers=headers, timeout=120)
        for i in range(args.clients)
    ]
    try:
        warm = Load()
        until = time.monotonic() + 2
        await asyncio.gather(*(client_loop(c, body, warm, until, lists=lists) for c in clients))
        load = Load()
        started = time.monotonic()
        until = started + args.seconds
        await asyncio.gather(*(client_loop(c, body, load, until, lists=lists) for c in clients))
        return load, time.monotonic() - started
    finally:
        for client in clients:
            await client.aclose()


def quantile(values: list[float], q: float) -> float:
    """The ``q`` quantile of ``values`` in milliseconds (0 when there are none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1e3


def report(name: str, load: Load, seconds: float) -> float:
    """Print one set-up's figures; return its calls per second."""
    calls = len(load.creates) + len(load.lists)
    print(
        f"{name:<22} {len(load.creates) / seconds:8.1f} creates/s "
        f"(p50 {quantile(load.creates, 0.5):6.1f} ms, p99 {quantile(load.creates, 0.99):7.1f} ms)"
        f"  {len(load.lists) / seconds:8.1f} lists/s "
        f"(p50 {quantile(load.lists, 0.5):6.1f} ms, p99 {quantile(load.lists, 0.99):7.1f} ms)"
        f"  {calls / seconds:8.1f} calls/s"
    )
    if load.failures:
        print(f"  {len(load.failures)} failed calls, the first: {load.failures[0]}")
    return calls / seconds


def run_with(
    processes: int, url: str, data_dir: Path, seeded: tuple[str, str], args: argparse.Namespace
) -> dict[str, float]:
    """Start ``processes`` servers, run both phases against them, stop them; calls per second."""
    ports = [free_port() for _ in range(processes)]
    servers = [start_server(url, data_dir, port) for port in ports]
    base_urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base_url in base_urls:
            asyncio.run(wait_until_up(base_url))
        rates = {}
        for phase, lists in (("create+list", True), ("create only", False)):
            load, seconds = asyncio.run(drive(base_urls, *seeded, args, lists=lists))
            label = f"{processes} process{'es' if processes > 1 else ''}, {phase}"
            rates[phase] = report(label, load, seconds)
        return rates
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


def main() -> None:
    """Start the cluster, seed, measure one and two processes in turns, print the ratios."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    cluster = start_cluster(free_port())
    ratios: dict[str, list[float]] = {}
    try:
        url = cluster.url("postgres")
        seeded = asyncio.run(seed(url))
        # the writers' ceiling without HTTP: each transaction holds the log's lock from its
        # append to its commit, so more concurrent transactions add little
        for clients in (1, args.clients):
            asyncio.run(append_ceiling(url, args.seconds / 2, clients))
        with tempfile.TemporaryDirectory() as data_dir:
            # one and two processes take turns, so that a change in the machine's load, or the
            # table growing, weighs on both alike
            for _ in range(args.rounds):
                one = run_with(1, url, Path(data_dir), seeded, args)
                two = run_with(2, url, Path(data_dir), seeded, args)
                for phase, rate in one.items():
                    ratios.setdefault(phase, []).append(two[phase] / rate)
    finally:
        cluster.stop()
    print(f"clients: {args.clients}, {args.seconds:.0f} s a phase, on {os.cpu_count()} cores")
    for phase, found in ratios.items():
        each = ", ".join(f"{r:.2f}" for r in found)
        print(
            f"scaling ratio, {phase}: {statistics.median(found):.2f} x "
            f"(two processes / one; median of {len(found)} rounds: {each})"
        )


if __name__ == "__main__":
    main()
