"""Signing in and out of the web pages: a form, a server-side session, a cookie."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie, State
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from api.auth import SESSION_COOKIE
from api.guards import PUBLIC, needs
from api.settings import OidcSettings, ServerSettings, WebSettings
from api.web.errors import SIGN_IN
from api.web.pages import NAVIGATION
from domain.identity import sessions
from domain.identity.auth import AuthPolicy
from domain.identity.errors import InvalidCredentialsError, LoginLockedError
from domain.identity.sessions import SessionUser
from domain.shared.clock import Clock
from domain.shared.model import Actor
from domain.shared.permissions import Permission, has_permission

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)


@dataclass
class SignInForm:
    """What the sign-in form posts."""

    email: str = ""
    password: str = ""
    next: str = ""


def safe_next(target: str) -> str:
    """``target`` if it is a path on this site, else the home page (no open redirect)."""
    if target.startswith("/") and not target.startswith(("//", "/\\")) and "\n" not in target:
        return target
    return "/"


def session_cookie(
    secret: str, *, server: ServerSettings, web: WebSettings, max_age: int
) -> Cookie:
    """The cookie that carries a session's secret (a password sign-in's or a single sign-on's)."""
    return Cookie(
        key=SESSION_COOKIE,
        value=secret,
        path="/",
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=server.base_url.startswith("https://"),
    )


class SignInController(Controller):
    """The sign-in page, sign-out, and the home page that sends each role to its own."""

    include_in_schema = False

    @get("/", opt=needs(Permission.ME_READ))
    async def home(self, actor: NamedDependency[Actor]) -> Redirect:
        """The first page of the navigation that the signed-in role may open."""
        first = next((i.href for i in NAVIGATION if has_permission(actor.role, i.permission)), "")
        return Redirect(path=first or "/account", status_code=HTTP_303_SEE_OTHER)

    @get(SIGN_IN, opt=PUBLIC)
    async def form(
        self,
        oidc_settings: NamedDependency[OidcSettings],
        next_page: Annotated[str, QueryParameter(name="next")] = "",
    ) -> Template:
        """The sign-in form (and the single sign-on button, when a provider is configured)."""
        context = form_context(next_page, sso=oidc_settings)
        return Template(template_name="sign_in.html", context=context)

    @post(SIGN_IN, opt=PUBLIC, status_code=HTTP_303_SEE_OTHER)
    async def sign_in(
        self,
        *,
        request: Request[object, object, State],
        data: Annotated[SignInForm, FORM],
        auth_policy: NamedDependency[AuthPolicy],
        server_settings: NamedDependency[ServerSettings],
        web_settings: NamedDependency[WebSettings],
        oidc_settings: NamedDependency[OidcSettings],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Check the password, open a session, and go where the user was going."""
        address = request.client.host if request.client else "unknown"
        try:
            signed = await sessions.sign_in(
                data.email,
                data.password,
                client_address=address,
                policy=auth_policy,
                lifetime=timedelta(hours=web_settings.session_hours),
                now=clock.now(),
            )
        except (InvalidCredentialsError, LoginLockedError) as exc:
            context = form_context(data.next, email=data.email, error=str(exc), sso=oidc_settings)
            status = 429 if isinstance(exc, LoginLockedError) else 401
            return Template(template_name="sign_in.html", context=context, status_code=status)
        cookie = session_cookie(
            signed.secret,
            server=server_settings,
            web=web_settings,
            max_age=web_settings.session_hours * 3600,
        )
        return Redirect(path=safe_next(data.next), status_code=HTTP_303_SEE_OTHER, cookies=[cookie])

    @post("/sign-out", opt=needs(Permission.ME_READ), status_code=HTTP_303_SEE_OTHER)
    async def sign_out(
        self,
        request: Request[Actor, SessionUser, State],
        server_settings: NamedDependency[ServerSettings],
        web_settings: NamedDependency[WebSettings],
        clock: NamedDependency[Clock],
    ) -> Redirect:
        """Close this browser's session."""
        await sessions.sign_out(request.cookies.get(SESSION_COOKIE, ""), now=clock.now())
        gone = session_cookie("", server=server_settings, web=web_settings, max_age=0)
        return Redirect(path=SIGN_IN, status_code=HTTP_303_SEE_OTHER, cookies=[gone])


def form_context(
    next_page: str, *, sso: OidcSettings, email: str = "", error: str = ""
) -> dict[str, object]:
    """What the sign-in page shows: the form, an error, the single sign-on button if any."""
    return {
        "next": safe_next(next_page) if next_page else "",
        "email": email,
        "error": error,
        "sso_provider": sso.display_name if sso.enabled else "",
    }
