"""Shared fixtures: a real database per test (SQLite or PostgreSQL), settings, a fixed clock.

The engine comes from ``DOCKET_TEST_ENGINE`` (``sqlite``, the default, or ``postgres``). Each test
gets a fresh database cloned from one migrated template: SQLite copies the file, PostgreSQL uses
``CREATE DATABASE … TEMPLATE``. Nothing is truncated: the audit tables refuse DELETE by design.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from api.app import create_app
from api.composition import Composition
from api.settings import (
    AuthSettings,
    DatabaseSettings,
    Secret,
    ServerSettings,
    Settings,
    StorageSettings,
)
from domain import deadlines
from domain.identity import users
from domain.identity.auth import AuthPolicy
from domain.identity.model import User
from domain.shared import database
from domain.shared.model import Actor, ActorKind, Role
from tests.pgcluster import Cluster, PostgresUnavailableError, start_cluster

ENGINE = os.environ.get("DOCKET_TEST_ENGINE", "sqlite")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
SECRET = "test-secret-key-that-is-long-enough-0123456789"
PASSWORD = "a-long-test-password"


def pytest_report_header() -> str:
    return f"docket database engine: {ENGINE}"


@dataclass
class FixedClock:
    """The clock of a test: stands still unless moved."""

    current: datetime = T0

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


# ---------------------------------------------------------------- databases
@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster | None]:
    if ENGINE != "postgres":
        yield None
        return
    try:
        cluster = start_cluster(port=55432)
    except PostgresUnavailableError as exc:
        message = f"PostgreSQL run not possible: {exc}"
        pytest.exit(message, returncode=1 if IN_CI else 0)
    yield cluster
    cluster.stop()


async def _admin_execute(cluster: Cluster, sql: str) -> None:
    conn = await asyncpg.connect(cluster.url("postgres"))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def _migrate(url: str) -> None:
    database.use_engine(database.engine_from_url(url))
    await database.migrate()
    engine = database.current_engine()
    if url.startswith("sqlite"):
        await engine.run_ddl("PRAGMA wal_checkpoint(TRUNCATE)")


@pytest.fixture(scope="session")
def template_url(pg_cluster: Cluster | None, tmp_path_factory: pytest.TempPathFactory) -> str:
    if pg_cluster is None:
        url = f"sqlite:///{tmp_path_factory.mktemp('template') / 'template.sqlite3'}"
    else:
        asyncio.run(_admin_execute(pg_cluster, "CREATE DATABASE docket_template"))
        url = pg_cluster.url("docket_template")
    asyncio.run(_migrate(url))
    return url


@pytest.fixture
def database_url(template_url: str, pg_cluster: Cluster | None, tmp_path: Path) -> Iterator[str]:
    if pg_cluster is None:
        target = tmp_path / "docket.sqlite3"
        shutil.copyfile(template_url.removeprefix("sqlite:///"), target)
        yield f"sqlite:///{target}"
        return
    name = f"t_{uuid.uuid4().hex}"
    asyncio.run(_admin_execute(pg_cluster, f"CREATE DATABASE {name} TEMPLATE docket_template"))
    yield pg_cluster.url(name)
    asyncio.run(_admin_execute(pg_cluster, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[str]:
    """A migrated, empty database bound to every table for this test."""
    async with database.connected(database_url, pool=False):
        yield database_url


# ---------------------------------------------------------------- settings, clock, app
@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        storage=StorageSettings(data_dir=tmp_path),
        database=DatabaseSettings(url=database_url),
        server=ServerSettings(base_url="http://docket.test"),
        auth=AuthSettings(
            secret_key=Secret(SECRET),
            password_min_length=12,
            login_max_failures=3,
            login_lockout_seconds=300,
        ),
    )


@pytest.fixture
def auth_policy(settings: Settings) -> AuthPolicy:
    return Composition(settings).auth_policy


@pytest.fixture(scope="session")
def rulebook() -> deadlines.RuleBook:
    return deadlines.load()


@pytest.fixture
def app(settings: Settings, clock: FixedClock, rulebook: deadlines.RuleBook) -> Litestar:
    return create_app(settings, clock=clock, pool=False, rulebook=rulebook)


@pytest.fixture
async def client(app: Litestar, db: str) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


ROOT = Actor(kind=ActorKind.CLI, id=None, role=Role.ADMIN, name="cli:test")


async def make_user(role: Role, email: str | None = None, password: str = PASSWORD) -> User:
    new = users.NewUser(
        email=email or f"{role.value}-{uuid.uuid4().hex[:6]}@docket.example",
        display_name=f"Test {role.value}",
        role=role,
        password=password,
    )
    return await users.create_user(new, actor=ROOT, now=T0, password_min_length=12)


# ---------------------------------------------------------------- the console script
DOCKET = str(Path(sys.executable).parent / "docket")


def docket(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [DOCKET, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DOCKET_")},
        "DOCKET_DATA_DIR": str(tmp_path / "data"),
        "DOCKET_DATABASE_URL": database_url,
        "DOCKET_SECRET_KEY": "cli-test-secret-that-is-long-enough-000000",
    }
