"""The request page in a real browser: from the queue to a demo request, a workflow step, a
document dropped in, a consequential step asked again, a stale edit, axe-core on each state."""

from __future__ import annotations

import hashlib
import re

import httpx
from playwright.async_api import Page, expect

from tests.browser.web import DEMO_PASSWORD, axe_violations, screenshot, sign_in

SPECIALIST = "specialist@docket.example"
ADMIN = "admin@docket.example"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

DROP = """({name, text}) => {
  const files = new DataTransfer();
  files.items.add(new File([text], name, {type: "text/csv"}));
  const zone = document.querySelector("form[data-dropzone]");
  zone.dispatchEvent(new DragEvent("drop", {dataTransfer: files, bubbles: true, cancelable: true}));
}"""


async def open_received_request(page: Page, base: str) -> str:
    """Open the first request still in "received" from the queue; return its page's URL."""
    await page.goto(f"{base}/queue?tab=open&state=received")
    link = page.locator("table tbody tr th a").first
    reference = await link.inner_text()
    await link.click()
    await expect(page.get_by_role("heading", name=reference, level=1)).to_be_visible()
    return page.url


async def test_a_specialist_works_a_request_from_the_queue(page: Page, live_server: str) -> None:
    await sign_in(page, live_server, SPECIALIST)
    url = await open_received_request(page, live_server)
    await expect(page.locator(".deadline-row.in-force .band")).to_be_visible()
    await page.get_by_text("How this deadline is counted").click()
    await expect(page.locator(".explanation-steps cite").first).to_be_visible()
    assert await axe_violations(page) == []

    await page.get_by_role("button", name="Triage", exact=True).click()
    outcome = page.locator("#outcome [role=status]")
    await expect(outcome).to_contain_text("Triaged.")
    index = (await outcome.get_by_role("link").inner_text()).lstrip("#")
    await expect(page.locator(f"#entry-{index}")).to_contain_text("Triaged")
    assert page.url.startswith(url)

    # a consequential step asks again in a dialog that names the request; cancel leaves it
    await page.get_by_role("button", name="Mark as withdrawn…").click()
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_be_visible()
    await expect(dialog.get_by_role("heading")).to_contain_text("Mark as withdrawn REQ-")
    assert await axe_violations(page) == []
    await dialog.get_by_role("button", name="Cancel").click()
    await expect(dialog).to_be_hidden()

    await page.locator("#field-file").set_input_files(
        files=[{"name": "Production order.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    await page.get_by_role("button", name="Upload").click()
    row = page.locator("#attachments tbody tr", has_text="Production order.pdf")
    await expect(row).to_contain_text(hashlib.sha256(PDF).hexdigest())
    await expect(row).to_contain_text("application/pdf")
    await expect(page.locator("#outcome [role=status]")).to_contain_text("Document attached.")
    await expect(page.locator("#trail")).to_contain_text("Document attached")

    # files dropped on the form are posted as if they had been chosen
    await page.evaluate(DROP, {"name": "dropped notes.csv", "text": "Name;Account\n"})
    dropped = page.locator("#attachments tbody tr", has_text="dropped notes.csv")
    await expect(dropped).to_contain_text(hashlib.sha256(b"Name;Account\n").hexdigest())
    assert await axe_violations(page) == []
    await page.evaluate("window.scrollTo(0, 0)")
    await screenshot(page, "request")


async def test_a_stale_edit_shows_who_changed_the_request_meanwhile(
    page: Page, live_server: str
) -> None:
    await sign_in(page, live_server, SPECIALIST)
    url = await open_received_request(page, live_server)
    request_id = url.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
    async with httpx.AsyncClient(base_url=live_server) as api:
        login = await api.post(
            "/api/v1/auth/login", json={"email": ADMIN, "password": DEMO_PASSWORD}
        )
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        current = (await api.get(f"/api/v1/requests/{request_id}", headers=headers)).json()
        changed = await api.patch(
            f"/api/v1/requests/{request_id}",
            json={"expected_version": current["version"], "summary": "Scope narrowed by phone"},
            headers=headers,
        )
        assert changed.status_code == 200, changed.text

    await page.get_by_role("button", name="Assign").click()
    alert = page.locator(".stale[role=alert]")
    await expect(alert).to_contain_text("changed after you opened it")
    await expect(alert).to_contain_text("Scope narrowed by phone")
    await expect(alert).to_contain_text(re.compile(r"Docket Admin|admin", re.IGNORECASE))
    await expect(alert.get_by_role("button", name="Reload the request")).to_be_visible()
    assert await axe_violations(page) == []
    await alert.get_by_role("button", name="Reload the request").click()
    await expect(page.locator("#details")).to_contain_text("Scope narrowed by phone")
