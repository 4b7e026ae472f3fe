"""Benchmark `docket serve` until /readyz answers against a bare Litestar app, in one run.

Each figure is a whole start: a new process on a free loopback port, polled every 10 ms until
GET /readyz answers 200, then stopped. Alternately, --rounds times each:

- the baseline: uvicorn serving a bare Litestar app whose /readyz runs one SELECT on the same
  SQLite file (the interpreter, Litestar, uvicorn, one database round trip);
- `docket serve --no-scheduler` on a temporary SQLite database migrated like `docket migrate`
  (a checkpoint already signed by a first start, as on any start but the very first).

Goal: `docket serve` ready within 1.5 s. Prints figures only; asserts nothing.

Run: .venv/bin/python -m bench.serve_start [--rounds 7]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.login_burst import ROOT_DIR, free_port, start_server
from bench.login_burst import seed as seed_users

BARE_APP = """
import sqlite3, sys
from litestar import Litestar, get

PATH = sys.argv[1]

@get("/readyz", sync_to_thread=False)
def readyz() -> dict[str, str]:
    with sqlite3.connect(PATH) as connection:
        connection.execute("SELECT 1").fetchall()
    return {"status": "ready"}

app = Litestar(route_handlers=[readyz])
"""


def bare_server(script: Path, path: Path, port: int) -> subprocess.Popen[bytes]:
    """uvicorn serving the bare app, as `docket serve` serves Docket."""
    code = (
        "import runpy, sys, uvicorn;"
        f"app = runpy.run_path({str(script)!r})['app'];"
        f"uvicorn.run(app, host='127.0.0.1', port={port}, access_log=False, log_level='warning')"
    )
    command = [sys.executable, "-c", code, str(path)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603


def until_ready(start: float, port: int, server: subprocess.Popen[bytes]) -> float:
    """Seconds from ``start`` until /readyz answers 200 (then the server is stopped)."""
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            for _ in range(6000):
                try:
                    if client.get("/readyz").status_code == 200:
                        return time.perf_counter() - start
                except httpx.TransportError:
                    pass
                if server.poll() is not None:
                    raise SystemExit("the server stopped before it was ready")
                time.sleep(0.01)
        raise SystemExit("the server was not ready within a minute")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    """Seed once, then alternate the two starts and print medians and their ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        path = data / "bench.sqlite3"
        url = f"sqlite:///{path}"

        asyncio.run(seed_users(url, 1))
        script = data / "bare_app.py"
        script.write_text(BARE_APP)
        port = free_port()
        until_ready(time.perf_counter(), port, start_server(url, data, port))  # first checkpoint
        bare, docket = [], []
        for _ in range(args.rounds):
            port = free_port()
            started = time.perf_counter()
            bare.append(until_ready(started, port, bare_server(script, path, port)))
            port = free_port()
            started = time.perf_counter()
            docket.append(until_ready(started, port, start_server(url, data, port)))
    a, b = statistics.median(bare), statistics.median(docket)
    print(f"bare Litestar until /readyz  median {a:5.2f} s  (min {min(bare):.2f})")
    print(f"docket serve until /readyz   median {b:5.2f} s  (min {min(docket):.2f})  goal <= 1.5 s")
    print(f"ratio docket / bare: {b / a:.1f}")
    print(f"(checkout: {ROOT_DIR})")


if __name__ == "__main__":
    main()
