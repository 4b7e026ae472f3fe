"""Logging in, bearer tokens of both kinds, and every way they are refused."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import jwt

from domain.identity import tokens, users
from domain.shared.model import Role
from tests.api.helpers import assert_problem, bearer
from tests.conftest import PASSWORD, ROOT, SECRET, T0, make_user

LOGIN = "/api/v1/auth/login"


async def login(client, email: str, password: str = PASSWORD):
    return await client.post(LOGIN, json={"email": email, "password": password})


async def test_a_user_logs_in_and_the_token_says_who_they_are(client) -> None:
    user = await make_user(Role.SPECIALIST)
    response = await login(client, user.email.upper())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json() == {
        "kind": "user",
        "id": str(user.id),
        "role": "specialist",
        "name": user.email,
    }


async def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(client) -> None:
    user = await make_user(Role.LEGAL)
    wrong = assert_problem(
        await login(client, user.email, "not-the-password"), 401, "invalid-credentials"
    )
    unknown = assert_problem(
        await login(client, "nobody@docket.example"), 401, "invalid-credentials"
    )
    assert wrong["detail"] == unknown["detail"]


async def test_a_disabled_user_can_neither_log_in_nor_use_an_earlier_token(client, clock) -> None:
    user = await make_user(Role.SPECIALIST)
    token = (await login(client, user.email)).json()["access_token"]
    await users.disable_user(user.id, actor=ROOT, now=T0)
    assert_problem(await login(client, user.email), 401, "invalid-credentials")
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    body = assert_problem(response, 401, "invalid-token")
    assert "disabled" in str(body["detail"])


async def test_an_expired_access_token_is_refused(client, clock) -> None:
    user = await make_user(Role.AUDITOR)
    token = (await login(client, user.email)).json()["access_token"]
    clock.advance(seconds=3601)
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert "expired" in str(assert_problem(response, 401, "invalid-token")["detail"])


async def test_a_token_with_a_tampered_signature_or_claims_is_refused(client) -> None:
    user = await make_user(Role.AUDITOR)
    token = (await login(client, user.email)).json()["access_token"]
    head, payload, signature = token.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    forged_admin = jwt.encode(
        {"sub": str(user.id), "aud": "docket-api", "iat": 0, "exp": 2**40, "role": "admin"},
        "some-other-secret-of-at-least-32-bytes!!",
        algorithm="HS256",
    )
    unsigned = jwt.encode({"sub": str(user.id), "exp": 2**40}, None, algorithm="none")
    for bad in (
        f"{head}.{payload}.{flipped}",
        forged_admin,
        unsigned,
        "garbage",
        f"{head}.{payload}",
    ):
        response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {bad}"})
        assert_problem(response, 401, "invalid-token")


async def test_a_token_for_a_user_that_does_not_exist_is_refused(client) -> None:
    ghost = jwt.encode(
        {
            "sub": "00000000-0000-4000-8000-000000000000",
            "aud": "docket-api",
            "iat": 0,
            "exp": 2**40,
        },
        SECRET,
        algorithm="HS256",
    )
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {ghost}"})
    assert_problem(response, 401, "invalid-token")


async def test_missing_or_non_bearer_authorization_is_refused(client) -> None:
    assert_problem(await client.get("/api/v1/me"), 401, "missing-credentials")
    response = await client.get("/api/v1/me", headers={"Authorization": "Basic YTpi"})
    assert_problem(response, 401, "missing-credentials")
    assert response.headers["www-authenticate"] == 'Bearer realm="docket"'


async def test_an_api_token_works_until_it_is_revoked(client) -> None:
    issued = await tokens.create_token(
        name="deletion-pipeline", role=Role.SYSTEM, expires_in=None, actor=ROOT, now=T0
    )
    headers = {"Authorization": f"Bearer {issued.secret}"}
    me = await client.get("/api/v1/me", headers=headers)
    assert me.json()["kind"] == "token"
    assert me.json()["role"] == "system"
    await tokens.revoke_token(issued.token.id, actor=ROOT, now=T0)
    body = assert_problem(await client.get("/api/v1/me", headers=headers), 401, "invalid-token")
    assert "revoked" in str(body["detail"])


async def test_an_api_token_is_refused_after_it_expires(client, clock) -> None:
    headers = await bearer(Role.AUDITOR, expires_in=timedelta(days=1))
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 200
    clock.advance(days=1)
    body = assert_problem(await client.get("/api/v1/me", headers=headers), 401, "invalid-token")
    assert "expired" in str(body["detail"])


async def test_an_unknown_api_token_is_refused(client) -> None:
    response = await client.get("/api/v1/me", headers={"Authorization": "Bearer dkt_nope"})
    assert_problem(response, 401, "invalid-token")


async def test_a_burst_of_wrong_passwords_locks_the_account_for_a_while(client, clock) -> None:
    user = await make_user(Role.SPECIALIST)
    for _ in range(3):  # settings fixture: login_max_failures=3, lockout 300 s
        assert_problem(
            await login(client, user.email, "wrong-password!"), 401, "invalid-credentials"
        )
    locked = await login(client, user.email)  # even the right password
    body = assert_problem(locked, 429, "login-locked")
    assert body["retry_after"] == 300
    assert locked.headers["retry-after"] == "300"
    clock.advance(seconds=301)
    assert (await login(client, user.email)).status_code == 200


async def test_wrong_passwords_for_an_unknown_user_keep_no_colleague_at_that_address_out(
    client,
) -> None:
    colleague = await make_user(Role.LEGAL)
    for _ in range(3):  # the limit of the settings fixture
        assert_problem(
            await login(client, "nobody@docket.example", "guess!"), 401, "invalid-credentials"
        )
    assert_problem(await login(client, "nobody@docket.example", "guess!"), 429, "login-locked")
    assert (await login(client, colleague.email)).status_code == 200


async def test_past_the_address_limit_each_account_gets_one_guess_from_that_address(
    client,
) -> None:
    first, second = await make_user(Role.LEGAL), await make_user(Role.LEGAL)
    for email in (first.email, "x@docket.example", "y@docket.example"):
        assert_problem(await login(client, email, "wrong-password!"), 401, "invalid-credentials")
    # the address is at its limit: an account that failed from it is refused, even rightly
    assert_problem(await login(client, first.email), 429, "login-locked")
    assert_problem(await login(client, "x@docket.example", "again!"), 429, "login-locked")
    # an account that has not failed from it gets its guess: the right one signs in ...
    assert (await login(client, second.email)).status_code == 200
    # ... a wrong one is checked once, then that account is refused from there too
    assert_problem(await login(client, "z@docket.example", "guess!"), 401, "invalid-credentials")
    assert_problem(await login(client, "z@docket.example", "guess!"), 429, "login-locked")


async def test_a_burst_of_wrong_passwords_sent_at_once_is_checked_only_up_to_the_limit(
    client, app
) -> None:
    user = await make_user(Role.SPECIALIST)
    # the test client answers one request at a time; this transport runs them side by side
    transport = httpx.ASGITransport(app=app, client=("198.51.100.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://docket.test") as burst:
        answers = await asyncio.gather(
            *(login(burst, user.email, f"wrong-password-{i}") for i in range(30))
        )
    statuses = sorted(a.status_code for a in answers)
    # 401 = the password was checked and was wrong; 429 = refused before any check
    assert statuses.count(401) == 3, statuses
    assert statuses.count(429) == 27, statuses
    assert_problem(await login(client, user.email), 429, "login-locked")


async def test_a_successful_login_clears_the_account_failures(client) -> None:
    user = await make_user(Role.LEGAL)
    for _ in range(2):
        await login(client, user.email, "wrong-password!")
    assert (await login(client, user.email)).status_code == 200
    # the account counter is clear; the address counter is at 2 of 3, so one more failure locks
    assert_problem(await login(client, user.email, "wrong-password!"), 401, "invalid-credentials")
    assert_problem(await login(client, user.email), 429, "login-locked")


async def test_a_malformed_login_body_is_a_validation_problem(client) -> None:
    response = await client.post(LOGIN, json={"email": "a@docket.example"})
    body = assert_problem(response, 400, "validation-failed")
    assert body["errors"]
    response = await client.post(LOGIN, json={"email": "a", "password": "b", "admin": True})
    assert_problem(response, 400, "validation-failed")
