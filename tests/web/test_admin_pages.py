"""Administration pages over HTTP: users (create, disable, reset a password), API tokens (the
secret shown once; revoke), the mail outbox; each change with its audit entry, bad input named
beside its field."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from domain import audit_log
from domain.identity import users
from domain.notifications import outbox
from domain.shared.model import Actor, ActorKind, Role
from tests.conftest import PASSWORD, T0, make_user
from tests.web.helpers import csrf, post_form, sign_in, signed_in

pytestmark = pytest.mark.usefixtures("db")
NEW_PASSWORD = "another-long-enough-password"


def _admin_actor(user_id) -> Actor:
    return Actor(kind=ActorKind.USER, id=user_id, role=Role.ADMIN, name="admin")


async def _entries(subject: tuple[str, str], admin_id) -> list[str]:
    found = await audit_log.read_entries(
        0, None, subject=subject, actor_ref=None, limit=100, actor=_admin_actor(admin_id)
    )
    return [e.entry.action for e in found]


async def test_admin_opens_on_the_users_and_the_nav_names_it(client) -> None:
    await signed_in(client, Role.ADMIN)
    opened = await client.get("/admin")
    assert opened.status_code == 303
    assert opened.headers["location"] == "/admin/users"
    page = await client.get("/admin/users")
    assert page.status_code == 200
    assert '<a href="/admin/users" aria-current="page">Admin</a>' in page.text


async def test_creating_a_user_with_a_role_writes_its_audit_entry_and_says_so(client) -> None:
    admin = await signed_in(client, Role.ADMIN)
    data = {
        "email": "New.Person@Docket.example",
        "display_name": "New Person",
        "role": "legal",
        "password": NEW_PASSWORD,
    }
    done = await post_form(client, "/admin/users", data, page="/admin/users")
    assert done.status_code == 303
    created = next(
        u
        for u in await users.list_users(actor=_admin_actor(admin.id))
        if u.email == "new.person@docket.example"
    )
    assert created.role is Role.LEGAL
    assert await _entries(("user", str(created.id)), admin.id) == ["user.created"]
    page = await client.get(done.headers["location"])
    assert "Created the user New Person." in page.text
    assert "Recorded as audit entry #" in page.text
    assert NEW_PASSWORD not in page.text


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"email": "not-an-address"}, "email", "email address"),
        ({"password": "short"}, "password", "at least"),
        ({"role": "emperor"}, "role", "choose one of the roles"),
        ({"role": "system"}, "role", "for API tokens, not people"),
    ],
)
async def test_a_user_form_with_bad_input_shows_the_error_beside_its_field(
    client, changes, field, words
) -> None:
    await signed_in(client, Role.ADMIN)
    data = {
        "email": "ok@docket.example",
        "display_name": "Ok",
        "role": "legal",
        "password": NEW_PASSWORD,
        **changes,
    }
    page = await post_form(client, "/admin/users", data, page="/admin/users")
    assert page.status_code == 422
    assert f'href="#field-{field}"' in page.text
    assert f'id="error-{field}"' in page.text
    assert words in page.text
    assert NEW_PASSWORD not in page.text  # a password typed is never sent back


async def test_a_taken_address_is_refused_beside_the_email_field(client) -> None:
    await signed_in(client, Role.ADMIN)
    taken = await make_user(Role.LEGAL)
    data = {"email": taken.email, "role": "legal", "password": NEW_PASSWORD}
    page = await post_form(client, "/admin/users", data, page="/admin/users")
    assert page.status_code == 409
    assert 'href="#field-email"' in page.text


async def test_disabling_a_user_refuses_their_sign_in_and_writes_its_entry(
    client, app: Litestar
) -> None:
    admin = await signed_in(client, Role.ADMIN)
    target = await make_user(Role.SPECIALIST)
    done = await post_form(client, f"/admin/users/{target.id}/disable", {}, page="/admin/users")
    assert done.status_code == 303
    page = await client.get(done.headers["location"])
    assert "Disabled" in page.text
    assert "Recorded as audit entry #" in page.text
    assert await _entries(("user", str(target.id)), admin.id) == ["user.created", "user.disabled"]
    async with AsyncTestClient(app=app) as other:
        other.follow_redirects = False
        refused = await sign_in(other, target)
        assert refused.status_code != 303


async def test_an_admin_cannot_disable_themselves_and_is_told_why(client) -> None:
    admin = await signed_in(client, Role.ADMIN)
    page = await post_form(client, f"/admin/users/{admin.id}/disable", {}, page="/admin/users")
    assert 400 <= page.status_code < 500
    assert f'href="#field-disable-{admin.id}"' in page.text


async def test_resetting_a_password_ends_the_users_sessions_and_the_new_one_works(
    client, app: Litestar
) -> None:
    admin = await signed_in(client, Role.ADMIN)
    target = await make_user(Role.LEGAL)
    async with AsyncTestClient(app=app) as theirs:
        theirs.follow_redirects = False
        assert (await sign_in(theirs, target)).status_code == 303
        assert (await theirs.get("/queue")).status_code == 200
        done = await post_form(
            client,
            f"/admin/users/{target.id}/password",
            {f"password-{target.id}": NEW_PASSWORD},
            page="/admin/users",
        )
        assert done.status_code == 303
        assert (await theirs.get("/queue")).status_code == 303  # signed out everywhere
        assert (await sign_in(theirs, target, PASSWORD)).status_code != 303
        assert (await sign_in(theirs, target, NEW_PASSWORD)).status_code == 303
    actions = await _entries(("user", str(target.id)), admin.id)
    assert "user.password_reset" in actions
    page = await client.get(done.headers["location"])
    assert "Set a new password for" in page.text


async def test_a_short_new_password_is_refused_beside_its_field(client) -> None:
    await signed_in(client, Role.ADMIN)
    target = await make_user(Role.LEGAL)
    page = await post_form(
        client,
        f"/admin/users/{target.id}/password",
        {f"password-{target.id}": "x"},
        page="/admin/users",
    )
    assert page.status_code == 422
    assert f'href="#field-password-{target.id}"' in page.text


async def test_a_new_tokens_secret_is_shown_once_and_works_until_revoked(client) -> None:
    admin = await signed_in(client, Role.ADMIN)
    data = {"name": "hold checker", "role": "system", "expires_in_days": "30"}
    created = await post_form(client, "/admin/tokens", data, page="/admin/tokens")
    assert created.status_code == 200
    assert created.headers["cache-control"] == "no-store"
    secret = created.text.split('<pre id="secret"', 1)[1].split("<code>", 1)[1].split("<", 1)[0]
    assert secret.startswith("dkt_")
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200
    listed = await client.get("/admin/tokens")
    assert "hold checker" in listed.text
    assert secret not in listed.text
    token_id = listed.text.split('<tr id="token-', 1)[1].split('"', 1)[0]
    revoked = await post_form(client, f"/admin/tokens/{token_id}/revoke", {}, page="/admin/tokens")
    assert revoked.status_code == 303
    page = await client.get(revoked.headers["location"])
    assert "Revoked the token hold checker" in page.text
    assert "Recorded as audit entry #" in page.text
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 401
    actions = await _entries(("api_token", token_id), admin.id)
    assert actions == ["api_token.created", "api_token.revoked"]
    again = await post_form(client, f"/admin/tokens/{token_id}/revoke", {}, page="/admin/tokens")
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"role": "emperor"}, "role"),
        ({"expires_in_days": "soon"}, "expires_in_days"),
        ({"expires_in_days": "0"}, "expires_in_days"),
        ({"expires_in_days": "99999"}, "expires_in_days"),
    ],
)
async def test_a_token_form_with_bad_input_shows_the_error_beside_its_field(
    client, changes, field
) -> None:
    await signed_in(client, Role.ADMIN)
    data = {"name": "ci", "role": "system", "expires_in_days": "30", **changes}
    page = await post_form(client, "/admin/tokens", data, page="/admin/tokens")
    assert page.status_code == 422
    assert f'href="#field-{field}"' in page.text
    assert '<pre id="secret"' not in page.text


async def test_the_outbox_lists_kept_mail_read_only(client) -> None:
    await signed_in(client, Role.ADMIN)
    await outbox.keep_mail(
        notification_key="k-1",
        kind="reminder",
        recipient="sam@docket.example",
        subject="Due in 3 days: REQ-1",
        body_text="…",
        body_html=None,
        message_id="<m@x>",
        raw_message="…",
        now=T0,
    )
    page = await client.get("/admin/outbox")
    assert page.status_code == 200
    assert "Due in 3 days: REQ-1" in page.text
    assert "Kept (not sent)" in page.text
    assert "<form" not in page.text.split('id="mail"', 1)[1].split("</section>", 1)[0]
    bad = await client.get("/admin/outbox?mail=garbage&colour=red")
    assert bad.status_code == 422
    assert "&#39;colour&#39; is not a parameter of the outbox" in bad.text


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.LEGAL, Role.SPECIALIST])
async def test_only_admins_administer(client, role) -> None:
    await signed_in(client, role)
    for path in ("/admin/users", "/admin/tokens", "/admin/outbox"):
        assert (await client.get(path)).status_code == 403
    token = await csrf(client, "/account")
    made = await client.post(
        "/admin/users",
        data={
            "_csrf_token": token,
            "email": "x@docket.example",
            "role": "admin",
            "password": NEW_PASSWORD,
        },
    )
    assert made.status_code == 403


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "W1tbW10", "x" * 5000, "eyJzIjogImR1ZSIsICJrIjogMSwgImkiOiAyfQ"],
)
async def test_a_made_up_outbox_cursor_is_named_never_a_500(client, cursor) -> None:
    await signed_in(client, Role.ADMIN)
    for name in ("mail", "hooks"):
        response = await client.get("/admin/outbox", params={name: cursor})
        assert response.status_code == 422, response.text[:300]
        assert f'href="#field-{name}"' in response.text
        assert f'id="field-{name}"' in response.text  # the summary's link leads somewhere
