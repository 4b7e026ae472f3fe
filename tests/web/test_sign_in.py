"""Signing in and out of the pages: a server-side session in a cookie, CSRF on every form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from litestar.testing import AsyncTestClient

from api.app import create_app
from audit import store
from domain.identity import sessions
from domain.shared.model import Role
from tests.conftest import PASSWORD, T0, make_user
from tests.web.helpers import csrf, post_form, sign_in, signed_in

pytestmark = pytest.mark.usefixtures("db")


async def test_a_page_without_a_session_sends_the_browser_to_sign_in_and_back(client) -> None:
    response = await client.get("/queue?tab=overdue")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=%2Fqueue%3Ftab%3Doverdue"
    form = await client.get(response.headers["location"])
    assert 'name="next" value="/queue?tab=overdue"' in form.text


async def test_an_htmx_request_without_a_session_is_told_to_reload_at_sign_in(client) -> None:
    response = await client.get("/queue", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["hx-redirect"].startswith("/sign-in")


async def test_signing_in_sets_a_session_cookie_and_returns_where_the_user_was_going(
    client,
) -> None:
    user = await make_user(Role.SPECIALIST)
    token = await csrf(client)
    response = await client.post(
        "/sign-in",
        data={"_csrf_token": token, "email": user.email, "password": PASSWORD, "next": "/queue"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/queue"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("docket_session=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie  # http://docket.test
    assert (await client.get("/queue")).status_code == 200


async def test_the_session_cookie_is_secure_behind_https(settings, clock, rulebook, db) -> None:
    from dataclasses import replace

    https = replace(settings, server=replace(settings.server, base_url="https://docket.test"))
    app = create_app(https, clock=clock, pool=False, rulebook=rulebook)
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        c.follow_redirects = False
        user = await make_user(Role.LEGAL)
        response = await sign_in(c, user)
        assert "Secure" in response.headers["set-cookie"]


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example", "/\\evil"])
async def test_sign_in_never_redirects_to_another_site(client, target: str) -> None:
    user = await make_user(Role.SPECIALIST)
    token = await csrf(client)
    response = await client.post(
        "/sign-in",
        data={"_csrf_token": token, "email": user.email, "password": PASSWORD, "next": target},
    )
    assert response.headers["location"] == "/"


async def test_a_wrong_password_is_said_on_the_form_and_opens_no_session(client) -> None:
    user = await make_user(Role.SPECIALIST)
    response = await sign_in(client, user, password="not-the-password")
    assert response.status_code == 401
    assert "the e-mail address or the password is wrong" in response.text
    assert "docket_session" not in response.headers.get("set-cookie", "")
    assert (await client.get("/queue")).status_code == 303


async def test_the_form_shares_the_apis_lockout(client) -> None:
    user = await make_user(Role.SPECIALIST)
    for _ in range(3):  # login_max_failures in the test settings
        await sign_in(client, user, password="wrong-password-here")
    response = await sign_in(client, user)
    assert response.status_code == 429
    assert "too many failed logins" in response.text


async def test_an_overlong_e_mail_on_the_form_is_a_wrong_login_and_is_counted(client) -> None:
    # the form, unlike the API's schema, puts no cap on the e-mail's length
    long_email = "x" * 1000 + "@docket.example"
    token = await csrf(client)
    for expected in (401, 401, 401, 429):
        response = await client.post(
            "/sign-in",
            data={"_csrf_token": token, "email": long_email, "password": "guess", "next": ""},
        )
        assert response.status_code == expected, response.text[:300]


async def test_a_form_without_its_csrf_token_is_refused(client) -> None:
    await signed_in(client, Role.SPECIALIST)
    response = await client.post("/sign-out")
    assert response.status_code == 403
    assert "text/html" in response.headers["content-type"]
    assert (await client.get("/queue")).status_code == 200  # still signed in


async def test_the_json_api_needs_no_csrf_token(client) -> None:
    from tests.api.helpers import bearer

    response = await client.post(
        "/api/v1/authorities",
        json={"name": "Ofcom", "country": "GB", "type": "regulator"},
        headers=await bearer(Role.SPECIALIST),
    )
    assert response.status_code == 201, response.text


async def test_signing_out_ends_the_session_for_good(client) -> None:
    await signed_in(client, Role.LEGAL)
    old = client.cookies.get("docket_session")
    response = await post_form(client, "/sign-out", {}, page="/queue")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in"
    client.cookies.set("docket_session", old)
    assert (await client.get("/queue")).status_code == 303


async def test_a_session_expires_and_a_disabled_user_loses_theirs(client, clock) -> None:
    user = await signed_in(client, Role.SPECIALIST)
    clock.advance(hours=11)
    assert (await client.get("/queue")).status_code == 200
    clock.advance(hours=2)  # past the 12 hours of DOCKET_SESSION_HOURS
    assert (await client.get("/queue")).status_code == 303
    other = await make_user(Role.SPECIALIST)
    await sign_in(client, other)
    from domain.identity import users
    from tests.conftest import ROOT

    await users.disable_user(other.id, actor=ROOT, now=clock.now())
    assert (await client.get("/queue")).status_code == 303
    assert user.id != other.id


async def test_signing_in_and_out_are_each_one_audit_entry(db) -> None:
    from domain.identity.auth import AuthPolicy

    user = await make_user(Role.AUDITOR)
    policy = AuthPolicy(
        secret_key="s" * 40, access_token_ttl=60, max_failures=3, lockout_seconds=60
    )
    before = await store.size()
    signed = await sessions.sign_in(
        user.email,
        PASSWORD,
        client_address="10.0.0.1",
        policy=policy,
        lifetime=timedelta(hours=1),
        now=T0,
    )
    await sessions.sign_out(signed.secret, now=T0)
    await sessions.sign_out(signed.secret, now=T0)  # again: nothing more
    entries = await store.entries(before, None, limit=10)
    assert [e.action for e in entries] == ["user.signed_in", "user.signed_out"]
    assert {e.subject_id for e in entries} == {str(user.id)}
