"""`docket serve` for real: a server process on loopback, its pool, readiness and a demo login."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

DOCKET = str(Path(sys.executable).parent / "docket")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DOCKET_")},
        "DOCKET_DATA_DIR": str(tmp_path / "data"),
        "DOCKET_DATABASE_URL": database_url,
        "DOCKET_PORT": str(port),
    }
    # the demo renders and signs three packages: a loaded CI machine takes a while
    subprocess.run([DOCKET, "demo"], env=env, check=True, capture_output=True, timeout=120)
    proc = subprocess.Popen(
        [DOCKET, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # a loaded two-core machine has taken over 30 s to import and start the app
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            proc.terminate()
            pytest.fail(f"server did not start: {proc.communicate(timeout=10)[0]}")
        yield base
    finally:
        proc.terminate()
        output = proc.communicate(timeout=20)[0]
        # uvicorn shuts down gracefully, then re-raises SIGTERM as its exit status
        assert "Application shutdown complete" in output, output
        assert proc.returncode in {0, -15}, output


def test_the_served_api_is_ready_and_the_demo_logins_work(server: str) -> None:
    assert httpx.get(f"{server}/readyz", timeout=5).json()["status"] == "ready"
    login = httpx.post(
        f"{server}/api/v1/auth/login",
        json={"email": "legal@docket.example", "password": "docket-demo-password"},
        timeout=5,
    )
    assert login.status_code == 200, login.text
    token = login.json()["access_token"]
    for _ in range(20):  # more requests than the pool has connections
        me = httpx.get(f"{server}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.json()["role"] == "legal"
    assert "openapi" in httpx.get(f"{server}/schema/openapi.json", timeout=5).json()
