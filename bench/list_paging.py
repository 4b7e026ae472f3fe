"""Benchmark deep keyset pages of the request list against its first page, in one run.

A temporary SQLite database, migrated like `docket migrate`, gets one request logged through
the real service, then copies of it made with plain sqlite3 (deadlines spread over a year,
and a block of requests sharing one deadline, where only the id breaks the tie). For each size
the bench follows the cursors of the real list query (`domain.requests.queries.list_requests`,
50 a page) down to page 50, then times, alternately, the first page and page 50, for:

- the queue (open requests by deadline), the default list (by deadline) and the list newest
  received first;
- the first page of the block that shares one deadline (a cursor inside the ties);
- a search that matches nothing (goal: under 20 ms at every size, from the text index).

Goal: page 50 within 2x of the first page at every size, and the tied block within 2x of a
first page without ties. Prints figures only; asserts nothing.

Run: .venv/bin/python bench/list_paging.py [--sizes 10000 100000] [--rounds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from domain import deadlines
from domain.requests import authorities, queries
from domain.requests import service as requests
from domain.requests.authorities import NewAuthority
from domain.requests.model import AuthorityType, Channel, Instrument, RequestKind, RequestSort
from domain.requests.records import NewRequest
from domain.requests.repo import RequestFilters
from domain.requests.workflow import RequestState
from domain.shared import database
from domain.shared.model import Actor, ActorKind, Role

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ROOT = Actor(kind=ActorKind.CLI, id=None, role=Role.ADMIN, name="cli:bench")
RULE = "GB/uk-gdpr.rights-request"
PAGE = 50
DEPTH = 50
TIED = 2_000
"""Requests that share one deadline, after the spread ones."""
STATES = ("in_progress", "triaged", "drafting")
CODES = ("GB", "DE", "FR", "IE")
"""The copies cycle through these states and jurisdictions, so that a filter has work to do."""
FILTERED = RequestFilters(state=RequestState.IN_PROGRESS, jurisdiction="GB", overdue=True)
"""State, jurisdiction and overdue: one copy in twelve matches, the overdue ones only."""
LISTS = {
    "queue (open, by deadline)": RequestFilters(open_only=True),
    "all, by deadline": RequestFilters(),
    "all, newest received first": RequestFilters(sort=RequestSort.RECEIVED),
}


def ts(value: datetime) -> str:
    """How Piccolo keeps a Timestamptz in SQLite."""
    return value.astimezone(UTC).isoformat(sep=" ")


async def seed(url: str) -> None:
    """An authority and one request logged through the service (the template of the copies)."""
    async with database.connected(url):
        await database.migrate()
        authority = await authorities.create_authority(
            NewAuthority(name="Ofcom", country="GB", type=AuthorityType.REGULATOR),
            actor=ROOT,
            now=NOW,
        )
        new = NewRequest(
            authority_id=authority.id,
            rule_id=RULE,
            received_at=NOW - timedelta(days=1),
            channel=Channel.PORTAL,
            kind=RequestKind.USER_DATA,
            instrument=Instrument.INFORMATION_REQUEST,
            summary="Account data",
        )
        await requests.log_request(deadlines.load(), new, actor=ROOT, now=NOW)


def fill(path: Path, count: int) -> datetime:
    """Copy the logged request up to ``count`` requests; the deadline the tied block shares.

    The tied block is made once, at the first size; later sizes add spread deadlines only.
    """
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    template = dict(con.execute("SELECT * FROM regulatory_request LIMIT 1").fetchone())
    have = con.execute("SELECT count(*) FROM regulatory_request").fetchone()[0]
    cols = list(template)
    tied_due = NOW + timedelta(days=400)
    rows = []
    for i in range(have, count):
        row = dict(template)
        spread = have > 1 or i < count - TIED
        due = NOW - timedelta(days=30) + timedelta(seconds=i * 97) if spread else tied_due
        row.update(
            id=str(uuid.uuid4()),
            reference=f"REQ-2026-{i + 2:07d}",
            state=STATES[i % len(STATES)],
            jurisdiction=CODES[i // len(STATES) % len(CODES)],
            received_at=ts(NOW - timedelta(seconds=i * 61)),
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
        con.execute("ANALYZE")
    con.close()
    return tied_due


async def page(filters: RequestFilters, cursor: str | None) -> queries.RequestPage:
    """One page of the real list query."""
    return await queries.list_requests(filters, actor=ROOT, now=NOW, limit=PAGE, cursor=cursor)


async def timed(filters: RequestFilters, cursor: str | None) -> float:
    """Seconds for one page."""
    start = time.perf_counter()
    await page(filters, cursor)
    return time.perf_counter() - start


async def measure(url: str, size: int, tied_due: datetime, rounds: int) -> float:
    """Print the first page, page 50 and their ratio for each list; then the tied block.

    Returns the milliseconds of the filtered list's first page, compared across sizes.
    """
    async with database.connected(url):
        for name, filters in LISTS.items():
            cursor = None
            for _ in range(DEPTH - 1):
                cursor = (await page(filters, cursor)).next_cursor
            first, deep = [], []
            for _ in range(rounds):
                first.append(await timed(filters, None))
                deep.append(await timed(filters, cursor))
            a, b = statistics.median(first) * 1e3, statistics.median(deep) * 1e3
            figures = f"page 1 {a:6.2f} ms  page {DEPTH} {b:6.2f} ms  ratio {b / a:5.2f}"
            print(f"{size:>9,} {name:<28} {figures}")
        misses = []
        for _ in range(rounds):
            misses.append(await timed(RequestFilters(q="no request says this"), None))
        print(f"{size:>9,} {'search, no match':<28} {statistics.median(misses) * 1e3:6.2f} ms")
        ties = RequestFilters(due_after=tied_due)
        inside = (await page(ties, None)).next_cursor
        plain, tied = [], []
        for _ in range(rounds):
            plain.append(await timed(LISTS["all, by deadline"], None))
            tied.append(await timed(ties, inside))
        a, b = statistics.median(plain) * 1e3, statistics.median(tied) * 1e3
        figures = f"plain {a:6.2f} ms  tied {b:6.2f} ms  ratio {b / a:5.2f}"
        print(f"{size:>9,} {f'a page inside {TIED} ties':<28} {figures}")
        filtered = [await timed(FILTERED, None) for _ in range(rounds)]
        ms = statistics.median(filtered) * 1e3
        print(f"{size:>9,} {'state + jurisdiction, overdue':<28} page 1 {ms:6.2f} ms")
        return ms


def main() -> None:
    """Build the database size by size, measuring at each."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    logging.disable(logging.INFO)
    print("goal: page 50 within 2x of page 1 at every size; a page inside ties within 2x;")
    print("      the filtered list at the largest size within 1.5x of the smallest")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        url = f"sqlite:///{path}"
        asyncio.run(seed(url))
        filtered = []
        for size in sorted(args.sizes):
            tied_due = fill(path, size)
            filtered.append(asyncio.run(measure(url, size, tied_due, args.rounds)))
        print(f"filtered list, largest / smallest size: {filtered[-1] / filtered[0]:.2f}")


if __name__ == "__main__":
    main()
