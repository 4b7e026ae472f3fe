"""Helpers for API tests: bearer headers for each role, problem assertions."""

from __future__ import annotations

from datetime import timedelta

from httpx import Response

from domain.identity import tokens
from domain.shared.model import Role
from tests.conftest import ROOT, T0


async def bearer(role: Role, *, expires_in: timedelta | None = None) -> dict[str, str]:
    """An ``Authorization`` header of a fresh API token with ``role``."""
    issued = await tokens.create_token(
        name=f"test-{role.value}", role=role, expires_in=expires_in, actor=ROOT, now=T0
    )
    return {"Authorization": f"Bearer {issued.secret}"}


def assert_problem(response: Response, status: int, slug: str) -> dict[str, object]:
    """The answer is an RFC 9457 problem with this status and type; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert body["type"] == f"http://docket.test/problems/{slug}"
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert body["instance"] == response.request.url.path
    assert body["correlation_id"] == response.headers["x-correlation-id"]
    return body
