"""Benchmark creating requests from 16 clients at once against one client, over HTTP, in one run.

The real server: `docket serve` (uvicorn, one process) in a subprocess on a free loopback port,
with a temporary SQLite database migrated like `docket migrate`, one authority and an API token
of a specialist. Then, on the same server:

- one client logs --single requests one after another (the baseline: a create with no one
  waiting);
- --clients clients each log --per-client requests one after another, all at once.

Every create is POST /api/v1/requests (deadline, reference, insert, one audit entry). Goal: p99
under concurrency within 10x its p50 (writers queued fairly, none left sleeping on a busy
timeout). Prints figures only; asserts nothing.

Run: .venv/bin/python -m bench.create_concurrency [--clients 16] [--per-client 25]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench.login_burst import ROOT, free_port, start_server, wait_until_up
from domain.identity import tokens
from domain.requests import authorities
from domain.requests.authorities import NewAuthority
from domain.requests.model import AuthorityType
from domain.shared import database
from domain.shared.model import Role


async def seed(url: str) -> tuple[str, str]:
    """Migrate; one authority and one specialist token: (authority id, bearer secret)."""
    async with database.connected(url, pool=False):
        await database.migrate()
        now = datetime.now(tz=UTC)
        authority = await authorities.create_authority(
            NewAuthority(name="Ofcom", country="GB", type=AuthorityType.REGULATOR),
            actor=ROOT,
            now=now,
        )
        issued = await tokens.create_token(
            name="bench", role=Role.SPECIALIST, expires_in=None, actor=ROOT, now=now
        )
    return str(authority.id), issued.secret


def body(authority_id: str, n: int) -> dict[str, object]:
    """A request as a client sends it."""
    return {
        "authority_id": authority_id,
        "rule": "GB/uk-gdpr.rights-request",
        "received_at": "2026-03-01T10:00:00+00:00",
        "channel": "portal",
        "kind": "user_data",
        "instrument": "information_request",
        "summary": f"Subscriber data for account {n}",
        "authority_reference": f"OF-2026-{n}",
    }


async def create(base_url: str, secret: str, authority_id: str, count: int) -> list[float]:
    """One client: ``count`` creates in a row; seconds each."""
    headers = {"Authorization": f"Bearer {secret}"}
    times = []
    async with httpx.AsyncClient(base_url=base_url, timeout=120, headers=headers) as client:
        for n in range(count):
            started = time.perf_counter()
            response = await client.post("/api/v1/requests", json=body(authority_id, n))
            times.append(time.perf_counter() - started)
            if response.status_code != 201:
                raise SystemExit(f"create answered {response.status_code}: {response.text}")
    return times


def p99(times: list[float]) -> float:
    """The 99th percentile."""
    return statistics.quantiles(times, n=100)[98]


async def measure(base_url: str, secret: str, authority_id: str, args: argparse.Namespace) -> None:
    """Warm up, one client, then many at once; print percentiles and ratios."""
    async with httpx.AsyncClient(base_url=base_url, timeout=120) as prober:
        await wait_until_up(prober)
    await create(base_url, secret, authority_id, 10)  # warm up
    single = await create(base_url, secret, authority_id, args.single)
    started = time.perf_counter()
    runs = await asyncio.gather(
        *(create(base_url, secret, authority_id, args.per_client) for _ in range(args.clients))
    )
    wall = time.perf_counter() - started
    many = [t for run in runs for t in run]
    one_p50 = statistics.median(single)
    p50 = statistics.median(many)
    one_p99 = p99(single)
    print(
        f"1 client: {len(single)} creates, p50 {one_p50 * 1e3:.1f} ms  p99 {one_p99 * 1e3:.1f} ms"
    )
    print(
        f"{args.clients} clients: {len(many)} creates in {wall:.1f} s ({len(many) / wall:.0f}/s),"
        f" p50 {p50 * 1e3:7.1f} ms  p99 {p99(many) * 1e3:7.1f} ms  max {max(many) * 1e3:.0f} ms"
    )
    print(f"ratio p99 / p50 under concurrency: {p99(many) / p50:.1f}x  (goal <= 10x)")
    print(f"ratio p50 concurrent / p50 one client: {p50 / one_p50:.1f}x")


def main() -> None:
    """Seed, serve, measure, stop."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--per-client", type=int, default=25)
    parser.add_argument("--single", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        authority_id, secret = asyncio.run(seed(url))
        port = free_port()
        server = start_server(url, Path(tmp), port)
        try:
            asyncio.run(measure(f"http://127.0.0.1:{port}", secret, authority_id, args))
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
