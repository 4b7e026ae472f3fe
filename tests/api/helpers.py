"""Helpers for API tests: bearer headers for each role, problem assertions."""

from __future__ import annotations

import re
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


INTERNALS = re.compile(r"<class '|<[A-Z]\w*\.[A-Z_]+: |Traceback|`|\w+Error\b|Validation failed")


def assert_sentence(detail: object) -> None:
    """``detail`` reads as a sentence for a person: no repr, class name or parser jargon."""
    assert isinstance(detail, str)
    assert detail[:1].isupper() or not detail[:1].isalpha(), detail
    assert detail.endswith((".", "!", "?")), detail
    assert not INTERNALS.search(detail), detail


def assert_problem(response: Response, status: int, slug: str) -> dict[str, object]:
    """The answer is an RFC 9457 problem with this status and type; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert body["type"] == f"http://docket.test/problems/{slug}"
    assert isinstance(body["title"], str)
    assert body["title"]
    assert_sentence(body["detail"])
    assert body["instance"] == response.request.url.path
    assert body["correlation_id"] == response.headers["x-correlation-id"]
    return body
