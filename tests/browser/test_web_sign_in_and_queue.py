"""Signing in and the queue, in a real browser, with axe-core on each page."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from tests.browser.web import axe_violations, screenshot, sign_in

SPECIALIST = "specialist@docket.example"
LEGAL = "legal@docket.example"


async def test_a_wrong_password_is_shown_on_the_form_and_the_right_one_opens_the_queue(
    page: Page, live_server: str
) -> None:
    await page.goto(f"{live_server}/queue?tab=open")
    await expect(page).to_have_url(re.compile(r"/sign-in\?next="))
    assert await axe_violations(page) == []
    await page.get_by_label("E-mail address").fill(SPECIALIST)
    await page.get_by_label("Password").fill("not-the-password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_contain_text("the password is wrong")
    await page.get_by_label("Password").fill("docket-demo-password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(f"{live_server}/queue?tab=open")
    await expect(page.get_by_role("heading", name="Queue", level=1)).to_be_visible()


async def test_the_queue_shows_the_soonest_deadline_first_in_words_and_colours(
    page: Page, live_server: str
) -> None:
    await sign_in(page, live_server, LEGAL)
    await page.goto(f"{live_server}/queue?tab=open")
    rows = page.locator("table tbody tr")
    assert await rows.count() > 10
    first = rows.first
    await expect(first.locator(".band")).to_have_text(re.compile("Overdue"))
    colour = await first.locator(".band").evaluate("e => getComputedStyle(e).color")
    assert colour == "rgb(179, 0, 30)"
    # the tabs' counts come in after the page, through htmx
    await expect(page.locator("#queue-tabs .tab-count").first).to_be_visible()
    assert await axe_violations(page) == []
    await screenshot(page, "queue")


async def test_a_filter_in_the_url_narrows_the_list_and_a_misspelt_one_is_reported(
    page: Page, live_server: str
) -> None:
    await sign_in(page, live_server, SPECIALIST)
    await page.goto(f"{live_server}/queue?tab=open&jurisdiction=GB")
    cells = page.locator("table tbody tr td:nth-child(5)")
    assert set(await cells.all_inner_texts()) == {"GB"}
    await page.goto(f"{live_server}/queue?tab=open&jurisdictoin=GB")
    await expect(page.get_by_role("alert")).to_contain_text("'jurisdictoin' is not a filter")
    assert await axe_violations(page) == []


async def test_signing_out_ends_the_session(page: Page, live_server: str) -> None:
    await sign_in(page, live_server, SPECIALIST)
    await page.get_by_role("button", name="Sign out").click()
    await expect(page).to_have_url(f"{live_server}/sign-in")
    await page.goto(f"{live_server}/queue")
    await expect(page).to_have_url(re.compile(r"/sign-in\?next="))
