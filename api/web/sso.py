"""Single sign-on pages: off to the OpenID Connect provider, and back with a session.

``/sign-in/oidc`` starts an authorization code request with PKCE and sends the browser to the
provider; the provider sends it back to ``/sign-in/oidc/callback``. The ``state`` is kept in the
database (single-use, with its nonce and code verifier) and also in a short-lived cookie, so a
callback URL made in another browser signs no one in here (login CSRF).
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any, Final

from litestar import Controller, Request, Response, get
from litestar.datastructures import Cookie, State
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from api.guards import PUBLIC
from api.oidc_client import CALLBACK_PATH, OidcClient
from api.settings import OidcSettings, ServerSettings, WebSettings
from api.web.signin import form_context, safe_next, session_cookie
from domain.identity import oidc_signin
from domain.identity.errors import SingleSignOnRefusedError
from domain.identity.model import SignedIn
from domain.identity.oidc import TokenCheck, mapped_role
from domain.shared.clock import Clock

log = logging.getLogger("docket.sso")
START: Final = "/sign-in/oidc"
STATE_COOKIE: Final = "docket_sso_state"


def _state_cookie(value: str, *, server: ServerSettings, max_age: int) -> Cookie:
    return Cookie(
        key=STATE_COOKIE,
        value=value,
        path=START,
        max_age=max_age,
        httponly=True,
        samesite="lax",  # sent on the provider's top-level redirect back to us
        secure=server.base_url.startswith("https://"),
    )


class SingleSignOnController(Controller):
    """Sign in through the organisation's OpenID Connect provider."""

    include_in_schema = False

    @get(START, opt=PUBLIC)
    async def start(
        self,
        oidc_client: NamedDependency[OidcClient | None],
        oidc_settings: NamedDependency[OidcSettings],
        server_settings: NamedDependency[ServerSettings],
        clock: NamedDependency[Clock],
        next_page: Annotated[str, QueryParameter(name="next")] = "",
    ) -> Response[Any]:
        """Send the browser to the provider to sign in."""
        if oidc_client is None:
            raise NotFoundException
        started = await oidc_signin.start_login(safe_next(next_page), now=clock.now())
        try:
            target = await oidc_client.authorization_url(started)
        except SingleSignOnRefusedError as exc:
            return _refused(exc, next_page, oidc_settings, server_settings)
        lifetime = int(oidc_signin.LOGIN_LIFETIME.total_seconds())
        cookie = _state_cookie(started.state, server=server_settings, max_age=lifetime)
        return Redirect(path=target, status_code=HTTP_303_SEE_OTHER, cookies=[cookie])

    @get(CALLBACK_PATH, opt=PUBLIC)
    async def callback(
        self,
        *,
        request: Request[object, object, State],
        oidc_client: NamedDependency[OidcClient | None],
        oidc_settings: NamedDependency[OidcSettings],
        server_settings: NamedDependency[ServerSettings],
        web_settings: NamedDependency[WebSettings],
        clock: NamedDependency[Clock],
        code: Annotated[str, QueryParameter()] = "",
        returned_state: Annotated[str, QueryParameter(name="state")] = "",
        error: Annotated[str, QueryParameter()] = "",
    ) -> Response[Any]:
        """Check what the provider answered and open a session, or say why not."""
        if oidc_client is None:
            raise NotFoundException
        answer = _Answer(
            code=code,
            state=returned_state,
            error=error,
            browser_state=request.cookies.get(STATE_COOKIE, ""),
        )
        lifetime = timedelta(hours=web_settings.session_hours)
        try:
            signed, next_page = await _sign_in(
                answer, oidc_client, oidc_settings, lifetime=lifetime, clock=clock
            )
        except SingleSignOnRefusedError as exc:
            return _refused(exc, "", oidc_settings, server_settings)
        log.info("single sign-on: user %s signed in", signed.user.id)
        cookies = [
            session_cookie(
                signed.secret,
                server=server_settings,
                web=web_settings,
                max_age=web_settings.session_hours * 3600,
            ),
            _state_cookie("", server=server_settings, max_age=0),
        ]
        return Redirect(path=safe_next(next_page), status_code=HTTP_303_SEE_OTHER, cookies=cookies)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Answer:
    """What the provider's redirect carried, and the ``state`` this browser started with."""

    code: str
    state: str
    error: str
    browser_state: str


async def _sign_in(
    answer: _Answer,
    client: OidcClient,
    settings: OidcSettings,
    *,
    lifetime: timedelta,
    clock: Clock,
) -> tuple[SignedIn, str]:
    """The session the provider's answer opens, and the page to go to next.

    Raises:
        SingleSignOnRefusedError: saying which check failed.
    """
    if not answer.state or not hmac.compare_digest(answer.state, answer.browser_state):
        raise SingleSignOnRefusedError("this sign-in did not start in this browser")
    pending = await oidc_signin.take_login(answer.state, now=clock.now())
    if answer.error:
        raise SingleSignOnRefusedError(f"the identity provider answered {answer.error!r}")
    id_token = await client.redeem(answer.code, pending.code_verifier)
    check = TokenCheck(
        issuer=settings.issuer, client_id=settings.client_id, nonce=pending.nonce, now=clock.now()
    )
    identity = await client.verify(id_token, check)
    role = mapped_role(identity.claims, settings.role_claim, settings.role_map)
    signed = await oidc_signin.complete_login(
        identity, role=role, lifetime=lifetime, now=clock.now()
    )
    return signed, pending.next_page


def _refused(
    exc: SingleSignOnRefusedError,
    next_page: str,
    sso: OidcSettings,
    server: ServerSettings,
) -> Response[Any]:
    """The sign-in page again, saying why; the request log has the status, this log the reason."""
    log.warning("single sign-on refused: %s", exc.reason)
    context = form_context(next_page, sso=sso, error=str(exc))
    return Template(
        template_name="sign_in.html",
        context=context,
        status_code=401,
        cookies=[_state_cookie("", server=server, max_age=0)],
    )
