"""Benchmark the reminder sweep against the bare indexed SELECT of what is due.

A temporary SQLite database, migrated like `docket migrate`, gets 100,000 open requests and
10,000 active holds (each with a delivered notice and a pending reminder) inserted directly.
Then, after a sweep one minute earlier:

1. a sweep that finds nothing due, against the bare SELECT of the due requests (the index
   ranges on `sort_due_at` the sweep reads) and of the due hold notices;
2. a sweep that finds 1,000 due (1,000 requests whose 3-day reminder falls in the minute),
   sent through the real InboxChannel with ledger claims and audit entries, against the same
   bare SELECT returning those 1,000 rows.

The request columns the sweep filters on (due, acknowledgement and extension-notice deadlines,
the two non-disclosure end dates) are indexed by the migrations. The sweeps use the real
InboxChannel only.

Run: .venv/bin/python bench/sweep.py [--requests 100000] [--holds 10000] [--due 1000]
Prints figures only; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from domain import deadlines
from domain.holds.tables import HoldNoticeTable, HoldTable
from domain.identity.tables import UserTable
from domain.notifications.tables import SweepRunTable
from domain.requests.tables import RequestTable
from domain.shared import database
from scheduler.channels.inbox import InboxChannel
from scheduler.sweep import run_sweep
from scheduler.sweep_plan import SweepPolicy

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
RULE = "GB/uk-gdpr.rights-request"  # reminders 7d, 3d, 1d
POLICY = SweepPolicy(base_url="http://bench.example")


def ts(value: datetime) -> str:
    """How Piccolo keeps a Timestamptz in SQLite."""
    return value.astimezone(UTC).isoformat(sep=" ")


async def templates() -> None:
    """One row of each table through Piccolo, to copy the storage format of every column."""
    user = uuid.uuid4()
    await UserTable.insert(
        UserTable(
            id=user,
            email="a@bench.example",
            display_name="A",
            role="specialist",
            password_hash="x",  # noqa: S106 - no one logs in
            created_at=NOW,
        )
    )
    await RequestTable.insert(
        RequestTable(
            id=uuid.uuid4(),
            reference="REQ-T",
            authority_id=uuid.uuid4(),
            rule_id=RULE,
            jurisdiction="GB",
            tz="Europe/London",
            channel="portal",
            received_at=NOW,
            priority="normal",
            confidentiality="standard",
            response_language="en",
            kind="user_data",
            dsa_basis="none",
            instrument="other",
            state="in_progress",
            due_at=NOW,
            sort_due_at=NOW,
            assignee=user,
            created_at=NOW,
            updated_at=NOW,
        )
    )
    await HoldTable.insert(
        HoldTable(
            id=uuid.uuid4(),
            matter="M",
            title="T",
            state="active",
            created_by="bench",
            created_at=NOW,
        )
    )
    await HoldNoticeTable.insert(
        HoldNoticeTable(
            id=uuid.uuid4(),
            hold_id=uuid.uuid4(),
            custodian_email="c@x",
            recipient_email="c@x",
            kind="hold.notice",
            due_at=NOW,
            created_at=NOW,
        )
    )


def fill(path: Path, requests: int, holds: int) -> None:
    """Copy the template rows many times over with plain sqlite3 (fast)."""
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row

    def clone(table: str, count: int, change: Callable[[int, dict[str, object]], None]) -> None:
        template = dict(con.execute(f"SELECT * FROM {table}").fetchone())  # noqa: S608
        cols = list(template)
        rows = []
        for i in range(count):
            row = dict(template)
            row["id"] = str(uuid.uuid4())
            change(i, row)
            rows.append(tuple(row[c] for c in cols))
        marks = ",".join("?" * len(cols))
        con.execute(f"DELETE FROM {table}")  # noqa: S608
        con.executemany(f"INSERT INTO {table} ({','.join(cols)}) VALUES ({marks})", rows)  # noqa: S608

    def request(i: int, row: dict[str, object]) -> None:
        due = NOW + timedelta(days=30) + timedelta(seconds=i * 300)  # 30 to ~377 days ahead
        row.update(
            reference=f"REQ-2026-{i:07d}",
            due_at=ts(due),
            sort_due_at=ts(due),
            received_at=ts(NOW - timedelta(days=1)),
            # logged when received, before the last sweep: a sweep reads again only what changed
            created_at=ts(NOW - timedelta(days=1)),
            updated_at=ts(NOW - timedelta(days=1)),
        )

    hold_ids: list[str] = []

    def hold(i: int, row: dict[str, object]) -> None:
        hold_ids.append(str(row["id"]))
        row.update(matter=f"MAT-{i}")

    def notice(i: int, row: dict[str, object]) -> None:
        delivered = i % 2 == 0  # a delivered notice and a reminder due in days, per hold
        row.update(
            hold_id=hold_ids[i // 2],
            custodian_email=f"c{i // 2}@bench.example",
            recipient_email=f"c{i // 2}@bench.example",
            kind="hold.notice" if delivered else "hold.reminder",
            due_at=ts(NOW - timedelta(days=2) if delivered else NOW + timedelta(days=2)),
            delivered_at=ts(NOW - timedelta(days=2)) if delivered else None,
        )

    with con:
        clone("regulatory_request", requests, request)
        clone("legal_hold", holds, hold)
        clone("legal_hold_notice", holds * 2, notice)
    con.close()


def make_due(path: Path, count: int, at: datetime) -> None:
    """Move ``count`` requests' deadlines so their 3-day reminder falls in the minute before."""
    con = sqlite3.connect(path)
    with con:
        ids = [
            r[0]
            for r in con.execute(
                "SELECT id FROM regulatory_request ORDER BY reference LIMIT ?", (count,)
            )
        ]
        due = ts(at - timedelta(seconds=30) + timedelta(days=3))
        con.executemany(
            "UPDATE regulatory_request SET due_at=?, sort_due_at=? WHERE id=?",
            [(due, due, i) for i in ids],
        )
    con.close()


async def bare_select(now: datetime, offsets: list[timedelta]) -> int:
    """The indexed SELECT of what is due: requests in the sweep's windows, due hold notices."""
    since = now - MINUTE
    ranges = " OR ".join("(sort_due_at > {} AND sort_due_at <= {})" for _ in offsets)
    args: list[str] = []
    for o in offsets:
        args += [ts(since + o), ts(now + o)]
    found = await RequestTable.raw(
        f"SELECT id, reference, sort_due_at, state FROM regulatory_request "  # noqa: S608
        f"WHERE {ranges} OR sort_due_at <= {{}}",
        *args,
        ts(now - timedelta(days=1)),
    )
    notices = await HoldNoticeTable.raw(
        "SELECT id FROM legal_hold_notice WHERE delivered_at IS NULL AND cancelled_at IS NULL "
        "AND due_at <= {} LIMIT 500",
        ts(now),
    )
    return len(found) + len(notices)


async def timed(fn: Callable[[], Awaitable[object]], rounds: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = await fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


async def compare(label: str, now: datetime, book: deadlines.RuleBook, rounds: int) -> None:
    offsets = sorted(
        {
            timedelta(0),
            -POLICY.escalate_after,
            timedelta(days=14),
            timedelta(days=3),
            *(o for r in book.rules() for o in r.reminder_offsets),
        }
    )
    bare_s, bare_rows = await timed(lambda: bare_select(now, offsets), rounds)
    channel = InboxChannel(clock=type("At", (), {"now": staticmethod(lambda: now)})())

    async def sweep() -> object:
        return await run_sweep(
            now, channels=[channel], rulebook=book, policy=POLICY, dry_run=False, worker_id="bench"
        )

    async def dry() -> object:
        return await run_sweep(
            now, channels=[channel], rulebook=book, policy=POLICY, dry_run=True, worker_id="bench"
        )

    dry_s, _ = await timed(dry, rounds)
    sweep_s, report = await timed(sweep, 1 if "due" in label and "nothing" not in label else rounds)
    print(f"{label}:")
    print(f"  bare indexed SELECT      {bare_s * 1e3:9.2f} ms  ({bare_rows} rows)")
    print(f"  sweep, dry run           {dry_s * 1e3:9.2f} ms  ratio {dry_s / bare_s:6.2f}x")
    print(
        f"  sweep (claims, sends)    {sweep_s * 1e3:9.2f} ms  ratio {sweep_s / bare_s:6.2f}x"
        f"   {getattr(report, 'summary', '')}"
    )
    sent = getattr(report, "sent", 0)
    if sent:
        print(f"  per notification sent    {sweep_s * 1e3 / sent:9.2f} ms  (goal <= 1.5 ms, inbox)")


async def main(requests: int, holds: int, due: int, rounds: int) -> None:
    book = deadlines.load()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        async with database.connected(f"sqlite:///{path}", pool=False):
            await database.migrate()
            await templates()
            started = time.perf_counter()
            fill(path, requests, holds)
            print(
                f"{requests} open requests, {holds} active holds "
                f"(inserted in {time.perf_counter() - started:.1f} s)\n"
            )
            base = NOW
            await SweepRunTable.insert(
                SweepRunTable(worker="bench", swept_to=base - MINUTE, finished_at=base - MINUTE)
            )
            await compare("nothing due", base, book, rounds)
            make_due(path, due, base + MINUTE)
            await compare(f"{due} due", base + MINUTE, book, rounds)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--holds", type=int, default=10_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.holds, args.due, args.rounds))
