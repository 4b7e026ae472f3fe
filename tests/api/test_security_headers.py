"""Every answer says nosniff; every page refuses to be framed; the docs and PDFs still work."""

from __future__ import annotations

import pytest

from api.static_assets import static_url, vendor_url
from domain.shared.model import Role
from tests.api.helpers import bearer

# (path, method, who) -> every kind of answer: JSON, problems, pages, files, Litestar's own
ANSWERS = [
    pytest.param("GET", "/healthz", None, id="probe"),
    pytest.param("GET", "/api/v1/me", Role.SPECIALIST, id="json"),
    pytest.param("GET", "/api/v1/me", None, id="problem-401"),
    pytest.param("DELETE", "/api/v1/me", Role.SPECIALIST, id="problem-405"),
    pytest.param("GET", "/api/v1/nothing-here", Role.SPECIALIST, id="problem-404"),
    pytest.param("GET", "/api/v1/users", Role.SPECIALIST, id="problem-403"),
    pytest.param("GET", "/schema", None, id="docs-page"),
    pytest.param("GET", "/schema/openapi.json", None, id="openapi"),
    pytest.param("GET", static_url("docket.css"), None, id="own-static-file"),
    pytest.param("GET", vendor_url("htmx.org", "htmx.min.js"), None, id="vendored-file"),
    pytest.param("GET", "/static/docket/missing.css", None, id="missing-file"),
    pytest.param("GET", "/sign-in", None, id="page"),
    pytest.param("GET", "/queue", None, id="page-redirect"),
    pytest.param("GET", "/no-such-page", None, id="error-page"),
    pytest.param("GET", "/ack/not-a-token", None, id="ack-page"),
]


@pytest.mark.parametrize(("method", "path", "role"), ANSWERS)
async def test_every_answer_forbids_sniffing_and_every_page_framing(
    client, method: str, path: str, role: Role | None
) -> None:
    headers = await bearer(role) if role else {}
    response = await client.request(method, path, headers=headers)
    assert response.headers["x-content-type-options"] == "nosniff", response.status_code
    if response.headers.get("content-type", "").startswith("text/html"):
        assert response.headers["x-frame-options"] == "DENY"
        policy = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy
        assert policy.count("frame-ancestors") == 1


async def test_a_page_with_its_own_policy_keeps_it_and_refuses_framing(client) -> None:
    page = await client.get("/ack/not-a-token")
    policy = page.headers["content-security-policy"]
    assert policy.startswith("default-src 'none'; style-src 'unsafe-inline'")
    assert "frame-ancestors 'none'" in policy
    assert page.headers.get_list("content-security-policy") == [policy]
