"""Benchmark how long ``docket --help`` takes against starting the same Python, in one run.

Each figure is a whole process (the interpreter, the imports, the answer), run --rounds times
alternately with the baseline, ``python -c pass`` on the same interpreter.

Goal: ``docket --help`` within 0.5 s. Prints figures only; asserts nothing.

Run: .venv/bin/python bench/cli_start.py [--rounds 10]
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
    """Alternate the two commands and print their medians and ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    python = [sys.executable, "-c", "pass"]
    docket = [sys.executable, "-c", "from api.cli import main; main()", "--help"]
    bare, helped = [], []
    for _ in range(args.rounds):
        bare.append(seconds(python))
        helped.append(seconds(docket))
    a, b = statistics.median(bare), statistics.median(helped)
    print(f"python -c pass  median {a:5.3f} s  (min {min(bare):.3f})")
    print(f"docket --help   median {b:5.3f} s  (min {min(helped):.3f})  goal <= 0.5 s")
    print(f"ratio docket / python: {b / a:.1f}")


if __name__ == "__main__":
    main()
