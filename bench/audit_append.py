"""Benchmark audit appends against plain inserts, and proofs served from the real database.

1. Appends through `audit.store.append`, one entry per write transaction (hashing, RFC 8785,
   salted commitment, tiles), against inserting the very same rows into tables of the same
   shape with plain Piccolo inserts, one entry per transaction (no hashing, tiles or
   signing). Both run on the same SQLite file, interleaved in rounds. Goal: ratio <= 1.5x.
2. Inclusion and consistency proofs, checkpoint signing and export at each size in
   `--proof-sizes`, with the log grown through `store.append` (1000 per transaction).

Run: .venv/bin/python bench/audit_append.py [--entries N] [--proof-sizes 10000 100000]
Prints figures only; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from piccolo.columns import BigInt, Bytea, Varchar
from piccolo.table import Table

from audit import store
from audit.checkpoint_store import sign_checkpoint_if_grown
from audit.export import export_bundle
from audit.keys import register_key
from audit.note import Signer, generate_key
from audit.tables import AuditChangeTable, AuditLeafTable
from audit.verify import verify_bundle
from domain.shared import database

ORIGIN = "bench.example/audit"
T0 = datetime(2026, 1, 1, tzinfo=UTC)


class PlainLeafTable(Table, tablename="bench_leaf"):
    """The shape of `audit_leaf`, without the audit machinery."""

    entry_index = BigInt(primary_key=True)
    leaf = Bytea()
    leaf_hash = Bytea()
    actor_id = Varchar(length=200, index=True)
    subject_type = Varchar(length=200)
    subject_id = Varchar(length=200, index=True)
    erased_index = BigInt(null=True, default=None, unique=True)


class PlainChangeTable(Table, tablename="bench_change"):
    """The shape of `audit_change`."""

    entry_index = BigInt(primary_key=True)
    salt = Bytea()
    change_json = Bytea()


def entry(i: int) -> dict[str, object]:
    return {
        "time": T0 + timedelta(seconds=i),
        "actor_id": f"user-{i % 17}",
        "actor_role": "specialist",
        "action": "request.clock_paused",
        "subject_type": "request",
        "subject_id": f"R-{i % 1000:06d}",
        "correlation_id": f"corr-{i:08d}",
        "before": {"state": "running", "paused_at": None},
        "after": {"state": "paused", "paused_at": "2026-01-01T00:00:00Z", "reason": "scope"},
    }


async def audited(i: int) -> None:
    async with database.write_transaction():
        await store.append(**entry(i))


async def load_plain_rows(count: int) -> list[tuple[dict[str, object], dict[str, object]]]:
    """The rows `store.append` wrote, to insert them again without the audit machinery."""
    leaves = await AuditLeafTable.select().order_by(AuditLeafTable.entry_index)
    changes = await AuditChangeTable.select().order_by(AuditChangeTable.entry_index)
    return list(zip(leaves[:count], changes[:count], strict=True))


async def plain(row: tuple[dict[str, object], dict[str, object]]) -> None:
    async with database.write_transaction():
        await PlainLeafTable.insert(PlainLeafTable(**row[0]))
        await PlainChangeTable.insert(PlainChangeTable(**row[1]))


async def timed(calls: list[Callable[[], Awaitable[None]]]) -> float:
    start = time.perf_counter()
    for call in calls:
        await call()
    return time.perf_counter() - start


async def bench_append(entries: int, rounds: int = 4) -> None:
    """Interleave rounds of audited appends and plain inserts; print both rates."""
    per_round = max(1, entries // rounds)
    for i in range(20):  # warm up both paths (connections, statement caches)
        await audited(i)
    warm = await load_plain_rows(20)
    for row in warm:
        await plain(row)
    audit_s = plain_s = 0.0
    done = 20
    for _ in range(rounds):
        audit_s += await timed([lambda i=i: audited(i) for i in range(done, done + per_round)])
        rows = (await load_plain_rows(done + per_round))[done:]
        plain_s += await timed([lambda row=row: plain(row) for row in rows])
        done += per_round
    n = per_round * rounds
    print(f"append, one entry per transaction, SQLite, {n} entries each:")
    print(f"  plain Piccolo inserts  {n / plain_s:9.0f} entries/s")
    print(f"  audit.store.append     {n / audit_s:9.0f} entries/s")
    print(f"  ratio (audit / plain)  {audit_s / plain_s:9.2f}x   (goal <= 1.5x)")


async def grow_to(size: int) -> None:
    current = await store.size()
    while current < size:
        async with database.write_transaction():
            for i in range(current, min(size, current + 1000)):
                await store.append(**entry(i))
        current = min(size, current + 1000)


async def micros(calls: list[Callable[[], Awaitable[object]]]) -> tuple[float, float]:
    """Median and 95th percentile in microseconds."""
    times = []
    for call in calls:
        start = time.perf_counter()
        await call()
        times.append((time.perf_counter() - start) * 1e6)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)]


async def bench_proofs(size: int, signer: Signer, workdir: Path, samples: int = 200) -> None:
    started = time.perf_counter()
    await grow_to(size)
    print(f"\nlog of {size} entries (grown in {time.perf_counter() - started:.1f} s):")
    rng = random.Random(size)
    indexes = [rng.randrange(size) for _ in range(samples)]
    inclusion = [lambda i=i: store.inclusion_proof(i, size) for i in indexes]
    firsts = [rng.randrange(1, size) for _ in range(samples)]
    consistency = [lambda first=first: store.consistency_proof(first, size) for first in firsts]
    for name, calls in (("inclusion proof", inclusion), ("consistency proof", consistency)):
        median, p95 = await micros(calls)
        print(f"  {name:18} median {median:8.0f} us   p95 {p95:8.0f} us")
    start = time.perf_counter()
    async with database.write_transaction():
        await sign_checkpoint_if_grown(signer, ORIGIN, now=T0)
    print(f"  sign checkpoint    {(time.perf_counter() - start) * 1e3:8.1f} ms")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    await export_bundle(workdir / f"bundle-{size}")
    exported = time.perf_counter() - start
    grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss
    print(
        f"  export             {exported:8.2f} s   ({size / exported:,.0f} entries/s,"
        f" peak RSS +{grew / 1024:.0f} MiB)"
    )
    start = time.perf_counter()
    verify_bundle(workdir / f"bundle-{size}", [signer.verifier().key()], parallel=False)
    print(f"  verify (offline)   {time.perf_counter() - start:8.2f} s")


async def main(entries: int, proof_sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory(prefix="docket-bench-") as tmp:
        workdir = Path(tmp)
        database.use_engine(database.engine_from_url(f"sqlite:///{workdir / 'bench.sqlite3'}"))
        await database.migrate()
        for table in (PlainLeafTable, PlainChangeTable):
            table._meta.db = database.current_engine()
            await table.create_table()
        await bench_append(entries)
        skey, vkey = generate_key(ORIGIN)
        async with database.write_transaction():
            await register_key(vkey, now=T0)
        for size in sorted(proof_sizes):
            await bench_proofs(size, Signer.from_key(skey), workdir)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000, help="appends timed per path")
    parser.add_argument("--proof-sizes", type=int, nargs="*", default=[10_000, 100_000])
    args = parser.parse_args()
    asyncio.run(main(args.entries, args.proof_sizes))
