"""A real browser against a real server: Debian's headless Chromium, driven by Playwright.

One `docket serve` process per session, on its own database seeded with `docket demo`, the way
`make run` starts Docket. Playwright cannot download its own browser here, so it is pointed at
Debian's ``chromium-headless-shell`` (installed by `make test`); without it the browser tests
skip, except under CI, where that is a failure.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, async_playwright

from tests.conftest import DOCKET, IN_CI, _admin_execute
from tests.e2e.test_serve import free_port
from tests.pgcluster import Cluster

CHROMIUM = os.environ.get("DOCKET_TEST_CHROMIUM", "/usr/lib/chromium/chromium-headless-shell")
# Chromium reaches for Google's hosts at start-up unless told not to; this machine's network is
# closed, and a browser test must see only the requests that the page makes.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def live_env(
    template_url: str, pg_cluster: Cluster | None, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """The environment of the live server: a `docket` command run with it works on its data."""
    folder = tmp_path_factory.mktemp("live")
    if pg_cluster is None:
        shutil.copyfile(template_url.removeprefix("sqlite:///"), folder / "docket.sqlite3")
        url = f"sqlite:///{folder / 'docket.sqlite3'}"
    else:
        name = f"live_{uuid.uuid4().hex}"
        asyncio.run(_admin_execute(pg_cluster, f"CREATE DATABASE {name} TEMPLATE docket_template"))
        url = pg_cluster.url(name)
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DOCKET_")},
        "DOCKET_DATA_DIR": str(folder / "data"),
        "DOCKET_DATABASE_URL": url,
        "DOCKET_PORT": str(free_port()),
    }


@pytest.fixture(scope="session")
def live_server(live_env: dict[str, str]) -> Iterator[str]:
    env = live_env
    folder = Path(env["DOCKET_DATA_DIR"]).parent
    port = env["DOCKET_PORT"]
    subprocess.run([DOCKET, "demo"], env=env, check=True, capture_output=True, timeout=120)
    log = (folder / "server.log").open("w")
    proc = subprocess.Popen([DOCKET, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a loaded CI machine starts slowly
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail(f"server did not start: {(folder / 'server.log').read_text()}")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # One browser for the whole session: the browser tests share one event loop. (Playwright's
    # sync API would leave its loop marked as running and break every asyncio test after it.)
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.asyncio(loop_scope="session"), append=False)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not os.path.isfile(CHROMIUM):  # noqa: ASYNC240 - once per session
        message = f"no browser at {CHROMIUM} (Debian package chromium-headless-shell)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


@pytest_asyncio.fixture(loop_scope="session")
async def page(live_server: str, browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    context.set_default_timeout(15_000)
    yield await context.new_page()
    await context.close()
