"""The API documentation works in a browser and everything it loads comes from Docket."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, Request


@pytest.mark.parametrize("path", ["/schema", "/schema/swagger"])
async def test_the_api_docs_render_from_docket_alone(
    page: Page, live_server: str, path: str
) -> None:
    requested: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("requestfailed", lambda request: errors.append(_failed(request)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    await page.goto(f"{live_server}{path}")
    # Swagger UI has fetched the document and drawn one block per operation
    await page.locator(".opblock-summary-path", has_text="/api/v1/requests").first.wait_for()
    assert await page.locator(".opblock").count() > 50
    await page.wait_for_load_state("networkidle")

    assert requested, "the page made no requests"
    assert [url for url in requested if not url.startswith(f"{live_server}/")] == []
    assert f"{live_server}/schema/openapi.json" in requested
    assert errors == []


def _failed(request: Request) -> str:
    return f"{request.url}: {request.failure}"
