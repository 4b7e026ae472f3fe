"""Response packages in a real browser: a specialist writes (with the htmx preview), builds and
submits; Legal, in a browser of their own, reviews and approves the bytes shown; the signed PDF
downloads and poppler's pdfsig trusts it; a lawyer who built a version is told on screen that
they cannot approve it; axe-core on each new page."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.browser.web import DEMO_PASSWORD, axe_violations, screenshot, sign_in
from tests.conftest import docket
from tests.documents.test_signing import nss_db, pdfsig

SPECIALIST = "specialist@docket.example"
LEGAL = "legal@docket.example"


async def _context(browser: Browser) -> BrowserContext:
    context = await browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="en-GB", accept_downloads=True
    )
    context.set_default_timeout(15_000)
    return context


async def open_drafting_request(page: Page, base: str) -> str:
    """Open the first request in drafting from the queue; return its reference."""
    await page.goto(f"{base}/queue?tab=open&state=drafting")
    link = page.locator("table tbody tr th a").first
    reference = await link.inner_text()
    await link.click()
    await expect(page.get_by_role("heading", name=reference, level=1)).to_be_visible()
    return reference


async def write_and_build(page: Page, text: str) -> tuple[str, str]:
    """Save ``text`` as the response and build it; the new version's number and SHA-256."""
    await page.get_by_label("Response text (Markdown)").fill(text)
    await page.get_by_role("button", name="Save the response").click()
    await expect(page.locator("#outcome [role=status]")).to_contain_text("Draft updated.")
    await page.get_by_role("button", name=re.compile(r"^Build a version from revision")).click()
    await expect(page.locator("#outcome [role=status]")).to_contain_text("Built.")
    row = page.locator("table.versions tbody tr").first
    number = (await row.get_attribute("id") or "").removeprefix("package-version-")
    sha256 = await row.locator("code.digest").first.inner_text()
    return number, sha256


async def submit(page: Page, number: str) -> None:
    await page.get_by_role("button", name=f"Submit version {number} for review").click()
    await expect(page.locator("#outcome [role=status]")).to_contain_text("Submitted.")


async def test_a_specialist_submits_and_legal_approves_and_the_signed_pdf_verifies(
    page: Page, browser: Browser, live_server: str, live_env: dict[str, str], tmp_path: Path
) -> None:
    await sign_in(page, live_server, SPECIALIST)
    reference = await open_drafting_request(page, live_server)
    await page.get_by_label("Response text (Markdown)").fill("We enclose **the records**.")
    preview = page.locator("#package-preview")
    await expect(preview.locator("strong")).to_have_text("the records")  # htmx, as one types
    number, sha256 = await write_and_build(page, "We enclose **the records** you asked for.")
    assert re.fullmatch(r"[0-9a-f]{64}", sha256)
    await submit(page, number)
    await expect(page.locator("#package")).to_contain_text("Awaiting Legal's approval")
    assert await axe_violations(page) == []

    lawyer_context = await _context(browser)
    lawyer = await lawyer_context.new_page()
    try:
        await sign_in(lawyer, live_server, LEGAL)
        await lawyer.get_by_role("link", name="Review", exact=True).click()
        await expect(lawyer.get_by_role("heading", name="Awaiting approval")).to_be_visible()
        assert await axe_violations(lawyer) == []
        await screenshot(lawyer, "reviews")
        await lawyer.get_by_role("link", name=reference, exact=True).click()
        await expect(lawyer.locator("#version-sha256")).to_have_text(sha256)
        await expect(lawyer.locator("iframe.pdf-view")).to_be_visible()
        assert await axe_violations(lawyer) == []
        await screenshot(lawyer, "review")
        await lawyer.get_by_label(re.compile(rf"I have read version {number} of")).check()
        await lawyer.get_by_role("button", name=f"Approve and sign version {number}").click()
        await expect(lawyer.locator("#outcome [role=status]")).to_contain_text("Approved.")
        link = lawyer.get_by_role("link", name=f"Download the signed PDF of version {number}")
        async with lawyer.expect_download() as downloading:
            await link.click()
        download = await downloading.value
        assert download.suggested_filename == f"{reference}-v{number}-signed.pdf"
        signed = Path(await download.path()).read_bytes()  # noqa: ASYNC240 - a small file
    finally:
        await lawyer_context.close()
    ca = (Path(live_env["DOCKET_DATA_DIR"]) / "signing" / "demo-ca.pem").read_bytes()
    report = pdfsig(signed, nss_db(tmp_path / "nss", ca), tmp_path)
    assert "Signature is Valid." in report
    assert "Certificate is Trusted." in report

    await page.reload()
    await expect(page.locator("#package")).to_contain_text("Approved and signed")
    await page.get_by_label(re.compile(rf"The signed version {number} of")).check()
    await page.get_by_role("button", name=f"Mark version {number} as sent").click()
    await expect(page.locator("#outcome [role=status]")).to_contain_text("Sent.")


async def test_a_lawyer_who_built_a_version_is_told_they_cannot_approve_it(
    page: Page, browser: Browser, live_server: str, live_env: dict[str, str]
) -> None:
    email = f"lawyer-{uuid.uuid4().hex[:8]}@docket.example"
    made = docket(
        "users", "create", "--email", email, "--role", "legal", env=live_env, stdin=DEMO_PASSWORD
    )
    assert made.returncode == 0, made.stderr
    lawyer_context = await _context(browser)
    lawyer = await lawyer_context.new_page()
    try:
        await sign_in(lawyer, live_server, email)
        reference = await open_drafting_request(lawyer, live_server)
        request_url = lawyer.url
        number, _ = await write_and_build(lawyer, "Written and built by a lawyer.")
        await sign_in(page, live_server, SPECIALIST)
        await page.goto(request_url)
        await submit(page, number)
        await lawyer.goto(request_url)
        await lawyer.get_by_role("button", name=f"Review version {number}").click()
        decision = lawyer.locator("#review-decision")
        await expect(decision).to_contain_text("You cannot approve this version")
        await expect(decision).to_contain_text("another lawyer must approve it")
        await expect(decision.get_by_role("button", name=re.compile("^Approve"))).to_have_count(0)
        await expect(lawyer.get_by_role("heading", level=1)).to_contain_text(reference)
        assert await axe_violations(lawyer) == []
    finally:
        await lawyer_context.close()
