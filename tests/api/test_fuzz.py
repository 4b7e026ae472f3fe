"""Schemathesis fuzzes every operation of the OpenAPI document through the ASGI app.

Each role gets its own run, with its own bearer token, over a database of its own. All of
Schemathesis' checks are on: no answer may be a 5xx, and every answer must match the document
(status, content type, headers, body); a schema-valid request must be accepted and an invalid
one refused. Generation is derandomized with a fixed seed and a bounded number of examples per
operation, so that a run is reproducible and stays within a few minutes on a small machine.

An admin holds every permission, so its run goes deep: the document's examples, Schemathesis'
coverage phase (every boundary of every parameter and field) and random cases. The other roles
mostly meet their guards; their runs take the examples and a few random cases each.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from litestar import Litestar
from litestar.serialization import decode_json, encode_json
from litestar.types import Receive, Scope, Send
from schemathesis.config import PositiveDataAcceptanceConfig
from schemathesis.config._checks import POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES
from schemathesis.python import asgi
from schemathesis.schemas import BaseSchema

from api.app import create_app
from api.settings import (
    AuthSettings,
    DatabaseSettings,
    Secret,
    ServerSettings,
    Settings,
    StorageSettings,
)
from domain import deadlines
from domain.shared import database
from domain.shared.model import Role
from tests.api.helpers import bearer
from tests.conftest import SECRET, FixedClock, _admin_execute
from tests.pgcluster import Cluster

SEED = 17
DEEP_EXAMPLES = 5
SHALLOW_EXAMPLES = 2


def _settings(data_dir: Path, database_url: str) -> Settings:
    return Settings(
        storage=StorageSettings(data_dir=data_dir),
        database=DatabaseSettings(url=database_url),
        server=ServerSettings(base_url="http://docket.test"),
        auth=AuthSettings(secret_key=Secret(SECRET)),
    )


def _document() -> dict[str, Any]:
    """The OpenAPI document, as the app serves it (building the app touches no database)."""
    with tempfile.TemporaryDirectory() as tmp:
        unused = _settings(Path(tmp), f"sqlite:///{tmp}/unused.sqlite3")
        app = create_app(unused, pool=False, run_scheduler=False)
        document: dict[str, Any] = decode_json(encode_json(app.openapi_schema.to_schema()))
    return document


class RoleApp:
    """The ASGI app Schemathesis calls: it hands each call to the app of the role under test.

    Schemathesis needs an app when the schema is loaded (at collection), before any database
    exists; each role's run then puts its own app behind this one.
    """

    def __init__(self) -> None:
        self.current: Litestar | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.current is not None, "no role's app is set"
        await self.current(scope, receive, send)


role_app = RoleApp()
DOCUMENT = _document()


def _schema(*, phases: list[str], max_examples: int) -> BaseSchema:
    schema = schemathesis.openapi.from_dict(DOCUMENT)
    schema.app = role_app
    schema.config.seed = SEED
    schema.config.phases.update(phases=phases)
    schema.config.generation.update(max_examples=max_examples, deterministic=True, database="none")
    # A schema-valid request may still break a rule the document cannot state (a start after
    # its end, a rule id no jurisdiction has, a receipt in the future): a 422 problem. A 400
    # stays a failure: it says that the request does not match the document.
    schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
        expected_statuses=[*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "422"]
    )
    return schema


deep = _schema(phases=["examples", "coverage", "fuzzing"], max_examples=DEEP_EXAMPLES)
shallow = _schema(phases=["examples", "fuzzing"], max_examples=SHALLOW_EXAMPLES)
OTHER_ROLES = [r for r in Role if r is not Role.ADMIN]


@pytest.fixture(scope="module")
def role(request: pytest.FixtureRequest) -> Role:
    chosen: Role = request.param
    return chosen


@pytest.fixture(scope="module")
def fuzz_database(
    role: Role,
    template_url: str,
    pg_cluster: Cluster | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """A fresh database for one role's run (shared by its operations, as a real server's is)."""
    if pg_cluster is None:
        target = tmp_path_factory.mktemp(f"fuzz-{role.value}") / "docket.sqlite3"
        shutil.copyfile(template_url.removeprefix("sqlite:///"), target)
        yield f"sqlite:///{target}"
        return
    name = f"fuzz_{uuid.uuid4().hex}"
    asyncio.run(_admin_execute(pg_cluster, f"CREATE DATABASE {name} TEMPLATE docket_template"))
    yield pg_cluster.url(name)
    asyncio.run(_admin_execute(pg_cluster, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


async def _token(url: str, role: Role) -> dict[str, str]:
    async with database.connected(url, pool=False):
        return await bearer(role)


@pytest.fixture(scope="module")
def fuzz_app(
    role: Role,
    fuzz_database: str,
    rulebook: deadlines.RuleBook,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, str]]:
    """The app and the ``Authorization`` header of one role; Schemathesis runs its lifespan."""
    headers = asyncio.run(_token(fuzz_database, role))
    settings_ = _settings(tmp_path_factory.mktemp(f"fuzz-data-{role.value}"), fuzz_database)
    # every call runs on Schemathesis' one event loop thread, so the app may keep a pool
    app = create_app(
        settings_,
        clock=FixedClock(),
        pool=True,
        rulebook=rulebook,
        run_scheduler=False,
    )
    role_app.current = app
    yield headers
    asgi.shutdown_lifespans()  # ends this app's lifespan: the next role's starts afresh
    role_app.current = None


@deep.parametrize()
@pytest.mark.parametrize("role", [Role.ADMIN], indirect=True, ids=["admin"])
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_every_operation_keeps_its_contract_for_an_admin(
    case: schemathesis.Case, fuzz_app: dict[str, str]
) -> None:
    case.call_and_validate(headers=fuzz_app)


@shallow.parametrize()
@pytest.mark.parametrize("role", OTHER_ROLES, indirect=True, ids=[r.value for r in OTHER_ROLES])
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_every_operation_keeps_its_contract_for_every_other_role(
    case: schemathesis.Case, fuzz_app: dict[str, str]
) -> None:
    case.call_and_validate(headers=fuzz_app)
