"""The audit pages in a real browser: the auditor downloads the bundle from the page, and the
offline verifier accepts it with the keys the page shows; axe-core on each page."""

from __future__ import annotations

import asyncio
import re
import zipfile
from pathlib import Path

from playwright.async_api import Page, expect

from tests.browser.web import axe_violations, screenshot, sign_in
from tests.conftest import DOCKET

AUDITOR = "auditor@docket.example"


async def _verify(folder: Path, vkeys: list[str]) -> tuple[int, str]:
    """``docket audit verify`` as an auditor runs it: no database, no server."""
    args = [a for key in vkeys for a in ("--vkey", key)]
    proc = await asyncio.create_subprocess_exec(
        DOCKET,
        "audit",
        "verify",
        str(folder),
        *args,
        env={},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode is not None
    return proc.returncode, out.decode()


async def test_the_auditor_downloads_the_bundle_and_the_verifier_accepts_it(
    page: Page, live_server: str, tmp_path: Path
) -> None:
    await sign_in(page, live_server, AUDITOR)
    await page.get_by_role("link", name="Audit log").click()
    await expect(page.get_by_role("heading", name="Audit log", level=1)).to_be_visible()
    assert await axe_violations(page) == []
    size = int(await page.locator("#tree-size").inner_text())
    assert size > 0  # the demo data's entries
    vkeys = [k.strip() for k in await page.locator("code[id^=vkey-]").all_inner_texts()]
    assert vkeys
    command = await page.locator("#verify-command").inner_text()
    assert f"docket audit verify docket-audit-{size}" in command
    await page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    copy = page.get_by_role("button", name=re.compile("^Copy key"))
    await expect(copy.first).to_be_visible()  # docket.js shows the copy buttons
    await copy.first.click()
    await expect(page.locator("#copy-status")).to_have_text("Copied.")
    assert await page.evaluate("navigator.clipboard.readText()") == vkeys[0]
    await screenshot(page, "audit")

    async with page.expect_download() as started:
        await page.get_by_role("link", name="Download the audit bundle").click()
    download = await started.value
    assert download.suggested_filename == f"docket-audit-{size}.zip"
    archive = tmp_path / download.suggested_filename
    await download.save_as(archive)
    with zipfile.ZipFile(archive) as unpacked:
        unpacked.extractall(tmp_path)

    code, out = await _verify(tmp_path / f"docket-audit-{size}", vkeys)
    assert code == 0, out
    assert out.startswith(f"OK: {size} entries, root ")
    root = await page.locator("#checkpoint dd code.digest").first.inner_text()
    assert root in out  # the root the page shows is the one the verifier recomputed

    (tmp_path / f"docket-audit-{size}" / "keys.txt").write_text("")
    lines = (tmp_path / f"docket-audit-{size}" / "entries.jsonl").read_text().splitlines(True)
    lines[0] = lines[0].replace("user.created", "user.disabled")
    (tmp_path / f"docket-audit-{size}" / "entries.jsonl").write_text("".join(lines))
    code, out = await _verify(tmp_path / f"docket-audit-{size}", vkeys)
    assert code == 1
    assert out.startswith("FAILED")


async def test_the_entries_page_filters_in_the_url_and_opens_a_proof(
    page: Page, live_server: str
) -> None:
    await sign_in(page, live_server, AUDITOR)
    await page.goto(f"{live_server}/audit/entries")
    await expect(page.get_by_role("heading", name="Audit log entries", level=1)).to_be_visible()
    assert await axe_violations(page) == []
    await page.get_by_label("Action").fill("user.created")
    await page.get_by_role("button", name="Show entries").click()
    await expect(page).to_have_url(re.compile(r"action=user\.created"))
    rows = page.locator("table.audit-entries tbody tr")
    assert await rows.count() >= 4  # the demo's users
    for action in await rows.locator("td code").all_inner_texts():
        assert action == "user.created"
    link = rows.first.get_by_role("link", name=re.compile("^JSON inclusion proof"))
    proof = await page.request.get(live_server + (await link.get_attribute("href") or ""))
    assert proof.status == 200
    assert set(await proof.json()) == {"index", "tree_size", "proof"}
    await page.goto(f"{live_server}/audit/entries?colour=red")
    await expect(page.locator(".error-summary")).to_contain_text("'colour' is not a filter")
    assert await axe_violations(page) == []
    await screenshot(page, "audit-entries")
