"""The inbox and the account page in a real browser: a CSRF-protected htmx request, the time
zone the pages use, axe-core on each page.

htmx is pinned at 2.0.11 because htmx 4 changed how ``hx-headers`` are inherited: the CSRF
token sits on ``<body>`` and every htmx request below must still carry it.
"""

from __future__ import annotations

import asyncio
import re
import uuid

import httpx
from playwright.async_api import Page, expect

from tests.browser.web import DEMO_PASSWORD, axe_violations, screenshot, sign_in
from tests.conftest import DOCKET

LEGAL = "legal@docket.example"
ADMIN = "admin@docket.example"


async def _sweep(env: dict[str, str]) -> None:
    """One reminder sweep on the live server's data, as its scheduler runs every minute."""
    proc = await asyncio.create_subprocess_exec(
        DOCKET,
        "reminders",
        "run",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode == 0, out.decode()


async def _new_user(base: str, *, role: str) -> str:
    """A new user made by the demo admin through the API (so no demo user's settings change)."""
    email = f"web-{uuid.uuid4().hex[:8]}@docket.example"
    async with httpx.AsyncClient(base_url=base, timeout=30) as api:
        login = await api.post(
            "/api/v1/auth/login", json={"email": ADMIN, "password": DEMO_PASSWORD}
        )
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        made = await api.post(
            "/api/v1/users",
            json={"email": email, "role": role, "password": DEMO_PASSWORD, "display_name": "Zoe"},
            headers=headers,
        )
        assert made.status_code == 201, made.text
    return email


async def _header_count(page: Page) -> int:
    text = await page.locator("#unread-count .count").all_inner_texts()
    return int(text[0]) if text else 0


async def test_marking_a_message_read_through_htmx_carries_the_csrf_token_and_updates_in_place(
    page: Page, live_server: str, live_env: dict[str, str]
) -> None:
    await _sweep(live_env)
    await sign_in(page, live_server, LEGAL)
    await page.goto(f"{live_server}/inbox")
    unread = page.locator("tr.message-unread")
    assert await unread.count() >= 2
    before = await _header_count(page)
    assert before >= 2
    row = unread.first
    row_id = await row.get_attribute("id")
    assert row_id is not None
    await expect(row.locator("th a")).to_have_attribute(
        "href", re.compile(r"^/requests/[0-9a-f-]{36}$")
    )
    await page.evaluate("window.notReloaded = true")

    async with page.expect_response(lambda r: r.url.endswith("/read")) as answered:
        await row.get_by_role("button", name=re.compile("^Mark read")).click()
    response = await answered.value

    sent = await response.request.all_headers()
    assert sent.get("x-csrftoken"), sent  # from <body hx-headers>, inherited by htmx 2.0.11
    assert sent.get("hx-request") == "true"
    assert response.status == 200
    swapped = page.locator(f"#{row_id}")
    await expect(swapped).to_have_class("message-read")
    await expect(swapped).to_contain_text("Read just now")
    await expect(page.locator("#unread-count .count")).to_have_text(str(before - 1))
    await expect(page.locator("#inbox-status")).to_contain_text("Marked read:")
    assert await page.evaluate("window.notReloaded === true")  # no page load
    assert await page.evaluate("document.activeElement.closest('tr')?.id") == row_id

    # the same POST without the token is refused, and leaves the message unread
    other = await page.locator("tr.message-unread").first.get_attribute("id")
    assert other is not None
    path = f"/inbox/{other.removeprefix('message-')}/read"
    refused = await page.request.post(f"{live_server}{path}", headers={"hx-request": "true"})
    assert refused.status == 403
    await page.reload()
    await expect(page.locator(f"#{other}")).to_have_class("message-unread")
    assert await _header_count(page) == before - 1
    assert await axe_violations(page) == []
    await screenshot(page, "inbox")


async def test_the_zone_chosen_on_the_account_page_is_the_zone_of_the_queue(
    page: Page, live_server: str
) -> None:
    email = await _new_user(live_server, role="specialist")
    await sign_in(page, live_server, email)
    await page.goto(f"{live_server}/account")
    await expect(page.get_by_role("heading", name="Your account", level=1)).to_be_visible()
    assert await axe_violations(page) == []
    zone = page.get_by_role("combobox", name=re.compile(r"^Show times in"))
    await expect(zone.locator("option").first).to_have_text(re.compile(r"^Organisation default \("))

    await zone.select_option("Asia/Tokyo")
    await page.get_by_role("button", name="Save the time zone").click()

    await expect(page.get_by_role("status")).to_contain_text("Times are now shown in Asia/Tokyo")
    await page.goto(f"{live_server}/queue?tab=open")
    await expect(page.get_by_text("Times are shown in Asia/Tokyo")).to_be_visible()
    first_due = page.locator("table tbody time").first
    await expect(first_due).to_have_attribute("datetime", re.compile(r"\+09:00$"))
    await expect(first_due).to_have_text(re.compile(r" JST$"))


async def test_the_calendar_link_is_shown_once_on_the_account_page(
    page: Page, live_server: str
) -> None:
    email = await _new_user(live_server, role="legal")
    await sign_in(page, live_server, email)
    await page.goto(f"{live_server}/account")
    await page.get_by_role("button", name="Create a calendar link").click()
    address = page.get_by_label("Calendar address (subscribe from URL)")
    await expect(address).to_have_value(re.compile(r"/api/v1/calendar\.ics\?token=dcal_"))
    assert await axe_violations(page) == []
    await page.goto(f"{live_server}/account")
    await expect(page.get_by_text("A calendar link is active since")).to_be_visible()
    await expect(address).to_have_count(0)
