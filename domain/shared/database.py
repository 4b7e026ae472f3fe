"""The database engine: chosen from the URL, bound to every table, migrated, checked."""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
import os
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

import asyncpg
from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.apps.migrations.tables import Migration
from piccolo.conf.apps import AppConfig, Finder
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table

from domain.shared.errors import NotReadyError
from domain.shared.sqlite_engine import ReusingSQLiteEngine

APPS: Final = ("domain.piccolo_app", "audit.piccolo_app")
"""The Piccolo apps, in dependency order; each owning package has its tables and migrations."""

SQLITE_BUSY_TIMEOUT_S: Final = 30.0


def engine_from_url(url: str, *, reuse_connections: bool = False) -> Engine:  # type: ignore[type-arg]
    """A ``SQLiteEngine`` for ``sqlite:///path``, a ``PostgresEngine`` for ``postgresql://``.

    ``reuse_connections`` keeps SQLite connections open between queries (one event loop's
    server; PostgreSQL has its connection pool for that).
    """
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        make_private(path)
        return ReusingSQLiteEngine(
            path=str(path),
            timeout=SQLITE_BUSY_TIMEOUT_S,
            max_idle=4 if reuse_connections else 0,
        )
    if urlsplit(url).scheme in {"postgresql", "postgres"}:
        return PostgresEngine(config={"dsn": url})
    msg = f"unsupported database URL scheme in {url.split(':', 1)[0]!r}"
    raise ValueError(msg)


SQLITE_COMPANIONS: Final = ("-wal", "-shm", "-journal")


def make_private(path: Path) -> None:
    """Create the SQLite file readable by its owner alone (0600), or make it so.

    The file holds requests, holds and personal data, like the keys beside it. SQLite gives its
    -wal and -shm files the mode of the database file, so a new database stays private; an
    existing one (and its companions) is narrowed here, once per start.
    """
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for file in (path, *(path.with_name(path.name + s) for s in SQLITE_COMPANIONS)):
        # another owner's file cannot be changed; opening it will say what is wrong
        with contextlib.suppress(FileNotFoundError, PermissionError):
            if file.stat().st_mode & 0o077:
                file.chmod(0o600)


def _app_configs() -> list[AppConfig]:
    return [importlib.import_module(name).APP_CONFIG for name in APPS]


def _tables() -> list[type[Table]]:
    return [Migration, *(t for config in _app_configs() for t in config.table_classes)]


_current: list[Engine] = []  # type: ignore[type-arg]


def use_engine(engine: Engine) -> Engine:  # type: ignore[type-arg]
    """Bind ``engine`` to every table (and to Piccolo's migration runner); return it."""
    for table in _tables():
        table._meta.db = engine
    conf = Finder().get_piccolo_conf_module()
    if conf is not None:
        conf.DB = engine
    _current[:] = [engine]
    return engine


def current_engine() -> Engine:  # type: ignore[type-arg]
    """The engine bound by ``use_engine``."""
    if not _current:
        msg = "no database engine bound; call domain.shared.database.use_engine first"
        raise RuntimeError(msg)
    return _current[0]


def write_transaction() -> contextlib.AbstractAsyncContextManager[object]:
    """A transaction for a change; SQLite takes its write lock at BEGIN (no upgrade deadlock)."""
    engine = current_engine()
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    transaction: contextlib.AbstractAsyncContextManager[object] = engine.transaction()
    return transaction


def is_unique_violation(exc: BaseException) -> bool:
    """Whether a driver error is a unique-constraint violation (SQLite or PostgreSQL)."""
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE constraint failed" in str(exc)
    return isinstance(exc, asyncpg.UniqueViolationError)


async def prepare(engine: Engine) -> None:  # type: ignore[type-arg]
    """Per-database settings that persist: SQLite's write-ahead log.

    ``synchronous`` does not persist: every connection sets it (``ReusingSQLiteEngine``).
    """
    if isinstance(engine, SQLiteEngine):
        await engine.run_ddl("PRAGMA journal_mode=WAL")


async def migrate(*, verbose: bool = False) -> list[str]:
    """Apply every pending migration of every app to the bound engine; return the ids applied.

    Raises:
        NotReadyError: when a migration fails.
    """
    engine = current_engine()
    await prepare(engine)
    before = set(await _applied_ids())
    out = io.StringIO()
    with contextlib.redirect_stdout(sys.stdout if verbose else out):
        result = await run_forwards(app_name="all")
    if not result.success:
        raise NotReadyError(f"migration failed: {result.message}")
    applied = sorted(set(await _applied_ids()) - before)
    if applied:
        # new indexes are chosen by statistics: without them SQLite guesses, and can pick the
        # deadline index over a filter's or the other way round
        await engine.run_ddl("ANALYZE")
    return applied


async def _applied_ids() -> list[str]:
    if not await Migration.table_exists().run():
        return []
    rows = await Migration.select(Migration.name).run()
    return [str(row["name"]) for row in rows]


@functools.cache
def known_migration_ids() -> tuple[str, ...]:
    """Every migration shipped with this version of Docket (read from disk once a process)."""
    manager = BaseMigrationManager()
    ids: list[str] = []
    for config in _app_configs():
        modules = manager.get_migration_modules(config.resolved_migrations_folder_path)
        ids.extend(manager.get_migration_ids(modules))
    return tuple(sorted(ids))


_ready: list[Engine] = []  # type: ignore[type-arg]
"""The engine whose database was last seen with every shipped migration applied."""


async def check_ready() -> None:
    """Succeed when the database answers and every shipped migration is applied.

    Raises:
        NotReadyError: naming what is wrong.
    """
    engine = current_engine()
    try:
        await engine.run_ddl("SELECT 1")
        if _ready and _ready[0] is engine:
            # migrations are never taken back: once all were there, asking again only costs
            # a query (and the module scan) on every probe of the load balancer
            return
        applied = set(await _applied_ids())
    except Exception as exc:
        raise NotReadyError("the database is unreachable") from exc
    missing = [m for m in known_migration_ids() if m not in applied]
    if missing:
        raise NotReadyError(f"{len(missing)} migration(s) not applied; run 'docket migrate'")
    _ready[:] = [engine]


@contextlib.asynccontextmanager
async def connected(url: str, *, pool: bool = True) -> AsyncIterator[Engine]:  # type: ignore[type-arg]
    """Bind an engine for ``url`` for the duration; with ``pool``, connections are kept and reused.

    Without a pool every query opens its own connection, so the engine can serve several event
    loops (a test and the app it drives run in different threads).
    """
    engine = use_engine(engine_from_url(url, reuse_connections=pool))
    pg = engine if pool and isinstance(engine, PostgresEngine) else None
    if pg is not None:
        await pg.start_connection_pool(min_size=1, max_size=10)
    try:
        yield engine
    finally:
        if pg is not None:
            await pg.close_connection_pool()
        if isinstance(engine, ReusingSQLiteEngine):
            await engine.close_idle()
