"""Administration: the people who sign in (list, create with a role, disable, reset a password).

Each change goes through the same service as ``/api/v1/users`` (one audit entry each); the page
then names the entry that recorded it. A refused change shows the page again with the reason
beside the form, and keeps what was typed (never a password).
"""

from __future__ import annotations

from typing import Annotated, Any, Final
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from api.errors import problem_for
from api.guards import needs
from api.settings import AuthSettings, WebSettings
from api.web.i18n import N_
from api.web.pages import page
from domain import audit_log
from domain.identity import users
from domain.identity.password_reset import reset_password
from domain.identity.sessions import SessionUser
from domain.identity.users import NewUser
from domain.shared.clock import Clock
from domain.shared.errors import DocketError, ValidationError
from domain.shared.model import USER_ROLES, Actor, Role
from domain.shared.permissions import Permission, has_permission

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
MANAGE = needs(Permission.USERS_MANAGE)
DONE: Final = {
    "created": N_("Created the user %(name)s."),
    "disabled": N_("Disabled %(name)s: their sign-ins and tokens are refused from now on."),
    "reset": N_("Set a new password for %(name)s and signed them out everywhere."),
}
ACTIONS: Final = {
    "created": "user.created",
    "disabled": "user.disabled",
    "reset": "user.password_reset",
}


async def recorded_entry(subject: tuple[str, str], action: str, actor: Actor) -> int | None:
    """The index of the latest audit entry of ``action`` about ``subject``, or None.

    None also when the actor may not read the log: the page then leaves the index out.
    """
    if not has_permission(actor.role, Permission.AUDIT_READ):
        return None
    found = await audit_log.read_entries(
        0, None, subject=subject, actor_ref=None, limit=1000, actor=actor
    )
    return next((e.entry.index for e in reversed(found) if e.entry.action == action), None)


def _error_status(exc: DocketError) -> int:
    problem = problem_for(exc)
    return problem.status if problem else 422


class AdminUsersController(Controller):
    """Administration of users."""

    path = "/admin"
    include_in_schema = False

    @get("/", opt=MANAGE, status_code=HTTP_303_SEE_OTHER)
    async def admin(self) -> Redirect:
        """Administration opens on its users."""
        return Redirect(path="/admin/users", status_code=HTTP_303_SEE_OTHER)

    async def _page(
        self,
        viewer: SessionUser,
        clock: Clock,
        web_settings: WebSettings,
        *,
        status_code: int = 200,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        done: tuple[str, str, int | None] | None = None,
    ) -> Template:
        return await page(
            "admin_users.html",
            viewer=viewer,
            clock=clock,
            default_zone=web_settings.time_zone,
            active="admin",
            status_code=status_code,
            tab="users",
            people=await users.list_users(actor=viewer.actor),
            roles=[r for r in Role if r in USER_ROLES],
            errors=errors or {},
            values=values or {},
            done=done,
        )

    @get("/users", opt=MANAGE)
    async def list_users(
        self,
        request: Request[object, object, State],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Template:
        """Every user, by e-mail, with the forms to add, disable and reset."""
        done = None
        outcome, user_id = request.query_params.get("done", ""), request.query_params.get("user")
        if outcome in DONE and user_id:
            try:
                user = await users.get_user(UUID(user_id), actor=viewer.actor)
            except (ValueError, DocketError):
                user = None
            if user is not None:
                entry = await recorded_entry(("user", str(user.id)), ACTIONS[outcome], viewer.actor)
                done = (DONE[outcome], user.display_name, entry)
        return await self._page(viewer, clock, web_settings, done=done)

    @post("/users", opt=MANAGE, status_code=HTTP_303_SEE_OTHER)
    async def create_user(
        self,
        data: Annotated[dict[str, str], FORM],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        auth_settings: NamedDependency[AuthSettings],
    ) -> Response[Any]:
        """Create a user with a role and a first password."""
        values = {k: data.get(k, "").strip() for k in ("email", "display_name", "role")}
        try:
            role = Role(values["role"])
        except ValueError:
            errors = {"role": "choose one of the roles"}
            return await self._page(
                viewer, clock, web_settings, status_code=422, errors=errors, values=values
            )
        new = NewUser(
            email=values["email"],
            display_name=values["display_name"],
            role=role,
            password=data.get("password", ""),
        )
        try:
            user = await users.create_user(
                new,
                actor=viewer.actor,
                now=clock.now(),
                password_min_length=auth_settings.password_min_length,
            )
        except DocketError as exc:
            field = exc.field if isinstance(exc, ValidationError) else "email"
            return await self._page(
                viewer,
                clock,
                web_settings,
                status_code=_error_status(exc),
                errors={field: _message(exc)},
                values=values,
            )
        return _done("created", user.id)

    @post("/users/{user_id:uuid}/disable", opt=MANAGE, status_code=HTTP_303_SEE_OTHER)
    async def disable_user(
        self,
        user_id: FromPath[UUID],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Response[Any]:
        """Disable a user."""
        try:
            await users.disable_user(user_id, actor=viewer.actor, now=clock.now())
        except DocketError as exc:
            errors = {f"disable-{user_id}": _message(exc)}
            return await self._page(
                viewer, clock, web_settings, status_code=_error_status(exc), errors=errors
            )
        return _done("disabled", user_id)

    @post("/users/{user_id:uuid}/password", opt=MANAGE, status_code=HTTP_303_SEE_OTHER)
    async def reset(
        self,
        *,
        user_id: FromPath[UUID],
        data: Annotated[dict[str, str], FORM],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        auth_settings: NamedDependency[AuthSettings],
    ) -> Response[Any]:
        """Set a new password for a user and end their sessions."""
        try:
            await reset_password(
                user_id,
                data.get(f"password-{user_id}", ""),
                actor=viewer.actor,
                now=clock.now(),
                password_min_length=auth_settings.password_min_length,
            )
        except DocketError as exc:
            errors = {f"password-{user_id}": _message(exc)}
            return await self._page(
                viewer, clock, web_settings, status_code=_error_status(exc), errors=errors
            )
        return _done("reset", user_id)


def _message(exc: DocketError) -> str:
    return exc.message if isinstance(exc, ValidationError) else str(exc)


def _done(outcome: str, user_id: UUID) -> Redirect:
    query = urlencode({"done": outcome, "user": str(user_id)})
    return Redirect(path=f"/admin/users?{query}", status_code=HTTP_303_SEE_OTHER)
