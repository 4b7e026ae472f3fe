"""DOCKET_PACKAGE_APPROVAL_PAGE reaches the build over HTTP: off by default, on when chosen."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from litestar.testing import AsyncTestClient
from pypdf import PdfReader

from api.app import create_app
from api.settings import Settings
from domain.shared.model import Role
from tests.api.test_packages_api import base, build, drafting_request, login, put_draft


@pytest.mark.parametrize("approval_page", [False, True], ids=["default off", "on"])
async def test_the_setting_decides_whether_the_built_pdf_ends_with_the_approval_page(
    settings: Settings, clock, rulebook, db: str, approval_page: bool
) -> None:
    if approval_page:
        settings = replace(settings, packages=replace(settings.packages, approval_page=True))
    assert settings.packages.approval_page is approval_page
    app = create_app(settings, clock=clock, pool=False, rulebook=rulebook)
    async with AsyncTestClient(app=app) as client:
        specialist = await login(client, Role.SPECIALIST)
        request_id = await drafting_request(client, specialist)
        drafted = await put_draft(client, request_id, specialist, "Our answer.")
        assert drafted.status_code == 200, drafted.text
        await build(client, request_id, specialist)
        pdf = await client.get(f"{base(request_id)}/versions/1/pdf", headers=specialist)
    assert pdf.status_code == 200
    last = PdfReader(io.BytesIO(pdf.content)).pages[-1].extract_text()
    assert ("Approved by / signature" in last) is approval_page
    assert "Our answer." in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
