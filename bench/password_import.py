"""Benchmark importing ``domain.identity.passwords`` against importing argon2 alone, in one run.

Each figure is a whole process (the interpreter, the import), run --rounds times alternately
with the baseline, ``import argon2, anyio.to_thread`` on the same interpreter: the module's own
dependencies, so what is left is the module's own work at import (a dummy hash computed there
costs one Argon2 hash, about 64 MiB and a quarter of a second, in every process).

Goal: the module within a few milliseconds of its dependencies. Prints figures only; asserts
nothing.

Run: .venv/bin/python bench/password_import.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def seconds(command: list[str]) -> float:
    """Wall time of one run of ``command``."""
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)  # noqa: S603 - our own interpreter
    return time.perf_counter() - start


def main() -> None:
    """Alternate the two imports and print their medians, difference and ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    bare = [sys.executable, "-c", "import argon2, anyio.to_thread"]
    module = [sys.executable, "-c", "import domain.identity.passwords"]
    base, ours = [], []
    for _ in range(args.rounds):
        base.append(seconds(bare))
        ours.append(seconds(module))
    a, b = statistics.median(base), statistics.median(ours)
    print(f"import argon2, anyio          median {a * 1e3:6.1f} ms  (min {min(base) * 1e3:.1f})")
    print(f"import domain.identity.passwords median {b * 1e3:6.1f} ms  (min {min(ours) * 1e3:.1f})")
    print(f"difference {(b - a) * 1e3:.1f} ms, ratio module / dependencies: {b / a:.2f}")


if __name__ == "__main__":
    main()
