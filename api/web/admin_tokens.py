"""Administration: API tokens (create with a role and an expiry, revoke) and the mail outbox.

A new token's secret is on the page that answers its creation and nowhere else, ever: that
answer is not cached, and the token list shows only each token's prefix. Tokens and the outbox
come through the same services as ``/api/v1/tokens`` and ``/api/v1/outbox``.
"""

from __future__ import annotations

from datetime import timedelta
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

from api.guards import needs
from api.settings import WebSettings
from api.web.admin_users import recorded_entry
from api.web.i18n import N_
from api.web.pages import page
from domain.identity import tokens
from domain.identity.model import IssuedToken
from domain.identity.sessions import SessionUser
from domain.notifications import outbox
from domain.shared.clock import Clock
from domain.shared.errors import DocketError, ValidationError
from domain.shared.model import Role
from domain.shared.permissions import Permission

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
MANAGE = needs(Permission.TOKENS_MANAGE)
OUTBOX_PAGE: Final = 50
REVOKED: Final = N_("Revoked the token %(name)s: it is refused from the next request on.")


class AdminTokensController(Controller):
    """Administration of API tokens, and the mail outbox."""

    path = "/admin"
    include_in_schema = False

    async def _page(
        self,
        viewer: SessionUser,
        clock: Clock,
        web_settings: WebSettings,
        *,
        status_code: int = 200,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        issued: IssuedToken | None = None,
        done: tuple[str, str, int | None] | None = None,
    ) -> Template:
        return await page(
            "admin_tokens.html",
            viewer=viewer,
            clock=clock,
            default_zone=web_settings.time_zone,
            active="admin",
            status_code=status_code,
            tab="tokens",
            found=await tokens.list_tokens(actor=viewer.actor),
            roles=list(Role),
            errors=errors or {},
            values=values or {"expires_in_days": "90"},
            issued=issued,
            done=done,
        )

    @get("/tokens", opt=MANAGE)
    async def list_tokens(
        self,
        request: Request[object, object, State],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Template:
        """Every API token, newest first (never a secret), with the form to add one."""
        done = None
        revoked = request.query_params.get("revoked", "")
        found = {str(t.id): t for t in await tokens.list_tokens(actor=viewer.actor)}
        if revoked in found:
            entry = await recorded_entry(("api_token", revoked), "api_token.revoked", viewer.actor)
            done = (REVOKED, found[revoked].name, entry)
        return await self._page(viewer, clock, web_settings, done=done)

    @post("/tokens", opt=MANAGE, status_code=200)
    async def create_token(
        self,
        data: Annotated[dict[str, str], FORM],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Template:
        """Create a token; its secret is shown on this answer only."""
        values = {k: data.get(k, "").strip() for k in ("name", "role", "expires_in_days")}
        errors: dict[str, str] = {}
        role = None
        try:
            role = Role(values["role"])
        except ValueError:
            errors["role"] = "choose one of the roles"
        days = values["expires_in_days"]
        if days and not (days.isdigit() and len(days) <= 5):  # noqa: PLR2004 - the service bounds it
            errors["expires_in_days"] = f"{days!r} is not a number of days"
        issued = None
        if not errors and role is not None:
            expires_in = timedelta(days=int(days)) if days else None
            try:
                issued = await tokens.create_token(
                    name=values["name"],
                    role=role,
                    expires_in=expires_in,
                    actor=viewer.actor,
                    now=clock.now(),
                )
            except ValidationError as exc:
                field = "expires_in_days" if exc.field == "expires_in" else exc.field
                errors[field] = exc.message
        answer = await self._page(
            viewer,
            clock,
            web_settings,
            status_code=422 if errors else 200,
            errors=errors,
            values=values if errors else None,
            issued=issued,
        )
        answer.headers["Cache-Control"] = "no-store"  # the secret stays out of every cache
        return answer

    @post("/tokens/{token_id:uuid}/revoke", opt=MANAGE, status_code=HTTP_303_SEE_OTHER)
    async def revoke_token(
        self,
        token_id: FromPath[UUID],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Response[Any]:
        """Revoke a token."""
        try:
            await tokens.revoke_token(token_id, actor=viewer.actor, now=clock.now())
        except DocketError as exc:
            return await self._page(
                viewer,
                clock,
                web_settings,
                status_code=409,
                errors={f"revoke-{token_id}": str(exc)},
            )
        query = urlencode({"revoked": str(token_id)})
        return Redirect(path=f"/admin/tokens?{query}", status_code=HTTP_303_SEE_OTHER)

    @get("/outbox", opt=needs(Permission.OUTBOX_READ))
    async def outbox(
        self,
        request: Request[object, object, State],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Template:
        """Mail kept instead of sent, and the webhook's delivery attempts, newest first."""
        mail_cursor = request.query_params.get("mail") or None
        hook_cursor = request.query_params.get("hooks") or None
        errors = {
            k: f"{k!r} is not a parameter of the outbox"
            for k in request.query_params
            if k not in {"mail", "hooks"}
        }
        mail = hooks = None
        try:
            mail = await outbox.list_outbox(
                actor=viewer.actor, limit=OUTBOX_PAGE, cursor=mail_cursor
            )
        except ValidationError as exc:
            errors["mail"] = exc.message
        try:
            hooks = await outbox.list_webhook_deliveries(
                actor=viewer.actor, limit=OUTBOX_PAGE, cursor=hook_cursor
            )
        except ValidationError as exc:
            errors["hooks"] = exc.message
        return await page(
            "admin_outbox.html",
            viewer=viewer,
            clock=clock,
            default_zone=web_settings.time_zone,
            active="admin",
            status_code=422 if errors else 200,
            tab="outbox",
            mail=mail,
            hooks=hooks,
            errors=errors,
        )
