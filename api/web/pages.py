"""What every page shares: who is reading, in which zone, the navigation, the inbox count."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from litestar import Request
from litestar.datastructures import State
from litestar.response import Template

from api.web.i18n import N_
from api.web.templating import Clockface
from domain.identity.sessions import SessionUser
from domain.notifications import inbox
from domain.shared.clock import Clock
from domain.shared.model import Actor
from domain.shared.permissions import Permission, has_permission


@dataclass(frozen=True, slots=True)
class NavItem:
    """A top-level page in the navigation, shown to the roles that may open it."""

    key: str
    label: str
    href: str
    permission: Permission


NAVIGATION: Final = (
    NavItem("queue", N_("Queue"), "/queue", Permission.REQUESTS_READ),
    NavItem("new", N_("Log a request"), "/requests/new", Permission.REQUESTS_WRITE),
    NavItem("reviews", N_("Review"), "/reviews", Permission.PACKAGES_APPROVE),
    NavItem("holds", N_("Holds"), "/holds", Permission.HOLDS_READ),
    NavItem("audit", N_("Audit log"), "/audit", Permission.AUDIT_READ),
    NavItem("admin", N_("Admin"), "/admin/users", Permission.USERS_MANAGE),
)


def viewer_of(request: Request[Actor, SessionUser, State]) -> SessionUser:
    """The signed-in user of a page request (the session middleware put it there)."""
    return request.auth


def zone_of(viewer: SessionUser, default_zone: str) -> str:
    """The zone the viewer reads times in: their own, else the organisation's."""
    return viewer.user.time_zone or default_zone


async def page(
    template: str,
    *,
    viewer: SessionUser,
    clock: Clock,
    default_zone: str,
    active: str = "",
    status_code: int = 200,
    **context: object,
) -> Template:
    """A full page: ``template`` with the shared context (viewer, clock face, nav, inbox)."""
    role = viewer.user.role
    unread = await inbox.unread_count(actor=viewer.actor)
    return Template(
        template_name=template,
        status_code=status_code,
        context={
            "viewer": viewer.user,
            "face": Clockface(zone_of(viewer, default_zone), clock.now()),
            "nav": [item for item in NAVIGATION if has_permission(role, item.permission)],
            "active": active,
            "unread": unread,
            "permissions": frozenset(p.value for p in Permission if has_permission(role, p)),
            **context,
        },
    )
