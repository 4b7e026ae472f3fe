"""`docket serve`: the real server (uvicorn) in its own process, over a real socket."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import DOCKET, SECRET


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(database_url: str, data_dir: Path, **env: str) -> Iterator[httpx.Client]:
    """`docket serve` on a free loopback port, and a client of it; stopped on exit."""
    port = free_port()
    variables = {
        **os.environ,
        "DOCKET_DATA_DIR": str(data_dir),
        "DOCKET_DATABASE_URL": database_url,
        "DOCKET_SECRET_KEY": SECRET,
        "DOCKET_HOST": "127.0.0.1",
        "DOCKET_PORT": str(port),
        "DOCKET_LOG_LEVEL": "WARNING",
        **env,
    }
    process = subprocess.Popen(
        [DOCKET, "serve", "--no-scheduler"],
        env=variables,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            _wait_until_up(client, process)
            yield client
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stderr is not None:
            process.stderr.close()


def _wait_until_up(client: httpx.Client, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            stderr = process.stderr.read().decode() if process.stderr else ""
            pytest.fail(f"docket serve exited with {process.returncode}: {stderr}")
        try:
            if client.get("/healthz").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail("docket serve did not answer within 60 s")


def wrong_login(client: httpx.Client, email: str, forwarded_for: str) -> int:
    response = client.post(
        "/api/v1/auth/login",
        json={"email": email, "password": "wrong-password!"},
        headers={"X-Forwarded-For": forwarded_for},
    )
    return response.status_code


@pytest.mark.parametrize(
    ("trusted", "second_guess"),
    [
        pytest.param("", 429, id="unset: the header is ignored, every guess is from loopback"),
        pytest.param("127.0.0.1", 401, id="loopback trusted: each guess from its own address"),
    ],
)
def test_x_forwarded_for_is_believed_only_from_docket_trusted_proxies(
    database_url: str, tmp_path: Path, trusted: str, second_guess: int
) -> None:
    env = {"DOCKET_LOGIN_MAX_FAILURES": "2", "DOCKET_TRUSTED_PROXIES": trusted}
    with served(database_url, tmp_path, **env) as client:
        # two accounts, each guessed once, each claiming another address
        assert wrong_login(client, "a@docket.example", "203.0.113.1") == 401
        assert wrong_login(client, "b@docket.example", "203.0.113.2") == 401
        # a second guess at the first: from one address past its limit it is refused; from a
        # third address that has not failed it is checked
        assert wrong_login(client, "a@docket.example", "203.0.113.3") == second_guess
