"""Hostile query strings on the pages: each is a 4xx page naming what is wrong, never a 500."""

from __future__ import annotations

import base64
import json

import pytest

from domain.shared.model import Role
from tests.web.helpers import csrf, signed_in

pytestmark = pytest.mark.usefixtures("db")


def _cursor(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


BAD_CURSORS = {
    "nested": base64.urlsafe_b64encode(b"[" * 5000 + b"]" * 5000).decode(),
    "a list": _cursor([]),
    "wrong types": _cursor({"s": "due", "k": 1, "i": 2}),
    "an object key": _cursor({"s": "due", "k": {"a": 1}, "i": "x"}),
    "inbox section with an object": "u." + _cursor({"k": {}, "i": {}}),
}


@pytest.mark.parametrize("page", ["/queue", "/inbox"])
@pytest.mark.parametrize("name", ["after", "before"])
@pytest.mark.parametrize("cursor", BAD_CURSORS.values(), ids=BAD_CURSORS.keys())
async def test_a_made_up_cursor_is_a_4xx_page(client, page: str, name: str, cursor: str) -> None:
    await signed_in(client, Role.LEGAL)
    response = await client.get(page, params={name: cursor})
    assert 400 <= response.status_code < 500, response.text[:300]


async def test_a_search_longer_than_its_limit_is_named_on_the_queue(client) -> None:
    await signed_in(client, Role.LEGAL)
    response = await client.get("/queue", params={"q": "x" * 60_000})
    assert response.status_code == 422, response.text[:300]
    assert "at most 200 characters" in response.text


@pytest.mark.parametrize("value", ["a\x00b", "a\x1bb"])
async def test_a_control_character_in_a_query_is_a_400_page(client, value: str) -> None:
    await signed_in(client, Role.LEGAL)
    response = await client.get("/queue", params={"q": value})
    assert response.status_code == 400, response.text[:300]
    assert "control character" in response.text


async def test_a_control_character_in_a_form_is_a_400_page_and_no_failed_login(client) -> None:
    token = await csrf(client)
    response = await client.post(
        "/sign-in",
        data={"_csrf_token": token, "email": "a\x00@docket.example", "password": "x", "next": ""},
    )
    assert response.status_code == 400, response.text[:300]
    assert "control character" in response.text
