"""Several API processes on one database and data dir, with default settings; a lost audit key."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from api.app import create_app
from api.settings import ServerSettings, Settings
from audit.errors import KeyMissingError
from domain import deadlines
from domain.shared.model import Role
from tests.api.helpers import bearer
from tests.conftest import FixedClock, docket


def _on_port(settings: Settings, port: int) -> Settings:
    # no DOCKET_BASE_URL, no DOCKET_AUDIT_ORIGIN: each process's default is its own host:port
    return replace(settings, server=ServerSettings(host="127.0.0.1", port=port))


async def test_two_processes_on_different_ports_sign_under_the_stored_origin(
    settings: Settings, db: str, clock: FixedClock, rulebook: deadlines.RuleBook
) -> None:
    first = create_app(_on_port(settings, 8000), clock=clock, pool=False, rulebook=rulebook)
    second = create_app(_on_port(settings, 8001), clock=clock, pool=False, rulebook=rulebook)
    async with AsyncTestClient(app=first) as one, AsyncTestClient(app=second) as two:
        headers = await bearer(Role.AUDITOR)
        a = await one.get("/api/v1/audit/checkpoint", headers=headers)
        b = await two.get("/api/v1/audit/checkpoint", headers=headers)
        assert a.status_code == b.status_code == 200, a.text + b.text
        assert a.text.splitlines()[0] == b.text.splitlines()[0] == "127.0.0.1:8000/docket-audit"
        keys = (await two.get("/api/v1/audit/keys", headers=headers)).json()["keys"]
        assert len(keys) == 1  # one key, shared through the data dir


async def test_an_app_on_a_signed_log_without_its_key_refuses_to_start(
    settings: Settings, db: str, clock: FixedClock, rulebook: deadlines.RuleBook, tmp_path: Path
) -> None:
    async with AsyncTestClient(
        app=create_app(settings, clock=clock, pool=False, rulebook=rulebook)
    ):
        pass  # signs the first checkpoint
    restored = replace(settings, storage=replace(settings.storage, data_dir=tmp_path / "fresh"))
    app = create_app(restored, clock=clock, pool=False, rulebook=rulebook)
    with pytest.raises(BaseExceptionGroup) as caught:  # the lifespan's task group raises it
        async with AsyncTestClient(app=app):
            pass
    assert caught.group_contains(KeyMissingError)
    assert not (tmp_path / "fresh" / "audit_key").exists()


def test_serve_on_a_signed_log_without_its_key_says_why_in_one_line(
    env: dict[str, str], tmp_path: Path
) -> None:
    assert docket("audit", "vkey", env=env).returncode == 0
    assert docket("audit", "export", "--out", str(tmp_path / "bundle"), env=env).returncode == 0
    lost = {**env, "DOCKET_DATA_DIR": str(tmp_path / "restored"), "DOCKET_PORT": "1"}
    result = docket("serve", env=lost)
    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("docket: the audit log's checkpoints are signed by key ")
    assert "docket audit rotate-key" in last
    worker = docket("worker", env=lost)
    assert worker.returncode == 2
    assert "docket audit rotate-key" in worker.stderr.strip().splitlines()[-1]
    rotated = docket("audit", "rotate-key", env=lost)
    assert rotated.returncode == 0, rotated.stderr
    assert rotated.stdout.startswith("new verifier key: ")


def test_the_verifier_key_of_a_database_not_yet_migrated_names_the_fix(
    env: dict[str, str], tmp_path: Path
) -> None:
    fresh = {**env, "DOCKET_DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}"}
    result = docket("audit", "vkey", env=fresh)
    assert result.returncode == 2
    assert result.stderr.startswith("docket: not ready: ")
    assert "docket migrate" in result.stderr
