"""The `docket` console script, run for real against a database."""

from __future__ import annotations

import asyncio
from importlib import metadata
from pathlib import Path

import pytest

from domain.identity import repo
from domain.identity.auth import AuthPolicy, authenticate
from domain.shared import database
from tests.conftest import T0, docket


async def _count_users(url: str) -> int:
    async with database.connected(url, pool=False):
        return await repo.count_users()


def test_version_names_the_installed_release(env: dict[str, str]) -> None:
    result = docket("--version", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"docket, version {metadata.version('docket')}\n"


def test_migrate_and_demo_are_idempotent(env: dict[str, str], database_url: str) -> None:
    assert docket("migrate", env=env).stdout.strip() == "database is up to date"
    first = docket("demo", env=env)
    assert first.returncode == 0, first.stderr
    assert "created demo users" in first.stdout
    assert "admin@docket.example" in first.stdout
    second = docket("demo", env=env)
    assert "nothing created" in second.stdout
    assert asyncio.run(_count_users(database_url)) == 4


def test_migrate_creates_a_new_sqlite_database(tmp_path: Path, env: dict[str, str]) -> None:
    env = {**env, "DOCKET_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh' / 'd.sqlite3'}"}
    result = docket("migrate", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("applied ")
    assert docket("migrate", env=env).stdout.strip() == "database is up to date"


def test_users_create_reads_the_password_from_stdin(env: dict[str, str]) -> None:
    created = docket(
        "users",
        "create",
        "--email",
        "Lee@Docket.example",
        "--role",
        "legal",
        env=env,
        stdin="a-long-enough-password\n",
    )
    assert created.returncode == 0, created.stderr
    assert "created legal lee@docket.example" in created.stdout
    listed = docket("users", "list", env=env)
    assert "lee@docket.example" in listed.stdout
    assert "active" in listed.stdout
    disabled = docket("users", "disable", "lee@docket.example", env=env)
    assert disabled.returncode == 0
    assert "disabled" in docket("users", "list", env=env).stdout


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ("users", "create", "--email", "x@docket.example", "--role", "legal"),
            "short\n",
            "password: must be at least 12",
        ),
        (
            ("users", "create", "--email", "nope", "--role", "legal"),
            "a-long-enough-password\n",
            "email:",
        ),
        (("users", "disable", "ghost@docket.example"), "", "no user with e-mail"),
        (("tokens", "revoke", "6f1c2a3b-0000-4000-8000-000000000000"), "", "does not exist"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(
    env: dict[str, str], args: tuple[str, ...], stdin: str, message: str
) -> None:
    result = docket(*args, env=env, stdin=stdin)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr


def test_bad_configuration_is_one_line_and_exit_2(env: dict[str, str]) -> None:
    result = docket("migrate", env={**env, "DOCKET_PORT": "x", "DOCKET_LOG_LEVEL": "LOUD"})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "DOCKET_PORT" in result.stderr
    assert "DOCKET_LOG_LEVEL" in result.stderr


def test_tokens_create_prints_a_working_token_alone_on_its_last_line(
    env: dict[str, str], database_url: str
) -> None:
    result = docket(
        "tokens", "create", "--name", "dlp", "--role", "system", "--expires-in", "30d", env=env
    )
    assert result.returncode == 0, result.stderr
    secret = result.stdout.strip().splitlines()[-1]
    assert secret.startswith("dkt_")
    assert " " not in secret

    async def check() -> str:
        async with database.connected(database_url, pool=False):
            policy = AuthPolicy(
                secret_key="x" * 32, access_token_ttl=60, max_failures=3, lockout_seconds=60
            )
            return (await authenticate(secret, policy=policy, now=T0)).role.value

    assert asyncio.run(check()) == "system"
    listed = docket("tokens", "list", env=env)
    assert secret not in listed.stdout
    assert "dlp" in listed.stdout
    token_id = listed.stdout.split()[0]
    assert docket("tokens", "revoke", token_id, env=env).returncode == 0
    assert "revoked" in docket("tokens", "list", env=env).stdout


def test_a_bad_token_lifetime_is_refused(env: dict[str, str]) -> None:
    result = docket(
        "tokens", "create", "--name", "x", "--role", "system", "--expires-in", "soon", env=env
    )
    assert result.returncode == 2
    assert "90d" in result.stderr


def test_a_role_map_naming_no_docket_role_stops_the_server_with_one_line(
    env: dict[str, str],
) -> None:
    sso = {
        "DOCKET_OIDC_ISSUER": "https://id.example.com",
        "DOCKET_OIDC_CLIENT_ID": "docket",
        "DOCKET_OIDC_ROLE_MAP": "docket-legal=lawyer",
    }
    result = docket("serve", env={**env, **sso})
    assert result.returncode == 2
    ours = [line for line in result.stderr.splitlines() if line.startswith("docket:")]
    assert ours == [
        "docket: invalid configuration: DOCKET_OIDC_ROLE_MAP: 'lawyer' in 'docket-legal=lawyer'"
        " is not a Docket role (admin, auditor, legal, specialist)"
    ]
