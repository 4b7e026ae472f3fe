"""Benchmark inclusion and consistency proofs served from the database, as the API serves them.

A temporary SQLite log (connections kept between queries, as `docket serve` keeps them) is
grown to `--size` entries with `audit.append_batch`, 1,000 per transaction. Then, for random
indexes and sizes, interleaved in one run:

1. `audit.store.inclusion_proof` / `consistency_proof`: the log's size, then every tile of
   the proof in one query;
2. the baseline of how proofs were read before: the same size check, then one query per
   tile (the widest row of each, or the leaf hashes of a partial level-0 tile), in a read
   transaction;
3. the bare indexed SELECT of one stored tile, the cheapest read a proof could make.

Run: .venv/bin/python bench/audit_proofs_db.py [--size 100000] [--proofs 300]
Prints figures only; asserts nothing. Goal: p95 < 5 ms at 100,000 entries.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from audit import merkle, store, tile_store
from audit.append_batch import NewEntry, append_batch
from audit.merkle import HASH_SIZE, GetNode
from audit.tables import AuditTileTable
from audit.tiles import TILE_HEIGHT, TILE_WIDTH, tile_node_getter
from domain.shared import database

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def entry(i: int) -> NewEntry:
    return NewEntry(
        time=T0 + timedelta(seconds=i),
        actor_id=f"user-{i % 17}",
        actor_role="specialist",
        action="request.clock_paused",
        subject_type="request",
        subject_id=f"R-{i % 1000:06d}",
        correlation_id=f"corr-{i:08d}",
        before={"state": "running"},
        after={"state": "paused", "reason": "scope"},
    )


async def grow(size: int) -> None:
    for start in range(0, size, 1000):
        async with database.write_transaction():
            await append_batch([entry(i) for i in range(start, min(size, start + 1000))])


async def per_tile(compute: Callable[[GetNode], list[bytes]], size: int) -> list[bytes]:
    """The previous way: size check, then one query per tile, in a read transaction."""
    needed: set[tuple[int, int]] = set()

    def record(level: int, index: int) -> bytes:
        sub = level % TILE_HEIGHT
        needed.add((level // TILE_HEIGHT, (index << sub) // TILE_WIDTH))
        return bytes(HASH_SIZE)

    compute(record)
    async with tile_store.snapshot():
        if await store.size() < size:
            raise SystemExit("log too small")
        tiles = {key: await tile_store._widest(*key) for key in sorted(needed)}
    return compute(tile_node_getter(lambda level, index: tiles[level, index]))


async def bare_tile(index: int) -> None:
    await AuditTileTable.raw(
        "SELECT data FROM audit_tile WHERE level = 0 AND tile_index = {} ORDER BY width DESC "
        "LIMIT 1",
        index,
    )


async def once(call: Callable[[], Awaitable[object]]) -> float:
    start = time.perf_counter()
    await call()
    return (time.perf_counter() - start) * 1e3


def line(label: str, samples: list[float], base: list[float] | None = None) -> str:
    ordered = sorted(samples)
    median, p95 = statistics.median(ordered), ordered[int(len(ordered) * 0.95)]
    text = f"  {label:40} median {median:7.2f} ms   p95 {p95:7.2f} ms"
    if base is not None:
        ordered = sorted(base)
        base_median, base_p95 = statistics.median(ordered), ordered[int(len(ordered) * 0.95)]
        text += f"   ratio median {median / base_median:5.2f}x  p95 {p95 / base_p95:5.2f}x"
    return text


async def main(size: int, proofs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="docket-bench-") as tmp:
        async with database.connected(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", pool=True):
            await database.migrate()
            started = time.perf_counter()
            await grow(size)
            print(f"log of {size:,} entries (grown in {time.perf_counter() - started:.1f} s)")
            rng = random.Random(size)
            got: dict[str, list[float]] = {}
            for _ in range(proofs):
                index, first = rng.randrange(size), rng.randrange(1, size)
                calls = {
                    "inclusion, one query": lambda i=index: store.inclusion_proof(i, size),
                    "inclusion, a query per tile": lambda i=index: per_tile(
                        functools.partial(merkle.inclusion_proof, i, size), size
                    ),
                    "consistency, one query": lambda f=first: store.consistency_proof(f, size),
                    "consistency, a query per tile": lambda f=first: per_tile(
                        functools.partial(merkle.consistency_proof, f, size), size
                    ),
                    "bare SELECT of one tile": lambda i=index: bare_tile(i // TILE_WIDTH),
                }
                order = list(calls)
                rng.shuffle(order)  # neither path always runs first
                for name in order:
                    got.setdefault(name, []).append(await once(calls[name]))
            bare = got["bare SELECT of one tile"]
            print(line("bare SELECT of one tile", bare))
            for kind in ("inclusion", "consistency"):
                one, before = got[f"{kind}, one query"], got[f"{kind}, a query per tile"]
                print(line(f"{kind}, a query per tile (before)", before))
                print(line(f"{kind}, one query, against before", one, before))
                print(line(f"{kind}, one query, against bare SELECT", one, bare))
            print("goal: p95 < 5 ms at 100,000 entries")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--proofs", type=int, default=300)
    args = parser.parse_args()
    asyncio.run(main(args.size, args.proofs))
