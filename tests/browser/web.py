"""What the browser tests of the pages share: signing in, axe-core, screenshots."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from playwright.async_api import Page

DEMO_PASSWORD: Final = "docket-demo-password"
AXE: Final = next((Path(__file__).parent / "vendor").glob("axe-core-*/axe.min.js")).read_text()
SCREENSHOTS: Final = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
BLOCKING: Final = {"serious", "critical"}


async def sign_in(page: Page, base: str, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the form, as a person does."""
    await page.goto(f"{base}/sign-in")
    await page.get_by_label("E-mail address").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_load_state("networkidle")


async def axe_violations(page: Page) -> list[str]:
    """The serious and critical accessibility violations axe-core finds on the page."""
    await page.add_script_tag(content=AXE)
    result = await page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result
        if v["impact"] in BLOCKING
    ]


async def screenshot(page: Page, name: str) -> None:
    """Keep a screenshot for the README when DOCKET_SCREENSHOTS=1 (``make screenshots``)."""
    if os.environ.get("DOCKET_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=SCREENSHOTS / f"{name}.png")
