"""Settings come from DOCKET_* variables, report every problem at once, and hide secrets."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from api.settings import ConfigError, Secret, Settings, database_url_from_env


def test_defaults_put_everything_under_the_data_dir(tmp_path: Path) -> None:
    settings = Settings.from_env({"DOCKET_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'docket.sqlite3'}"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.base_url == "http://127.0.0.1:8000"
    assert settings.problem_base_uri == "http://127.0.0.1:8000/problems"
    assert settings.database_kind == "sqlite"


def test_the_secret_key_is_generated_once_with_mode_0600(tmp_path: Path) -> None:
    first = Settings.from_env({"DOCKET_DATA_DIR": str(tmp_path / "new")})
    key_file = tmp_path / "new" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    second = Settings.from_env({"DOCKET_DATA_DIR": str(tmp_path / "new")})
    assert first.secret_key == second.secret_key
    assert len(first.secret_key.value) >= 32


def test_secrets_never_show_in_reprs(tmp_path: Path) -> None:
    settings = Settings.from_env({"DOCKET_DATA_DIR": str(tmp_path), "DOCKET_SECRET_KEY": "s" * 40})
    assert "s" * 40 not in repr(settings)
    assert "s" * 40 not in str(settings.secret_key)
    assert repr(Secret("hunter2hunter2")) == "Secret('***')"


def test_every_invalid_variable_is_reported_at_once(tmp_path: Path) -> None:
    env = {
        "DOCKET_DATA_DIR": str(tmp_path),
        "DOCKET_PORT": "eighty",
        "DOCKET_DATABASE_URL": "mysql://x",
        "DOCKET_SECRET_KEY": "short",
        "DOCKET_BASE_URL": "ftp://x",
        "DOCKET_LOG_LEVEL": "LOUD",
        "DOCKET_ACCESS_TOKEN_TTL": "-1",
    }
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(env)
    named = {p.split(":")[0] for p in caught.value.problems}
    assert named == {
        "DOCKET_PORT",
        "DOCKET_DATABASE_URL",
        "DOCKET_SECRET_KEY",
        "DOCKET_BASE_URL",
        "DOCKET_LOG_LEVEL",
        "DOCKET_ACCESS_TOKEN_TTL",
    }


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DOCKET_PORT", "70000"),
        ("DOCKET_PORT", "0"),
        ("DOCKET_DATABASE_URL", "sqlite:///"),
        ("DOCKET_HOST", "  "),
    ],
)
def test_out_of_range_values_are_refused(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Settings.from_env({"DOCKET_DATA_DIR": str(tmp_path), name: value})


def test_explicit_values_are_parsed(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "DOCKET_DATA_DIR": str(tmp_path),
            "DOCKET_DATABASE_URL": "postgresql://docket@db/docket",
            "DOCKET_HOST": "0.0.0.0",
            "DOCKET_PORT": "9000",
            "DOCKET_BASE_URL": "https://docket.example.com/",
            "DOCKET_LOG_LEVEL": "debug",
        }
    )
    assert settings.database_kind == "postgresql"
    assert settings.port == 9000
    assert settings.base_url == "https://docket.example.com"
    assert settings.problem_base_uri == "https://docket.example.com/problems"
    assert settings.log_level == "DEBUG"


def test_an_unreadable_data_dir_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ConfigError, match="DOCKET_SECRET_KEY"):
        Settings.from_env({"DOCKET_DATA_DIR": str(blocker / "sub")})


def test_piccolo_conf_reads_only_the_database_url(tmp_path: Path) -> None:
    assert database_url_from_env({"DOCKET_DATA_DIR": str(tmp_path)}).endswith("docket.sqlite3")
    assert not (tmp_path / "secret_key").exists()
    with pytest.raises(ConfigError):
        database_url_from_env({"DOCKET_DATABASE_URL": "oracle://x"})
