"""A consistent copy of the database, and putting one back.

SQLite: its online backup API. PostgreSQL: ``pg_dump`` (custom format), and ``pg_restore`` in
one transaction.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Final
from urllib.parse import unquote, urlsplit, urlunsplit

import asyncpg

from domain.backup.errors import BackupToolError

SQLITE: Final = "sqlite"
POSTGRESQL: Final = "postgresql"
PAGES_PER_STEP: Final = 4096
TOOL_TIMEOUT_S: Final = 6 * 3600


def engine_of(url: str) -> str:
    """``sqlite`` or ``postgresql``."""
    return SQLITE if url.startswith("sqlite:") else POSTGRESQL


def sqlite_path(url: str) -> Path:
    """The file of a ``sqlite:///path`` URL."""
    return Path(url.removeprefix("sqlite:///"))


def dump_file_name(engine: str) -> str:
    """The name of the database copy in an archive."""
    return "docket.sqlite3" if engine == SQLITE else "docket.pgdump"


# ---------------------------------------------------------------- SQLite
def dump_sqlite(url: str, out: Path, progress: Callable[[int, int], None]) -> None:
    """Copy the live database to ``out`` with SQLite's online backup API.

    The copy is consistent while other connections go on writing.
    """
    source = sqlite3.connect(f"file:{sqlite_path(url)}?mode=ro", uri=True)
    target = sqlite3.connect(out)
    try:

        def step(_status: int, remaining: int, total: int) -> None:
            progress(total - remaining, total)

        source.backup(target, pages=PAGES_PER_STEP, progress=step)
    finally:
        target.close()
        source.close()


def sqlite_has_tables(url: str) -> bool:
    """Whether the database file exists and holds a table (it is not opened if absent)."""
    path = sqlite_path(url)
    if not path.exists():
        return False
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()
    finally:
        conn.close()
    return bool(row[0])


def restore_sqlite(dump: Path, url: str) -> None:
    """Move the copy ``dump`` into place as the database file (same folder: an atomic rename)."""
    target = sqlite_path(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".restoring")
    shutil.copyfile(dump, partial)
    os.chmod(partial, 0o600)
    os.replace(partial, target)


# ---------------------------------------------------------------- PostgreSQL
def find_pg_tool(name: str) -> Path:
    """``pg_dump`` or ``pg_restore``: on PATH, else the newest under /usr/lib/postgresql.

    A newer pg_dump reads an older server; an older one refuses a newer server.

    Raises:
        BackupToolError: not installed.
    """
    found = shutil.which(name)
    if found:
        return Path(found)
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if candidates:
        return Path(candidates[-1])
    raise BackupToolError(name, "not found; install postgresql-client (the server's version)")


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The URL without its password, and an environment that carries the password.

    Never in argv, which every user of the machine can read.
    """
    parts = urlsplit(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    if parts.password is not None:
        env["PGPASSWORD"] = unquote(parts.password)
        user = parts.username or ""
        host = parts.hostname or ""
        host = f"[{host}]" if ":" in host else host
        netloc = (f"{user}@" if user else "") + host + (f":{parts.port}" if parts.port else "")
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts), env


def _run(tool: str, *args: str, url: str) -> None:
    dsn, env = _libpq(url)
    command = [str(find_pg_tool(tool)), *args, f"--dbname={dsn}"]
    try:
        done = subprocess.run(  # noqa: S603 - a fixed tool, arguments of ours
            command, env=env, capture_output=True, text=True, timeout=TOOL_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BackupToolError(tool, f"could not run ({type(exc).__name__})") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        raise BackupToolError(tool, last)


def dump_postgres(url: str, out: Path) -> None:
    """``pg_dump`` in custom format: one consistent snapshot (a repeatable-read transaction)."""
    _run("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={out}", url=url)


async def postgres_has_tables(url: str) -> bool:
    """Whether the database holds a table outside PostgreSQL's own schemas."""
    conn = await asyncpg.connect(url)
    try:
        count = await conn.fetchval(
            "SELECT count(*) FROM information_schema.tables"
            " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        )
    finally:
        await conn.close()
    return bool(count)


def restore_postgres(dump: Path, url: str) -> None:
    """``pg_restore`` in one transaction: all of it, or (on an error) nothing."""
    _run(
        "pg_restore",
        "--single-transaction",
        "--exit-on-error",
        "--no-owner",
        "--no-privileges",
        str(dump),
        url=url,
    )
