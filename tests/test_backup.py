"""``docket backup`` and ``docket restore`` for real, on the test's engine: a restored Docket is
the same Docket (its audit log verifies with the old key, every file downloads), and a bad
archive or a non-empty target changes nothing.
"""

from __future__ import annotations

import asyncio
import io
import tarfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from api.app import create_app
from api.settings import DatabaseSettings, Settings, StorageSettings
from domain import deadlines
from domain.backup import engines
from domain.shared.model import Role
from tests.api.helpers import assert_problem, bearer
from tests.api.test_packages_api import approved_package, base
from tests.api.test_request_files_api import PDF, upload
from tests.conftest import SECRET, FixedClock, _admin_execute, docket
from tests.pgcluster import Cluster


@pytest.fixture
def fresh_database_url(pg_cluster: Cluster | None, tmp_path: Path) -> Iterator[str]:
    """A database with no table at all (a new PostgreSQL database in the throwaway cluster)."""
    if pg_cluster is None:
        yield f"sqlite:///{tmp_path / 'restored' / 'docket.sqlite3'}"
        return
    name = f"r_{uuid.uuid4().hex}"
    asyncio.run(_admin_execute(pg_cluster, f"CREATE DATABASE {name}"))
    yield pg_cluster.url(name)
    asyncio.run(_admin_execute(pg_cluster, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture
def app_of(clock: FixedClock, rulebook: deadlines.RuleBook) -> Callable[[Settings], Litestar]:
    return lambda settings: create_app(settings, clock=clock, pool=False, rulebook=rulebook)


def env_of(settings: Settings) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "DOCKET_DATA_DIR": str(settings.storage.data_dir),
        "DOCKET_DATABASE_URL": settings.database.url,
        "DOCKET_SECRET_KEY": SECRET,
        "DOCKET_BASE_URL": settings.server.base_url,
    }


def restored_settings(settings: Settings, url: str, data_dir: Path) -> Settings:
    return replace(
        settings,
        storage=StorageSettings(data_dir=data_dir),
        database=DatabaseSettings(url=url),
    )


async def has_tables(url: str) -> bool:
    if engines.engine_of(url) == engines.SQLITE:
        return engines.sqlite_has_tables(url)
    return await engines.postgres_has_tables(url)


async def populate(client) -> dict[str, bytes]:
    """An exhibit, a built and a signed package PDF, another document; each URL and its bytes."""
    done = await approved_package(client)
    specialist = await bearer(Role.SPECIALIST)
    more = await upload(client, done.request_id, specialist, ("second.pdf", PDF + b"2", "x/y"))
    urls = [
        f"/api/v1/requests/{done.request_id}/attachments/{more.json()['id']}",
        f"{base(done.request_id)}/versions/1/pdf",
        f"{base(done.request_id)}/versions/1/pdf?signed=false",
    ]
    exhibits = await client.get(
        f"/api/v1/requests/{done.request_id}/attachments", headers=specialist
    )
    urls += [
        f"/api/v1/requests/{done.request_id}/attachments/{a['id']}"
        for a in exhibits.json()["items"]
    ]
    files = {url: (await client.get(url, headers=specialist)).content for url in set(urls)}
    assert all(files.values())
    return files


def run_ok(*args: str, env: dict[str, str]) -> str:
    result = docket(*args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


async def test_a_restored_docket_verifies_with_the_old_key_and_serves_every_file(
    client,
    settings: Settings,
    fresh_database_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    app_of: Callable[[Settings], Litestar],
) -> None:
    files = await populate(client)
    env = env_of(settings)
    old_vkey = run_ok("audit", "vkey", env=env).strip()
    archive = tmp_path_factory.mktemp("backups") / "docket.tar.gz"
    wrote = run_ok("backup", "--out", str(archive), env=env)
    assert wrote.startswith(f"wrote {archive}: {engines.engine_of(settings.database.url)} database")
    target = restored_settings(settings, fresh_database_url, tmp_path_factory.mktemp("r") / "data")
    restored_env = env_of(target)
    assert "restored" in run_ok("restore", str(archive), env=restored_env)
    bundle = tmp_path_factory.mktemp("bundle") / "b"
    run_ok("audit", "export", "--out", str(bundle), env=restored_env)
    verified = run_ok("audit", "verify", str(bundle), "--vkey", old_vkey, env={"PATH": "/usr/bin"})
    assert verified.startswith("OK: ")
    app = app_of(target)
    async with AsyncTestClient(app=app) as restored:
        assert (await restored.get("/readyz")).json()["status"] == "ready"
        auditor = await bearer(Role.AUDITOR)
        keys = (await restored.get("/api/v1/audit/keys", headers=auditor)).json()["keys"]
        assert [k["vkey"] for k in keys] == [old_vkey]  # no new key was made
        specialist = await bearer(Role.SPECIALIST)
        for url, content in files.items():
            got = await restored.get(url, headers=specialist)
            assert got.status_code == 200, url
            assert got.content == content, url


async def test_a_tampered_archive_is_refused_and_nothing_is_written(
    client, settings: Settings, fresh_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    await populate(client)
    archive = tmp_path_factory.mktemp("backups") / "docket.tar.gz"
    wrote = run_ok("backup", "--out", str(archive), "--without-audit-key", env=env_of(settings))
    assert "not in the archive, keep your own copy: audit_key" in wrote
    with tarfile.open(archive, "r:gz") as tar:
        assert "data/audit_key" not in tar.getnames()
        assert "data/signing/demo-ca-key.pem" in tar.getnames()
    assert "not in the archive, keep your own copy: DOCKET_SECRET_KEY" in wrote
    tampered = archive.with_name("tampered.tar.gz")
    flip_a_byte_of_a_stored_file(archive, tampered)
    target = restored_settings(settings, fresh_database_url, tmp_path_factory.mktemp("r") / "data")
    result = docket("restore", str(tampered), env=env_of(target))
    assert result.returncode == 2
    assert result.stderr.startswith("docket: ")
    assert "does not match its SHA-256 digest; nothing was restored" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not target.storage.data_dir.exists()
    assert not await has_tables(fresh_database_url)


def flip_a_byte_of_a_stored_file(archive: Path, out: Path) -> None:
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        flipped = False
        for info in src:
            data = src.extractfile(info).read()  # type: ignore[union-attr]
            if not flipped and info.name.startswith("data/blobs/"):
                data, flipped = bytes([data[0] ^ 1]) + data[1:], True
            dst.addfile(info, io.BytesIO(data))
    assert flipped


async def test_a_restore_into_a_data_dir_or_database_that_is_not_empty_is_refused(
    client, settings: Settings, fresh_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    archive = tmp_path_factory.mktemp("backups") / "docket.tar.gz"
    run_ok("backup", "--out", str(archive), env=env_of(settings))
    busy_dir = tmp_path_factory.mktemp("busy")
    (busy_dir / "notes.txt").write_text("mine")
    into_busy_dir = docket(
        "restore",
        str(archive),
        env=env_of(restored_settings(settings, fresh_database_url, busy_dir)),
    )
    assert into_busy_dir.returncode == 2
    assert "is not empty" in into_busy_dir.stderr
    assert [p.name for p in busy_dir.iterdir()] == ["notes.txt"]
    assert not await has_tables(fresh_database_url)
    # the original database has tables: refused, whatever the data dir
    empty_dir = tmp_path_factory.mktemp("empty") / "data"
    into_used_db = docket(
        "restore",
        str(archive),
        env=env_of(restored_settings(settings, settings.database.url, empty_dir)),
    )
    assert into_used_db.returncode == 2
    assert "the database (DOCKET_DATABASE_URL) is not empty" in into_used_db.stderr
    assert not empty_dir.exists()
    again = docket("backup", "--out", str(archive), env=env_of(settings))
    assert again.returncode == 2
    assert "never overwrites" in again.stderr


async def test_a_database_restored_without_its_files_refuses_a_new_key_and_is_not_ready(
    client,
    settings: Settings,
    fresh_database_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    app_of: Callable[[Settings], Litestar],
) -> None:
    files = await populate(client)
    archive = tmp_path_factory.mktemp("backups") / "docket.tar.gz"
    run_ok("backup", "--out", str(archive), env=env_of(settings))
    # what restoring the database alone does: the database copy, none of the data dir
    staged = tmp_path_factory.mktemp("staged")
    with tarfile.open(archive, "r:gz") as tar:
        member = next(m for m in tar if m.name.startswith("database/"))
        (staged / "dump").write_bytes(tar.extractfile(member).read())  # type: ignore[union-attr]
    if engines.engine_of(fresh_database_url) == engines.SQLITE:
        engines.restore_sqlite(staged / "dump", fresh_database_url)
    else:
        engines.restore_postgres(staged / "dump", fresh_database_url)
    data_dir = tmp_path_factory.mktemp("r") / "data"
    target = restored_settings(settings, fresh_database_url, data_dir)
    refused = docket("serve", env={**env_of(target), "DOCKET_PORT": "1"})
    assert refused.returncode == 2
    assert "no key file at" in refused.stderr
    assert "restore the key file from your backup" in refused.stderr
    assert not (data_dir / "audit_key").exists()
    # the key file put back by hand, the stored files still missing
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "audit_key").write_bytes((settings.storage.data_dir / "audit_key").read_bytes())
    app = app_of(target)
    async with AsyncTestClient(app=app) as restored:
        body = assert_problem(await restored.get("/readyz"), 503, "not-ready")
        assert "missing from the file store" in str(body["detail"])
        specialist = await bearer(Role.SPECIALIST)
        for url in files:
            assert_problem(await restored.get(url, headers=specialist), 410, "stored-file-missing")
