"""OIDC sign-in in a real browser: Docket's button, the provider's page, and back signed in.

The provider is oidc-provider-mock in a thread of the test process; Docket is a `docket serve`
of its own, configured by the DOCKET_OIDC_* variables to trust it.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, expect

from tests.browser.web import axe_violations, screenshot
from tests.conftest import DOCKET, _admin_execute
from tests.e2e.test_serve import free_port
from tests.pgcluster import Cluster
from tests.web.sso_helpers import provider


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    with provider() as url:
        yield url


@pytest.fixture(scope="module")
def sso_server(
    issuer: str,
    template_url: str,
    pg_cluster: Cluster | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("sso")
    if pg_cluster is None:
        shutil.copyfile(template_url.removeprefix("sqlite:///"), folder / "docket.sqlite3")
        url = f"sqlite:///{folder / 'docket.sqlite3'}"
    else:
        name = f"sso_{uuid.uuid4().hex}"
        asyncio.run(_admin_execute(pg_cluster, f"CREATE DATABASE {name} TEMPLATE docket_template"))
        url = pg_cluster.url(name)
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DOCKET_")},
        "DOCKET_DATA_DIR": str(folder / "data"),
        "DOCKET_DATABASE_URL": url,
        "DOCKET_PORT": str(port),
        "DOCKET_OIDC_ISSUER": issuer,
        "DOCKET_OIDC_CLIENT_ID": "docket-browser-test",
        "DOCKET_OIDC_CLIENT_SECRET": "browser-test-secret",
        "DOCKET_OIDC_PROVIDER_NAME": "Test ID",
        "DOCKET_OIDC_ROLE_MAP": "docket-legal=legal,docket-specialists=specialist",
    }
    log = (folder / "server.log").open("w")
    proc = subprocess.Popen([DOCKET, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
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


@pytest_asyncio.fixture(loop_scope="session")
async def sso_page(sso_server: str, browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    context.set_default_timeout(15_000)
    yield await context.new_page()
    await context.close()


async def test_oidc_sign_in(sso_page: Page, sso_server: str, issuer: str) -> None:
    page = sso_page
    async with httpx.AsyncClient() as http:
        claims = {"email": "lee.sso@docket.example", "email_verified": True, "name": "Lee SSO"}
        claims["groups"] = ["docket-legal"]
        answer = await http.put(f"{issuer}/users/lee-sso", json=claims)
        answer.raise_for_status()

    await page.goto(f"{sso_server}/sign-in")
    button = page.get_by_role("button", name="Sign in with Test ID")
    await expect(button).to_be_visible()
    assert await axe_violations(page) == []
    await screenshot(page, "sign-in-sso")
    await button.click()

    # the provider's own page: sign in there as the person it knows
    await expect(page).to_have_url(re.compile(re.escape(f"{issuer}/oauth2/authorize?")))
    await page.locator("input[name=sub]").fill("lee-sso")
    await page.get_by_role("button", name="Authorize").click()

    # back at Docket, signed in as a new member of Legal, who may open the review queue
    await expect(page).to_have_url(f"{sso_server}/queue")
    await expect(page.get_by_role("link", name="Review")).to_be_visible()
    await page.goto(f"{sso_server}/account")
    await expect(page.locator("main")).to_contain_text("lee.sso@docket.example")
