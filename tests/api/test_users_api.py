"""Admins manage users and API tokens over HTTP; bad input changes nothing."""

from __future__ import annotations

import uuid

from domain.identity import repo
from domain.shared.model import Role
from tests.api.helpers import assert_problem, bearer
from tests.conftest import PASSWORD, make_user

NEW = {"email": "New.Person@Docket.example", "role": "legal", "password": "long-enough-password"}


async def test_an_admin_creates_a_user_who_can_then_log_in(client) -> None:
    admin = await bearer(Role.ADMIN)
    response = await client.post("/api/v1/users", json=NEW, headers=admin)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["email"] == "new.person@docket.example"
    assert created["display_name"] == "new.person@docket.example"
    assert created["role"] == "legal"
    assert created["disabled_at"] is None
    assert "password" not in response.text
    login = await client.post(
        "/api/v1/auth/login", json={"email": NEW["email"], "password": NEW["password"]}
    )
    assert login.status_code == 200
    listed = (await client.get("/api/v1/users", headers=admin)).json()["items"]
    assert [u["email"] for u in listed] == ["new.person@docket.example"]
    one = await client.get(f"/api/v1/users/{created['id']}", headers=admin)
    assert one.json() == created


async def test_bad_users_are_refused_and_nothing_is_written(client) -> None:
    admin = await bearer(Role.ADMIN)
    cases = [
        ({**NEW, "password": "short"}, 422, "invalid-field"),
        ({**NEW, "email": "not-an-email"}, 422, "invalid-field"),
        ({**NEW, "role": "system"}, 422, "invalid-field"),
        ({**NEW, "role": "superuser"}, 400, "validation-failed"),
        ({**NEW, "is_admin": True}, 400, "validation-failed"),
    ]
    for body, status, slug in cases:
        problem = assert_problem(
            await client.post("/api/v1/users", json=body, headers=admin), status, slug
        )
        if status == 422:
            assert problem["field"] in {"password", "email", "role"}
    assert await repo.count_users() == 0


async def test_a_second_user_with_the_same_email_is_a_conflict(client) -> None:
    admin = await bearer(Role.ADMIN)
    assert (await client.post("/api/v1/users", json=NEW, headers=admin)).status_code == 201
    duplicate = {**NEW, "email": NEW["email"].lower()}
    assert_problem(
        await client.post("/api/v1/users", json=duplicate, headers=admin), 409, "duplicate-email"
    )
    assert await repo.count_users() == 1


async def test_an_admin_disables_a_user_once(client) -> None:
    admin = await bearer(Role.ADMIN)
    user = await make_user(Role.SPECIALIST)
    response = await client.post(f"/api/v1/users/{user.id}/disable", headers=admin)
    assert response.status_code == 200
    assert response.json()["disabled_at"] is not None
    again = await client.post(f"/api/v1/users/{user.id}/disable", headers=admin)
    assert_problem(again, 409, "already-disabled")
    missing = await client.post(f"/api/v1/users/{uuid.uuid4()}/disable", headers=admin)
    assert_problem(missing, 404, "not-found")


async def test_an_admin_cannot_disable_themselves(client) -> None:
    admin = await make_user(Role.ADMIN)
    token = (
        await client.post("/api/v1/auth/login", json={"email": admin.email, "password": PASSWORD})
    ).json()["access_token"]
    response = await client.post(
        f"/api/v1/users/{admin.id}/disable", headers={"Authorization": f"Bearer {token}"}
    )
    assert_problem(response, 403, "self-lockout")
    assert (await repo.get_user(admin.id)).is_active


async def test_an_auditor_reads_users_but_cannot_change_them(client) -> None:
    auditor = await bearer(Role.AUDITOR)
    assert (await client.get("/api/v1/users", headers=auditor)).status_code == 200
    denied = await client.post("/api/v1/users", json=NEW, headers=auditor)
    assert_problem(denied, 403, "permission-denied")
    assert await repo.count_users() == 0


async def test_an_api_token_secret_is_shown_once_and_never_listed(client) -> None:
    admin = await bearer(Role.ADMIN)
    body = {"name": "deletion-pipeline", "role": "system", "expires_in_days": 30}
    created = await client.post("/api/v1/tokens", json=body, headers=admin)
    assert created.status_code == 201, created.text
    secret = created.json()["secret"]
    assert secret.startswith("dkt_")
    token = created.json()["token"]
    assert secret.startswith(token["prefix"])
    assert token["expires_at"].startswith("2026-04-01")  # T0 (2 March) + 30 days
    listing = await client.get("/api/v1/tokens", headers=admin)
    assert secret not in listing.text
    assert token["id"] in listing.text
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.json()["role"] == "system"


async def test_an_api_token_is_revoked_once(client) -> None:
    admin = await bearer(Role.ADMIN)
    body = {"name": "crm", "role": "auditor", "expires_in_days": None}
    created = (await client.post("/api/v1/tokens", json=body, headers=admin)).json()
    assert created["token"]["expires_at"] is None
    path = f"/api/v1/tokens/{created['token']['id']}/revoke"
    revoked = await client.post(path, headers=admin)
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert_problem(await client.post(path, headers=admin), 409, "already-disabled")
    missing = await client.post(f"/api/v1/tokens/{uuid.uuid4()}/revoke", headers=admin)
    assert_problem(missing, 404, "not-found")


async def test_bad_tokens_are_refused(client) -> None:
    admin = await bearer(Role.ADMIN)
    for body in (
        {"name": "", "role": "system"},
        {"name": "x", "role": "system", "expires_in_days": 0},
        {"name": "x", "role": "root"},
    ):
        response = await client.post("/api/v1/tokens", json=body, headers=admin)
        assert_problem(response, 400, "validation-failed")
    assert_problem(
        await client.post("/api/v1/tokens", json={"name": "  ", "role": "system"}, headers=admin),
        422,
        "invalid-field",
    )


async def test_an_admin_sets_a_new_password_and_only_the_new_one_logs_in(client) -> None:
    admin = await bearer(Role.ADMIN)
    target = await make_user(Role.LEGAL)
    new = {"password": "a-brand-new-long-password"}
    response = await client.post(f"/api/v1/users/{target.id}/password", json=new, headers=admin)
    assert response.status_code == 200, response.text
    assert response.json()["id"] == str(target.id)
    old = {"email": target.email, "password": PASSWORD}
    assert (await client.post("/api/v1/auth/login", json=old)).status_code == 401
    fresh = {"email": target.email, "password": new["password"]}
    assert (await client.post("/api/v1/auth/login", json=fresh)).status_code == 200


async def test_a_password_reset_is_refused_for_bad_input_and_other_roles(client) -> None:
    admin = await bearer(Role.ADMIN)
    target = await make_user(Role.LEGAL)
    path = f"/api/v1/users/{target.id}/password"
    short = await client.post(path, json={"password": "x"}, headers=admin)
    assert short.status_code == 422
    nobody = await client.post(
        f"/api/v1/users/{uuid.uuid4()}/password", json={"password": "long-enough-pw"}, headers=admin
    )
    assert nobody.status_code == 404
    auditor = await bearer(Role.AUDITOR)
    denied = await client.post(path, json={"password": "long-enough-pw"}, headers=auditor)
    assert denied.status_code == 403
    login = {"email": target.email, "password": PASSWORD}
    assert (await client.post("/api/v1/auth/login", json=login)).status_code == 200
