"""The administration pages in a real browser: a token's secret is shown once and copied;
axe-core on the users, tokens and outbox pages, with their forms opened."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from tests.browser.web import axe_violations, screenshot, sign_in

ADMIN = "admin@docket.example"


async def test_the_admin_pages_pass_axe_with_their_forms_open(page: Page, live_server: str) -> None:
    await sign_in(page, live_server, ADMIN)
    await page.get_by_role("link", name="Admin", exact=True).click()
    await expect(page.get_by_role("heading", name="Users", level=1)).to_be_visible()
    for summary in await page.locator("details summary").all():
        await summary.click()
    assert await axe_violations(page) == []
    await screenshot(page, "admin-users")

    await page.get_by_role("link", name="API tokens").click()
    await page.get_by_label(re.compile(r"^Name \(the system")).fill("browser test checker")
    await page.get_by_label("Expires after (days)").fill("7")
    await page.get_by_role("button", name="Create the token").click()
    secret = page.locator("#secret")
    await expect(secret).to_contain_text("dkt_")
    await page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    await page.get_by_role("button", name="Copy the secret").click()
    assert (
        await page.evaluate("navigator.clipboard.readText()") == (await secret.inner_text()).strip()
    )
    assert await axe_violations(page) == []

    await page.goto(f"{live_server}/admin/tokens")
    await expect(page.locator("#secret")).to_have_count(0)  # shown once
    await expect(page.get_by_role("row", name=re.compile("browser test checker"))).to_be_visible()
    assert await axe_violations(page) == []

    await page.get_by_role("link", name="Mail outbox").click()
    await expect(page.get_by_role("heading", name="Mail outbox", level=1)).to_be_visible()
    assert await axe_violations(page) == []
