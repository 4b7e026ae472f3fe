"""Benchmark verify_bundle on a large export against plain SHA-256 over the same lines.

Run: .venv/bin/python bench/audit_verify.py [--entries N]
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
from pathlib import Path

from audit.bundle import CHANGES, ENTRIES, write_bundle
from audit.checkpoint import Checkpoint, sign_checkpoint
from audit.entry import ChangeRecord, parse_leaf
from audit.merkle import CompactRange
from audit.note import Signer, generate_key
from audit.verify import verify_bundle

ORIGIN = "docket.example/audit"
ACTIONS = [
    "request.created",
    "request.clock_paused",
    "request.clock_resumed",
    "hold.issued",
    "package.approved",
]
ROLES = ["specialist", "legal", "admin", "custodian"]


def leaf(i: int, commitment: str) -> bytes:
    """A realistic canonical leaf (RFC 8785 key order), built by template for speed."""
    day, second = divmod(i, 86400)
    return (
        f'{{"action":"{ACTIONS[i % 5]}","actor":{{"id":"u{i % 977:04x}","role":"{ROLES[i % 4]}"}},'
        f'"commitment":"{commitment}","correlation_id":"r{i * 7919 % 10**9:09d}","index":{i},'
        f'"subject":{{"id":"R-{i // 3:07d}","type":"request"}},'
        f'"time":"2026-{1 + day // 28 % 12:02d}-{1 + day % 28:02d}T{second // 3600:02d}:'
        f'{second // 60 % 60:02d}:{second % 60:02d}.000000Z","v":1}}'
    ).encode()


def build(directory: Path, n: int, every: int) -> None:
    """Write an n-entry bundle with a checkpoint every `every` entries and at n."""
    signer = Signer.from_key(generate_key(ORIGIN, b"\x07" * 32)[0])
    leaves, changes, checkpoints = [], [], []
    tree, sha = CompactRange(), hashlib.sha256
    for i in range(n):
        salt = sha(i.to_bytes(8, "big")).digest()
        change = (
            b'{"after":{"note":"awaiting scope %d","state":"paused"},"before":{"state":"running"}}'
        )
        record = ChangeRecord(i, salt, change % (i % 1000))
        leaves.append(leaf(i, record.commitment().hex()))
        changes.append(record)
        tree.append(sha(b"\x00" + leaves[-1]).digest())
        if tree.size % every == 0 or tree.size == n:
            checkpoints.append(
                sign_checkpoint(Checkpoint(ORIGIN, tree.size, tree.root()), [signer])
            )
    for i in (0, n // 2, n - 1):
        if parse_leaf(leaves[i]).index != i:  # the template really is canonical
            raise SystemExit(f"template leaf {i} is not canonical")
    write_bundle(directory, leaves, changes, checkpoints, [signer.verifier().key()])


def baseline(directory: Path, names: tuple[str, ...]) -> float:
    """Seconds to read the files in big chunks and SHA-256 every line once."""
    t0 = time.perf_counter()
    sha = hashlib.sha256
    for name in names:
        with (directory / name).open("rb") as f:
            rest = b""
            while chunk := f.read(1 << 22):
                lines = (rest + chunk).split(b"\n")
                rest = lines.pop()
                for line in lines:
                    sha(line).digest()
    return time.perf_counter() - t0


def main() -> None:
    """Build, verify, compare."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        t0 = time.perf_counter()
        build(directory, args.entries, every=max(1, args.entries // 10))
        size = (directory / ENTRIES).stat().st_size
        took = time.perf_counter() - t0
        print(f"built {args.entries:,} entries ({size / args.entries:.0f} B/leaf) in {took:.1f} s")
        vkey = (directory / "keys.txt").read_text().strip()
        runs, bases, leaf_bases = [], [], []
        for _ in range(args.repeat):
            bases.append(baseline(directory, (ENTRIES, CHANGES)))
            leaf_bases.append(baseline(directory, (ENTRIES,)))
            t0 = time.perf_counter()
            report = verify_bundle(directory, [vkey])
            runs.append(time.perf_counter() - t0)
        best, base, leaf_base = min(runs), min(bases), min(leaf_bases)
        print(str(report).splitlines()[0])
        print(f"verify_bundle   : {best:.2f} s, {args.entries / best:,.0f} entries/s")
        print(f"baseline        : {base:.2f} s, SHA-256 of each line of entries + changes")
        print(f"entries-only    : {leaf_base:.2f} s, SHA-256 of every line of entries.jsonl")
        print(
            f"ratio           : {best / base:.2f}x the baseline (goal <= 3x, >= 300,000 entries/s)"
        )
        print(f"ratio (entries) : {best / leaf_base:.2f}x SHA-256 over entries.jsonl alone")


if __name__ == "__main__":
    main()
