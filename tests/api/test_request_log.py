"""One structured line per request, with no bodies and no secrets."""

from __future__ import annotations

import json
import logging

import pytest

from domain.shared.model import Role
from tests.api.helpers import bearer
from tests.conftest import PASSWORD, make_user


async def test_each_request_logs_one_line_without_bodies_or_secrets(
    client, caplog: pytest.LogCaptureFixture
) -> None:
    user = await make_user(Role.LEGAL)
    headers = await bearer(Role.ADMIN)
    with caplog.at_level(logging.INFO, logger="docket.requests"):
        login = await client.post(
            "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
        )
        await client.get("/api/v1/users", headers=headers)
        await client.get("/nowhere")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "docket.requests"]
    assert [(x["method"], x["path"], x["status"]) for x in lines] == [
        ("POST", "/api/v1/auth/login", 200),
        ("GET", "/api/v1/users", 200),
        ("GET", "/nowhere", 404),
    ]
    assert set(lines[1]) == {"method", "path", "status", "duration_ms", "user_id", "correlation_id"}
    assert lines[1]["user_id"] is not None
    assert lines[0]["user_id"] is None
    text = caplog.text
    for secret in (PASSWORD, login.json()["access_token"], headers["Authorization"].split()[1]):
        assert secret not in text
