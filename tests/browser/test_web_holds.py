"""Legal holds in a real browser: Legal drafts a hold from the list (an error first), issues it,
the custodian acknowledges from their notice's link, the hold page shows it; then the release
page with its warnings. axe-core on each page on the way."""

from __future__ import annotations

import uuid

import httpx
from playwright.async_api import Page, expect

from api.settings import Settings
from domain.holds.ack_links import ack_key, sign_ack_token
from tests.browser.web import DEMO_PASSWORD, axe_violations, screenshot, sign_in

LEGAL = "legal@docket.example"


async def _ack_path(base: str, env: dict[str, str], hold_id: str, custodian: str) -> str:
    """The link of the custodian's hold notice, as the mail carries it (signed by the server)."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as api:
        login = await api.post(
            "/api/v1/auth/login", json={"email": LEGAL, "password": DEMO_PASSWORD}
        )
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        found = await api.get(f"/api/v1/holds/{hold_id}/notices", headers=headers)
        assert found.status_code == 200, found.text
    notice = next(
        n for n in found.json() if n["custodian_email"] == custodian and n["kind"] == "hold.notice"
    )
    key = ack_key(Settings.from_env(env).auth.secret_key.value)
    return f"/ack/{sign_ack_token(uuid.UUID(notice['id']), key)}"


async def _draft(page: Page, matter: str, custodian: str) -> None:
    """Draft the hold from the list: first with errors, then complete."""
    await page.get_by_role("button", name="Draft a hold").click()
    await expect(page.get_by_role("heading", name="Draft a legal hold")).to_be_visible()
    assert await axe_violations(page) == []
    await page.get_by_label("E-mail of custodian 1", exact=True).fill("not-an-address")
    await page.get_by_role("button", name="Save as draft").click()
    summary = page.locator(".error-summary")
    await expect(summary.get_by_role("link")).to_have_attribute("href", "#field-custodians-0-email")
    await expect(page.locator("#error-custodians-0-email")).to_contain_text("@-sign")
    assert await axe_violations(page) == []

    await page.get_by_label("Matter", exact=True).fill(matter)
    await page.get_by_label("E-mail of custodian 1", exact=True).fill(custodian)
    await page.get_by_label("Name of custodian 1", exact=True).fill("Casey Custodian")
    await page.get_by_label("Manager's e-mail of custodian 1").fill("manager@example.com")
    await page.get_by_label("Data sources, one a line").fill(f"exchange:{custodian}")
    await page.get_by_label("Notice text").fill("Keep everything about the browser test.")
    await page.get_by_label("Questions, one a line").fill("Where else do you keep files?")
    await page.get_by_role("button", name="Save as draft").click()
    await expect(page.locator("#outcome [role=status]")).to_contain_text("Drafted.")
    await expect(page.get_by_role("heading", name=matter, level=1)).to_be_visible()


async def _acknowledge(
    page: Page, base: str, env: dict[str, str], hold_id: str, custodian: str
) -> None:
    """The custodian opens the link of their notice, without signing in, and acknowledges."""
    ack = await page.context.browser.new_page()  # type: ignore[union-attr]
    await ack.goto(base + await _ack_path(base, env, hold_id, custodian))
    await expect(ack.get_by_text("Keep everything about the browser test.")).to_be_visible()
    await ack.get_by_label("Where else do you keep files?").fill("Only in my mailbox.")
    await ack.get_by_role("button", name="I have read this notice").click()
    await expect(ack.get_by_role("heading", name="Acknowledged")).to_be_visible()
    await ack.close()


async def test_legal_drafts_and_issues_a_hold_and_sees_the_acknowledgement(
    page: Page, live_server: str, live_env: dict[str, str]
) -> None:
    matter = f"MAT-{uuid.uuid4().hex[:6]} Browser v. Test"
    custodian = f"c-{uuid.uuid4().hex[:6]}@example.com"
    await sign_in(page, live_server, LEGAL)
    await page.get_by_role("link", name="Holds", exact=True).click()
    await expect(page.get_by_role("heading", name="Legal holds", level=1)).to_be_visible()
    await expect(page.locator("td.ack-progress").first).to_contain_text("acknowledged")
    assert await axe_violations(page) == []
    await screenshot(page, "holds")

    await _draft(page, matter, custodian)
    hold_id = page.url.split("/holds/", 1)[1].split("?", 1)[0]
    assert await axe_violations(page) == []

    await page.get_by_role("button", name="Issue the hold…").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(f"Issue {matter}?")
    await expect(page.locator("article.confirm")).to_contain_text("This cannot be undone.")
    assert await axe_violations(page) == []
    await page.get_by_role("button", name=f"Yes: issue {matter}").click()
    await expect(page.locator("#outcome [role=status]")).to_contain_text("Issued.")
    await expect(page.locator("#details")).to_contain_text("0 of 1 acknowledged")

    await _acknowledge(page, live_server, live_env, hold_id, custodian)
    await page.reload()
    await expect(page.locator("#details")).to_contain_text("1 of 1 acknowledged")
    acknowledgement = page.locator(".custodian .acknowledgement")
    await expect(acknowledgement).to_contain_text("Acknowledged")
    await expect(acknowledgement).to_contain_text("Only in my mailbox.")
    await expect(page.locator("#trail")).to_contain_text("Acknowledged by a custodian")
    assert await axe_violations(page) == []

    await page.get_by_role("button", name="Release the hold…").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(f"Release {matter}?")
    await expect(page.locator("#release-items")).to_contain_text(f"custodian:{custodian}")
    assert await axe_violations(page) == []
    await page.get_by_label("Reason (recorded in the audit log)").fill("Browser test done.")
    await page.get_by_role("button", name=f"Yes: release {matter}").click()
    await expect(page.locator("#outcome [role=status]")).to_contain_text("Released.")
    await expect(page.locator("hgroup")).to_contain_text("released")


async def test_the_demo_preservation_hold_warns_before_release(
    page: Page, live_server: str
) -> None:
    await sign_in(page, live_server, LEGAL)
    await page.goto(f"{live_server}/holds")
    await page.get_by_role("link", name="2703(f) preservation of @user7781").click()
    await expect(page.locator("#details")).to_contain_text("Created from the preservation request")
    await page.get_by_role("button", name="Release the hold…").click()
    warning = page.locator(".warning-preservation")
    await expect(warning).to_contain_text("A preservation period still runs.")
    assert await axe_violations(page) == []
    await page.get_by_label("Reason (recorded in the audit log)").fill("Trying too early")
    await page.get_by_role("button", name="Yes: release").click()
    await expect(page.locator("#error-understood")).to_be_visible()
    assert await axe_violations(page) == []
