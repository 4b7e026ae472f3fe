"""Benchmark the queue page against the JSON list of the same rows, in one run.

A temporary SQLite database, migrated like `docket migrate`, gets one authority, one request
logged through the real service, and --requests open requests copied from it with plain
sqlite3 (due dates spread over a year). Then, through the real app in this process (ASGI, no
network), alternately:

- GET /api/v1/requests?limit=200 with an API token (the JSON list, the baseline);
- GET /queue?tab=open&per_page=200 with a signed-in session (the page: the same 200 rows, with
  their authority, assignee, deadline band and the layout; the tab counts come in a second
  request, timed apart).

Goal: the page within 1.5x of the JSON list. Prints figures only; asserts nothing.

Run: .venv/bin/python bench/queue_page.py [--requests 100000] [--rounds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sqlite3
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from litestar.testing import AsyncTestClient

from api.app import create_app
from api.settings import AuthSettings, DatabaseSettings, Secret, Settings, StorageSettings
from domain import deadlines
from domain.identity import tokens, users
from domain.requests import authorities
from domain.requests import service as requests
from domain.requests.authorities import NewAuthority
from domain.requests.model import AuthorityType, Channel, Instrument, RequestKind
from domain.requests.records import NewRequest
from domain.shared import database
from domain.shared.model import Actor, ActorKind, Role

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ROOT = Actor(kind=ActorKind.CLI, id=None, role=Role.ADMIN, name="cli:bench")
PASSWORD = "bench-password-long-enough"  # noqa: S105 - a throwaway database
RULE = "GB/uk-gdpr.rights-request"


class FixedClock:
    """The bench's clock stands still, so every round sees the same bands."""

    def now(self) -> datetime:
        return NOW


def ts(value: datetime) -> str:
    """How Piccolo keeps a Timestamptz in SQLite."""
    return value.astimezone(UTC).isoformat(sep=" ")


async def seed(url: str) -> tuple[str, str]:
    """An authority, a specialist, an API token and one logged request; (email, token)."""
    async with database.connected(url):
        await database.migrate()
        book = deadlines.load()
        authority = await authorities.create_authority(
            NewAuthority(name="Ofcom", country="GB", type=AuthorityType.REGULATOR),
            actor=ROOT,
            now=NOW,
        )
        specialist = await users.create_user(
            users.NewUser(
                email="bench@docket.example",
                display_name="Bench Specialist",
                role=Role.SPECIALIST,
                password=PASSWORD,
            ),
            actor=ROOT,
            now=NOW,
            password_min_length=12,
        )
        new = NewRequest(
            authority_id=authority.id,
            rule_id=RULE,
            received_at=NOW - timedelta(days=1),
            channel=Channel.PORTAL,
            kind=RequestKind.USER_DATA,
            instrument=Instrument.INFORMATION_REQUEST,
            summary="Account data",
            assignee=specialist.id,
        )
        await requests.log_request(book, new, actor=ROOT, now=NOW)
        issued = await tokens.create_token(
            name="bench", role=Role.SPECIALIST, expires_in=None, actor=ROOT, now=NOW
        )
    return specialist.email, issued.secret


def fill(path: Path, count: int) -> None:
    """Copy the logged request ``count`` times, deadlines spread over a year (plain sqlite3)."""
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    template = dict(con.execute("SELECT * FROM regulatory_request").fetchone())
    cols = list(template)
    rows = []
    for i in range(count):
        row = dict(template)
        due = NOW - timedelta(days=30) + timedelta(seconds=i * 330)
        row.update(
            id=str(uuid.uuid4()),
            reference=f"REQ-2026-{i + 2:06d}",
            state="in_progress",
            due_at=ts(due),
            sort_due_at=ts(due),
            queue_due_at=ts(due),
        )
        rows.append(tuple(row[c] for c in cols))
    marks = ",".join("?" * len(cols))
    with con:
        con.executemany(
            f"INSERT INTO regulatory_request ({','.join(cols)}) VALUES ({marks})",  # noqa: S608
            rows,
        )
    con.close()


async def timed(client: AsyncTestClient, path: str, **kwargs: object) -> tuple[float, str]:
    """Seconds for one GET, and its body."""
    start = time.perf_counter()
    response = await client.get(path, **kwargs)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.text[:300]  # noqa: S101 - a bench sanity check
    return elapsed, response.text


async def measure(url: str, data_dir: Path, email: str, token: str, rounds: int) -> None:
    """Alternate the JSON list and the page; print medians and the ratio."""
    settings = Settings(
        storage=StorageSettings(data_dir=data_dir),
        database=DatabaseSettings(url=url),
        auth=AuthSettings(secret_key=Secret("b" * 48)),
    )
    app = create_app(settings, clock=FixedClock(), run_scheduler=False)
    bearer = {"Authorization": f"Bearer {token}"}
    async with AsyncTestClient(app=app) as client:
        form = await client.get("/sign-in")
        csrf = re.search(r'name="_csrf_token" value="([^"]+)"', form.text)
        assert csrf is not None  # noqa: S101
        await client.post(
            "/sign-in",
            data={"_csrf_token": csrf.group(1), "email": email, "password": PASSWORD, "next": ""},
        )
        json_times, page_times, tab_times = [], [], []
        for _ in range(3):  # warm up both paths
            await timed(client, "/api/v1/requests?limit=200", headers=bearer)
            await timed(client, "/queue?tab=open&per_page=200")
        for _ in range(rounds):
            elapsed, body = await timed(client, "/api/v1/requests?limit=200", headers=bearer)
            json_times.append(elapsed)
            elapsed, page = await timed(client, "/queue?tab=open&per_page=200")
            page_times.append(elapsed)
            tab_times.append((await timed(client, "/queue/tabs?tab=open"))[0])
        rows = page.count('<th scope="row">')
        items = body.count('"reference"')
    json_ms, page_ms = statistics.median(json_times) * 1e3, statistics.median(page_times) * 1e3
    print(f"rows on the page: {rows}; JSON items: {items}")
    print(f"JSON list, 200 rows  median {json_ms:7.1f} ms  (min {min(json_times) * 1e3:.1f})")
    print(f"queue page, 200 rows median {page_ms:7.1f} ms  (min {min(page_times) * 1e3:.1f})")
    print(f"tab counts fragment  median {statistics.median(tab_times) * 1e3:7.1f} ms")
    print(f"ratio page / JSON: {page_ms / json_ms:.2f}  (goal <= 1.5)")


def main() -> None:
    """Build the database, then measure."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        url = f"sqlite:///{path}"
        email, token = asyncio.run(seed(url))
        started = time.perf_counter()
        fill(path, args.requests - 1)
        print(f"{args.requests} requests in {time.perf_counter() - started:.1f} s")
        asyncio.run(measure(url, Path(tmp), email, token, args.rounds))


if __name__ == "__main__":
    main()
