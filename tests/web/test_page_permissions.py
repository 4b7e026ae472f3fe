"""Every page, for every role that can sign in: allowed by the same permission table as the API,
or refused with a 403 page; without a session, sent to sign in."""

from __future__ import annotations

import pytest
from litestar import Litestar

from api.auth import PUBLIC_OPT
from api.guards import PERMISSION_OPT
from domain.shared.model import USER_ROLES, Role
from domain.shared.permissions import Permission, has_permission
from tests.api.test_permissions import all_endpoints, concrete
from tests.factories import given_authority
from tests.web.helpers import csrf, signed_in
from tests.web.holds_helpers import given_hold

pytestmark = pytest.mark.usefixtures("db")


def page_endpoints(app: Litestar) -> list[tuple[str, str, dict[str, object]]]:
    from api.auth import is_page_path

    return [
        e
        for e in all_endpoints(app)
        if is_page_path(e[1]) and not e[1].startswith("/ack/") and not e[2].get(PUBLIC_OPT)
    ]


def test_there_are_pages_to_check(app: Litestar) -> None:
    paths = {path for _, path, _ in page_endpoints(app)}
    assert {"/", "/queue", "/sign-out", "/requests/{request_id:uuid}/events"} <= paths
    assert {
        "/holds",
        "/holds/new",
        "/holds/{hold_id:uuid}",
        "/holds/{hold_id:uuid}/edit",
        "/holds/{hold_id:uuid}/issue",
        "/holds/{hold_id:uuid}/release",
    } <= paths


HOLD_PAGES = [
    ("/holds", Permission.HOLDS_READ),
    ("/holds/{draft}", Permission.HOLDS_READ),
    ("/holds/new", Permission.HOLDS_MANAGE),
    ("/holds/{draft}/edit", Permission.HOLDS_MANAGE),
    ("/holds/{draft}/issue", Permission.HOLDS_MANAGE),
    ("/holds/{issued}/release", Permission.HOLDS_MANAGE),
]
"""The hold pages with a real hold behind them: 200 for a role with the permission, else 403."""


@pytest.mark.parametrize("role", sorted(USER_ROLES), ids=lambda r: r.value)
async def test_each_role_opens_the_hold_pages_its_permissions_allow(client, role: Role) -> None:
    draft = await given_hold("MAT-D", issued=False)
    issued = await given_hold("MAT-I")
    await signed_in(client, role)
    for path, permission in HOLD_PAGES:
        url = path.format(draft=draft.id, issued=issued.id)
        response = await client.get(url)
        expected = 200 if has_permission(role, permission) else 403
        assert response.status_code == expected, (role, url, response.text[:300])


MORE_ADMIN_PAGES = [
    ("/admin/authorities", Permission.AUTHORITIES_MERGE),
    ("/admin/authorities?q=of", Permission.AUTHORITIES_MERGE),
    ("/admin/authorities/{duplicate}", Permission.AUTHORITIES_MERGE),
    ("/admin/authorities/{duplicate}/merge?kept_id={kept}", Permission.AUTHORITIES_MERGE),
    ("/admin/letter-templates", Permission.LETTER_TEMPLATES_MANAGE),
    ("/admin/letter-templates/de", Permission.LETTER_TEMPLATES_MANAGE),
    ("/admin/settings", Permission.SETTINGS_READ),
]
"""The administration pages with real objects behind them: 200 with the permission, else 403."""


@pytest.mark.parametrize("role", sorted(USER_ROLES), ids=lambda r: r.value)
async def test_each_role_opens_the_new_admin_pages_its_permissions_allow(
    client, role: Role
) -> None:
    kept = await given_authority("Ofcom", "GB")
    duplicate = await given_authority("OFCOM", "GB")
    await signed_in(client, role)
    for path, permission in MORE_ADMIN_PAGES:
        url = path.format(duplicate=duplicate.id, kept=kept.id)
        response = await client.get(url)
        expected = 200 if has_permission(role, permission) else 403
        assert response.status_code == expected, (role, url, response.text[:300])
    token = await csrf(client)
    merge = await client.post(
        f"/admin/authorities/{duplicate.id}/merge",
        data={"_csrf_token": token, "kept_id": str(kept.id)},
    )
    assert merge.status_code == (303 if has_permission(role, Permission.AUTHORITIES_MERGE) else 403)
    letter = await client.post(
        "/admin/letter-templates/de",
        data={"_csrf_token": token, "greeting": "Guten Tag,", "closing": "Grüße"},
    )
    manages = has_permission(role, Permission.LETTER_TEMPLATES_MANAGE)
    assert letter.status_code == (303 if manages else 403)


@pytest.mark.parametrize("role", sorted(USER_ROLES), ids=lambda r: r.value)
async def test_each_role_opens_exactly_the_pages_its_permissions_allow(
    client, app: Litestar, role: Role
) -> None:
    await signed_in(client, role)
    token = await csrf(client)
    for method, path, opt in page_endpoints(app):
        if path == "/sign-out":
            continue  # would end the session the loop runs in; test_sign_in covers it
        permission = opt[PERMISSION_OPT]
        data = {"_csrf_token": token} if method != "GET" else None
        response = await client.request(method, concrete(path), data=data)
        if has_permission(role, permission):
            assert response.status_code not in {401, 403}, (method, path, response.text[:300])
            assert response.status_code < 500, (method, path, response.text[:300])
        else:
            assert response.status_code == 403, (method, path, response.status_code)
            assert "text/html" in response.headers["content-type"]


async def test_every_page_sends_a_browser_without_a_session_to_sign_in(client, app) -> None:
    for method, path, _ in page_endpoints(app):
        response = await client.request(method, concrete(path))
        assert response.status_code in {303, 403}, (method, path, response.status_code)
        if method == "GET":
            assert response.headers["location"].startswith("/sign-in?next="), path


@pytest.mark.parametrize("role", sorted(USER_ROLES), ids=lambda r: r.value)
async def test_the_review_queue_is_in_the_navigation_of_exactly_the_roles_that_approve(
    client, role: Role
) -> None:
    await signed_in(client, role)
    html = (await client.get("/queue")).text
    may = has_permission(role, Permission.PACKAGES_APPROVE)
    assert ('href="/reviews"' in html) is may
    assert ((await client.get("/reviews")).status_code == 200) is may


AUDIT_AND_ADMIN_PAGES = {
    # role: (opens the audit pages, opens the admin pages)
    Role.ADMIN: (True, True),
    Role.AUDITOR: (True, False),
    Role.LEGAL: (False, False),
    Role.SPECIALIST: (False, False),
}


@pytest.mark.parametrize("role", sorted(USER_ROLES), ids=lambda r: r.value)
async def test_the_audit_and_admin_pages_open_for_exactly_their_roles(client, role: Role) -> None:
    reads_audit, administers = AUDIT_AND_ADMIN_PAGES[role]
    await signed_in(client, role)
    pages = {
        "/audit": reads_audit,
        "/audit/entries": reads_audit,
        "/audit/bundle": reads_audit,
        "/audit/proof/inclusion?index=0&tree_size=1": reads_audit,
        "/admin/users": administers,
        "/admin/tokens": administers,
        "/admin/outbox": administers,
    }
    for path, allowed in pages.items():
        response = await client.get(path)
        assert response.status_code == (200 if allowed else 403), (path, response.status_code)
    home = await client.get("/inbox")
    assert ('href="/audit"' in home.text) is reads_audit
    assert ('href="/admin/users"' in home.text) is administers
