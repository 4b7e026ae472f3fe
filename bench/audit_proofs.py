"""Benchmark inclusion and consistency proofs served from C2SP tiles kept in a dict.

Run: .venv/bin/python bench/audit_proofs.py [--sizes 10000 100000 1000000] [--proofs 200]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import time
from collections.abc import Callable

from audit.merkle import (
    GetNode,
    consistency_proof,
    hash_children,
    inclusion_proof,
    subtree_root,
    verify_consistency,
    verify_inclusion,
)
from audit.tiles import TileEdge, append_leaf_hashes, tile_node_getter

Store = dict[tuple[int, int], bytes]


def build(size: int) -> tuple[Store, list[bytes]]:
    """Tiles for a tree of `size` leaves, appended in batches as the storage layer would."""
    leaves = [hashlib.sha256(b"\x00" + i.to_bytes(8, "big")).digest() for i in range(size)]
    store: Store = {}
    edge = TileEdge()
    for start in range(0, size, 1000):
        edge, tiles = append_leaf_hashes(edge, leaves[start : start + 1000])
        for tile, data in tiles:
            store[tile.level, tile.index] = data  # full tiles; a partial one replaced by wider ones
    return store, leaves


def timed(store: Store, make: Callable[[GetNode], list[bytes]]) -> tuple[float, int]:
    """Run one proof with a fresh tile-backed getter; return (ms, tile reads)."""
    reads = 0

    def read_tile(level: int, index: int) -> bytes:
        nonlocal reads
        reads += 1
        return store[level, index]

    t0 = time.perf_counter()
    make(tile_node_getter(read_tile))
    return (time.perf_counter() - t0) * 1000, reads


def one_proof(
    store: Store, size: int, root: bytes, kind: str, rng: random.Random
) -> tuple[float, int]:
    """Time one random proof from tiles, check it verifies; return (ms, tile reads)."""
    get = tile_node_getter(lambda lv, ix: store[lv, ix])
    if kind == "inclusion":
        index = rng.randrange(size)
        ms, reads = timed(store, lambda g: inclusion_proof(index, size, g))
        verify_inclusion(index, size, _leaf(store, index), inclusion_proof(index, size, get), root)
    else:
        old = rng.randrange(1, size)
        ms, reads = timed(store, lambda g: consistency_proof(old, size, g))
        old_root = subtree_root(0, old, get)
        verify_consistency(old, size, old_root, root, consistency_proof(old, size, get))
    return ms, reads


def main() -> None:
    """Build each size, time proofs, compare with the log2(n) hashes of verifying one."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--proofs", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(42)
    node, t0 = b"\x00" * 32, time.perf_counter()
    for _ in range(100_000):
        node = hash_children(node, node)
    per_hash = (time.perf_counter() - t0) * 1000 / 100_000
    print(f"{'size':>10} {'kind':>12} {'mean ms':>8} {'max ms':>8} {'reads':>6} {'x base':>7}")
    for size in args.sizes:
        store, _ = build(size)
        root = subtree_root(0, size, tile_node_getter(lambda lv, ix, st=store: st[lv, ix]))
        base = per_hash * size.bit_length()  # baseline: the log2(n) hashes a verifier does
        for kind in ("inclusion", "consistency"):
            runs = [one_proof(store, size, root, kind, rng) for _ in range(args.proofs)]
            mean = statistics.fmean(ms for ms, _ in runs)
            worst, reads = max(ms for ms, _ in runs), max(n for _, n in runs)
            print(
                f"{size:>10,} {kind:>12} {mean:>8.3f} {worst:>8.3f} {reads:>6} {mean / base:>7.0f}"
            )
    print("goal: every proof under 5 ms, growing with log2(size); reads = tiles per proof (max)")


def _leaf(store: Store, index: int) -> bytes:
    data = store[0, index // 256]
    return data[(index % 256) * 32 : (index % 256 + 1) * 32]


if __name__ == "__main__":
    main()
