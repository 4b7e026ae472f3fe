"""Installs come from uv.lock and nothing else: the same lock gives the same environment."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / ".tools" / "uv" / "bin"


def tool(name: str) -> Path:
    path = TOOLS / name
    if not path.exists():
        message = f"{path} is missing: `make venv-test` installs uv there"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def install_from_lock(target: Path) -> str:
    """`uv sync --frozen` into a new environment at ``target``; its `pip freeze`."""
    env = {
        **os.environ,
        "UV_PROJECT_ENVIRONMENT": str(target),
        "UV_PYTHON": os.environ.get("UV_PYTHON", "python3"),
        "UV_PYTHON_DOWNLOADS": "never",
    }
    subprocess.run(
        [tool("uv"), "sync", "--frozen", "--quiet"], cwd=ROOT, env=env, check=True, timeout=600
    )
    site = next(target.glob("lib/python3*/site-packages"))
    return subprocess.run(
        [tool("pip"), "freeze", "--path", str(site)],
        capture_output=True,
        check=True,
        text=True,
        timeout=120,
    ).stdout


@pytest.mark.slow
def test_the_same_lock_installed_twice_gives_the_same_environment(tmp_path: Path) -> None:
    first = install_from_lock(tmp_path / "one")
    second = install_from_lock(tmp_path / "two")
    assert first.encode() == second.encode()

    with (ROOT / "uv.lock").open("rb") as f:
        locked = {p["name"]: p["version"] for p in tomllib.load(f)["package"]}
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)$", first, flags=re.MULTILINE)
    assert len(pins) > 100
    normalized = {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in pins}
    assert {name: locked.get(name) for name in normalized} == normalized


def test_the_lock_agrees_with_pyproject() -> None:
    result = subprocess.run(
        [tool("uv"), "lock", "--check", "--offline", "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_make_stops_in_one_line_when_pyproject_and_the_lock_disagree(tmp_path: Path) -> None:
    tool("uv")
    for name in ("Makefile", "pyproject.toml", "uv.lock", "README.md"):
        (tmp_path / name).write_bytes((ROOT / name).read_bytes())
    (tmp_path / ".tools").symlink_to(ROOT / ".tools")
    # the uv binary is newer than the copied requirement file, so make keeps it
    (tmp_path / "scripts").mkdir()
    requirements = tmp_path / "scripts" / "uv-requirements.txt"
    requirements.write_bytes((ROOT / "scripts" / "uv-requirements.txt").read_bytes())
    os.utime(requirements, (0, 0))

    def lock_check() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["make", "--no-print-directory", "lock-check"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert lock_check().returncode == 0
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace('"httpx>=0.28",', '"httpx>=0.28",\n  "six>=1.16",', 1)
    )
    result = lock_check()
    assert result.returncode != 0
    assert result.stderr.splitlines()[0] == (
        "uv.lock does not match pyproject.toml: run `make lock` and commit uv.lock"
    )


DOCKER_SYNC = "uv sync --frozen --no-dev --no-editable"


def source_tree(into: Path) -> Path:
    """The files git knows of (committed or not, never ignored ones), as a build context sees them.

    Building in the work tree would leave setuptools' build/ behind, whose stale copies of
    deleted modules a later build would ship.
    """
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source, target = ROOT / name, into / name
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return into


@pytest.mark.slow
def test_the_images_install_from_the_lock_carries_every_file_docket_serves(tmp_path: Path) -> None:
    # What the Dockerfile runs: a non-editable install, so only what the package ships is there.
    assert DOCKER_SYNC in (ROOT / "Dockerfile").read_text()
    context = source_tree(tmp_path / "context")
    target = tmp_path / "image"
    env = {
        **os.environ,
        "UV_PROJECT_ENVIRONMENT": str(target),
        "UV_PYTHON": os.environ.get("UV_PYTHON", "python3"),
        "UV_PYTHON_DOWNLOADS": "never",
    }
    command = [str(tool("uv")), *DOCKER_SYNC.split()[1:], "--quiet"]
    subprocess.run(command, cwd=context, env=env, check=True, timeout=600)
    check = """
import hashlib, tomllib
from pathlib import Path
import api, documents.render, scheduler.messages
from api.static_assets import STATIC_DIR
assert Path(api.__file__).parent != Path.cwd() / "api", "imported the source tree"
with (STATIC_DIR / "vendor" / "vendored.toml").open("rb") as f:
    packages = tomllib.load(f)["package"]
for p in packages:
    folder = STATIC_DIR / "vendor" / f"{p['name'].lstrip('@').replace('/', '-')}-{p['version']}"
    for name, digest in p["files"].items():
        assert hashlib.sha256((folder / Path(name).name).read_bytes()).hexdigest() == digest, name
for name in ("api-docs.js", "favicon.svg"):
    assert (STATIC_DIR / "docket" / name).is_file(), name
print("ok")
"""
    result = subprocess.run(
        [target / "bin" / "python", "-c", check],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout == "ok\n", result.stderr
    version = subprocess.run(
        [target / "bin" / "docket", "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.startswith("docket, version ")
