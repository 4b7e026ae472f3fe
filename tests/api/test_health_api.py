"""Liveness and readiness."""

from __future__ import annotations

from importlib import metadata

from litestar.testing import AsyncTestClient

from api.app import create_app
from api.settings import DatabaseSettings, ServerSettings, Settings, StorageSettings
from tests.api.helpers import assert_problem


async def test_healthz_and_readyz_answer_on_a_migrated_database(client) -> None:
    version = metadata.version("docket")
    assert (await client.get("/healthz")).json() == {
        "status": "ok",
        "version": version,
        "detail": "",
    }
    assert (await client.get("/readyz")).json() == {
        "status": "ready",
        "version": version,
        "detail": "",
    }


async def test_the_api_document_carries_the_installed_version(client) -> None:
    spec = (await client.get("/schema/openapi.json")).json()
    assert spec["info"]["version"] == metadata.version("docket")


async def test_readyz_is_503_on_a_database_without_migrations(tmp_path) -> None:
    settings = Settings(
        storage=StorageSettings(data_dir=tmp_path),
        server=ServerSettings(base_url="http://docket.test"),
        database=DatabaseSettings(url=f"sqlite:///{tmp_path / 'empty.sqlite3'}"),
    )
    async with AsyncTestClient(app=create_app(settings, pool=False)) as client:
        assert (await client.get("/healthz")).status_code == 200
        body = assert_problem(await client.get("/readyz"), 503, "not-ready")
        assert "docket migrate" in str(body["detail"])


async def test_readyz_is_503_when_the_database_is_unreachable(tmp_path) -> None:
    settings = Settings(
        storage=StorageSettings(data_dir=tmp_path),
        server=ServerSettings(base_url="http://docket.test"),
        database=DatabaseSettings(url="postgresql://nobody@/none?host=/nonexistent&port=1"),
    )
    async with AsyncTestClient(app=create_app(settings, pool=False)) as client:
        body = assert_problem(await client.get("/readyz"), 503, "not-ready")
        assert "unreachable" in str(body["detail"])
