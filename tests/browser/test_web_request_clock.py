"""The request page's clock events in a real browser: a specialist records when the requester's
identity was verified, the deadline is counted again, and axe-core finds nothing serious."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.async_api import Page, expect

from tests.browser.web import axe_violations, sign_in

SPECIALIST = "specialist@docket.example"


async def test_a_specialist_records_a_clock_event_on_the_request_page(
    page: Page, live_server: str
) -> None:
    await sign_in(page, live_server, SPECIALIST)
    await page.goto(f"{live_server}/queue?tab=open&state=received&jurisdiction=GB")
    link = page.locator("table tbody tr th a").first
    reference = await link.inner_text()
    await link.click()
    await expect(page.get_by_role("heading", name=reference, level=1)).to_be_visible()
    events = page.locator("#clock-events")
    await expect(events.get_by_role("heading", name="Clock events")).to_be_visible()
    assert await axe_violations(page) == []

    verified = datetime.now(UTC) - timedelta(hours=1)
    await page.locator("#field-event").select_option("identity_verified")
    await page.locator("#field-event_at").fill(verified.strftime("%Y-%m-%dT%H:%M"))
    await page.locator("#field-event_zone").fill("UTC")
    await events.get_by_role("button", name="Record the event").click()

    outcome = page.locator("#outcome [role=status]")
    await expect(outcome).to_contain_text("recorded")
    await expect(page.locator("#clock-events dt")).to_contain_text("Identity verified at")
    await page.get_by_text("How this deadline is counted").click()
    await expect(page.locator(".explanation-steps")).to_contain_text("identity_verified")
    assert await axe_violations(page) == []

    # a time in the future is refused beside the field, and the page says so without a trace
    await page.locator("#field-event_at").fill(
        (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    )
    await page.locator("#field-event").select_option("fee_received")
    await events.get_by_role("button", name="Record the event").click()
    await expect(page.locator("#error-event_at")).to_contain_text("is in the future")
    assert await axe_violations(page) == []
