"""The newer administration pages in a real browser, reached through the admin sub-navigation:
authorities (search, the edit form, the merge's confirmation), letter templates, settings; axe
on each. Nothing is changed: the demo data is shared with the other browser tests."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from tests.browser.web import axe_violations, sign_in

ADMIN = "admin@docket.example"


async def test_the_authorities_pages_pass_axe_and_show_what_a_merge_moves(
    page: Page, live_server: str
) -> None:
    await sign_in(page, live_server, ADMIN)
    await page.get_by_role("link", name="Admin", exact=True).click()
    admin_nav = page.get_by_role("navigation", name="Administration")
    await admin_nav.get_by_role("link", name="Authorities").click()
    await expect(page.get_by_role("heading", name="Authorities", level=1)).to_be_visible()
    assert await axe_violations(page) == []
    await page.get_by_label("Name or country code").fill("arc")
    await page.get_by_role("button", name="Search").click()
    await expect(page).to_have_url(re.compile(r"/admin/authorities\?q=arc$"))
    await page.get_by_role("link", name="Arcom").click()
    await expect(page.get_by_role("heading", name="Arcom", level=1)).to_be_visible()
    await expect(page.get_by_label("Name", exact=True)).to_have_value("Arcom")
    assert await axe_violations(page) == []
    await page.get_by_label("The authority to keep").select_option(label="Ofcom (GB, regulator)")
    await page.get_by_role("button", name="Show what the merge would move").click()
    await expect(
        page.get_by_role("heading", name="Merge Arcom into Ofcom", level=1)
    ).to_be_visible()
    await expect(page.locator("#merge-count")).to_contain_text(
        re.compile(r"\d+ requests? will move to the authority kept\.")
    )
    await expect(page.get_by_role("button", name="Merge Arcom into Ofcom")).to_be_visible()
    assert await axe_violations(page) == []
    await page.get_by_role("link", name="Cancel").click()
    await expect(page.get_by_role("heading", name="Arcom", level=1)).to_be_visible()


async def test_the_letter_templates_and_settings_pages_pass_axe(
    page: Page, live_server: str
) -> None:
    await sign_in(page, live_server, ADMIN)
    await page.goto(f"{live_server}/admin/users")
    admin_nav = page.get_by_role("navigation", name="Administration")
    await admin_nav.get_by_role("link", name="Letter templates").click()
    await expect(page.get_by_role("heading", name="Letter templates", level=1)).to_be_visible()
    assert await axe_violations(page) == []
    await page.get_by_role("link", name="Arabic").click()
    await expect(page.get_by_role("heading", name="Letter template: Arabic")).to_be_visible()
    greeting = page.get_by_role("textbox", name=re.compile("^Greeting"))
    await expect(greeting).to_have_attribute("dir", "auto")
    assert await axe_violations(page) == []

    await admin_nav.get_by_role("link", name="Settings").click()
    await expect(page.get_by_role("heading", name="Settings", level=1)).to_be_visible()
    secret_row = page.get_by_role("row", name=re.compile("DOCKET_SECRET_KEY"))
    await expect(secret_row).to_contain_text("set")
    assert await axe_violations(page) == []
