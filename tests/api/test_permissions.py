"""Deny by default: every route declares a permission, and each role gets exactly its table."""

from __future__ import annotations

import re
import uuid

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute

from api.auth import PUBLIC_OPT, is_page_path
from api.guards import PERMISSION_OPT
from domain.holds.workflow import HoldAction
from domain.packages.workflow import PackageAction
from domain.shared.model import Role
from domain.shared.permissions import ROLE_PERMISSIONS, Permission, has_permission
from tests.api.helpers import assert_problem, bearer

PUBLIC_PATHS = {"/healthz", "/readyz", "/api/v1/auth/login", "/ack/{token:str}", "/sign-in"}
PUBLIC_PATHS |= {"/api/v1/calendar.ics"}  # authenticated by the feed token in the URL
# single sign-on starts before anyone is signed in; the callback is checked by state and nonce
PUBLIC_PATHS |= {"/sign-in/oidc", "/sign-in/oidc/callback"}
# the API docs' scripts and styles, Docket's own and the vendored packages
PUBLIC_PATHS |= {"/static/vendor/{file_path:path}", "/static/docket/{file_path:path}"}


def all_endpoints(app: Litestar) -> list[tuple[str, str, dict[str, object]]]:
    """(method, path, opt) of every route handler outside the docs: API and pages."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith("/schema"):
            continue
        for handler in route.route_handlers:
            for method in sorted(handler.http_methods - {"HEAD", "OPTIONS"}):
                found.append((method, route.path, handler.opt))
    return found


def api_endpoints(app: Litestar) -> list[tuple[str, str, dict[str, object]]]:
    """The endpoints that take a bearer token (the pages' are tested with sessions)."""
    return [e for e in all_endpoints(app) if not is_page_path(e[1]) or e[1].startswith("/ack/")]


def concrete(path: str) -> str:
    path = re.sub(r"\{[a-z_]+:uuid\}", str(uuid.uuid4()), path)
    path = re.sub(r"\{[a-z_]+:int\}", "0", path)
    path = re.sub(r"\{[a-z_]+:path\}", "0/000", path)
    return re.sub(r"\{[a-z_]+(:str)?\}", "GB", path)


def test_every_route_declares_a_permission_or_is_on_the_public_list(app: Litestar) -> None:
    endpoints = all_endpoints(app)
    assert len(endpoints) >= 10
    for method, path, opt in endpoints:
        if opt.get(PUBLIC_OPT):
            assert path in PUBLIC_PATHS, f"{method} {path} is public but not on the list"
        else:
            assert isinstance(opt.get(PERMISSION_OPT), Permission), f"{method} {path}"


def test_every_workflow_step_is_among_the_routes_checked(app: Litestar) -> None:
    paths = {path for _, path, _ in api_endpoints(app)}
    steps = {f"/api/v1/holds/{{hold_id:uuid}}/actions/{a.value}" for a in HoldAction}
    version = "/api/v1/requests/{request_id:uuid}/package/versions/{number:int}"
    steps |= {f"{version}/actions/{a.value}" for a in PackageAction}
    steps.add("/api/v1/requests/{request_id:uuid}/actions/{action:str}")
    assert steps <= paths, steps - paths


def test_every_permission_is_used_by_a_route(app: Litestar) -> None:
    used = {opt.get(PERMISSION_OPT) for _, _, opt in all_endpoints(app)}
    assert set(Permission) == used - {None}


def test_admin_has_every_permission_and_system_tokens_almost_none() -> None:
    assert ROLE_PERMISSIONS[Role.ADMIN] == frozenset(Permission)
    assert not has_permission(Role.SYSTEM, Permission.USERS_READ)


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
async def test_each_role_reaches_exactly_the_routes_its_permissions_allow(
    client, app: Litestar, role: Role
) -> None:
    headers = await bearer(role)
    for method, path, opt in api_endpoints(app):
        permission = opt.get(PERMISSION_OPT)
        if permission is None:
            continue
        response = await client.request(method, concrete(path), headers=headers, json={})
        if has_permission(role, permission):
            assert response.status_code not in {401, 403}, (method, path, response.text)
            assert response.status_code < 500, (method, path, response.text)
        else:
            assert_problem(response, 403, "permission-denied")


async def test_every_protected_route_refuses_a_request_without_a_token(client, app) -> None:
    for method, path, opt in api_endpoints(app):
        if opt.get(PUBLIC_OPT):
            continue
        response = await client.request(method, concrete(path), json={})
        assert_problem(response, 401, "missing-credentials")
