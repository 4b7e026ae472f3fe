"""Logging a request in a real browser: the deadline is previewed before saving, and the page
passes axe-core with the preview shown and with errors shown."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

from playwright.async_api import Page, expect

from tests.browser.web import axe_violations, screenshot, sign_in

SPECIALIST = "specialist@docket.example"
RIGHTS = "GB/uk-gdpr.rights-request"


async def htmx_settled(page: Page) -> None:
    """Wait until no htmx request, swap or settle is under way (new content is then live)."""
    busy = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"
    await page.wait_for_function(f"() => !document.querySelector('{busy}')")


def ten_oclock(days_ago: int = 1) -> str:
    """10:00 ``days_ago`` days ago, as a datetime-local input takes it (demo users read UTC)."""
    day = datetime.now(UTC).date() - timedelta(days=days_ago)
    return f"{day.isoformat()}T10:00"


async def test_a_request_is_logged_through_the_form_after_its_deadline_is_previewed(
    page: Page, live_server: str
) -> None:
    await sign_in(page, live_server, SPECIALIST)
    await page.get_by_role("link", name="Log a request").click()
    await expect(page.get_by_role("heading", name="Log a request", level=1)).to_be_visible()

    # the authority, found as one types: the one match is chosen and the count is announced
    await page.get_by_label("Find an authority").press_sequentially("ofc", delay=50)
    await expect(page.locator("#authority-status")).to_have_text("1 authority matches “ofc”.")
    await expect(page.locator("#field-authority_id option:checked")).to_have_text(
        "Ofcom (GB, regulator)"
    )
    await htmx_settled(page)

    await page.get_by_label("Received at (required)").fill(ten_oclock())
    # the jurisdiction narrows the rules to its own
    await page.get_by_label("Jurisdiction").select_option("GB")
    await expect(page.locator("#field-rule optgroup")).to_have_count(1)
    await htmx_settled(page)
    await page.get_by_label("Deadline rule").select_option(RIGHTS)
    # the times this rule reads (UK GDPR Art 12A) are asked for under the rule
    await expect(page.get_by_label("Identity verified at")).to_be_visible()
    await htmx_settled(page)

    # the deadline, its steps and their citations, before anything is saved
    preview = page.locator("#deadline-preview")
    await expect(preview.locator(".due")).to_contain_text("Due")
    await expect(preview.locator(".due .relative")).to_have_text(re.compile(r"^in \d"))
    await expect(preview.locator("ol.deadline-steps li").first).to_contain_text("received")
    await expect(preview.locator("cite").first).to_contain_text("UK GDPR")
    # a change to the time of receipt brings a new preview, without a button
    due = await preview.locator(".due time").inner_text()
    await page.get_by_label("Received at (required)").fill(ten_oclock(days_ago=2))
    await expect(preview.locator(".due time")).not_to_have_text(due)
    assert await axe_violations(page) == []
    # the rule and its deadline at the top of the window, for the README
    await page.locator("#rule-section").evaluate("e => e.scrollIntoView()")
    await screenshot(page, "log-request")

    await page.get_by_label("Instrument").select_option("information_request")
    await page.get_by_label("What it asks for").select_option("user_data")
    await page.get_by_label("How it arrived").select_option("portal")
    await page.get_by_label("Summary").fill("Subscriber data for @example")
    await page.get_by_label("Identifier 1", exact=True).fill("@example")
    await page.get_by_role("button", name="Log the request").click()
    # saved: the browser is on the new request's page, its reference as the heading
    await expect(page).to_have_url(re.compile(r"/requests/[0-9a-f-]{36}$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^REQ-\d{4}-\d{6}$")
    )


async def test_errors_are_shown_by_their_fields_and_an_authority_is_added_in_place(
    page: Page, live_server: str
) -> None:
    await sign_in(page, live_server, SPECIALIST)
    await page.goto(f"{live_server}/requests/new")
    await page.get_by_label("Summary").fill("Takedown of two posts")
    await page.get_by_label("Received at (required)").fill("2999-01-01T10:00")
    await page.get_by_role("button", name="Log the request").click()

    summary = page.locator(".error-summary")
    await expect(summary).to_be_visible()
    await expect(summary).to_contain_text("Authority: is required")
    await expect(summary).to_contain_text("Deadline rule: is required")
    await expect(page.locator("#error-kind")).to_have_text("is required")
    await expect(page.get_by_label("Summary")).to_have_value("Takedown of two posts")
    assert await axe_violations(page) == []

    # an authority not yet in the directory, added without losing what was typed
    name = f"Autorité {uuid.uuid4().hex[:6]}"
    await page.get_by_text("Not in the directory? Add the authority").click()
    await page.get_by_label("Name of the authority").fill(name)
    await page.get_by_label("Country (ISO code").fill("fr")
    await page.get_by_label("Kind of authority").select_option("regulator")
    await page.get_by_role("button", name="Add to the directory and choose it").click()
    await expect(page.locator("#authority-status")).to_contain_text(f"Added {name} (FR)")
    await expect(page.locator("#field-authority_id option:checked")).to_have_text(
        f"{name} (FR, regulator)"
    )
    await expect(page.locator("#field-authority_id")).to_be_focused()
    await expect(page.get_by_label("Summary")).to_have_value("Takedown of two posts")
    assert await axe_violations(page) == []
