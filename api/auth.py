"""Who is calling: a bearer token on the JSON API, a session cookie on the web pages.

Every request except the public ones must name a live actor. Under ``/api/`` that is an
``Authorization: Bearer`` token (an API token or a login's access token); everywhere else it is
the browser's session cookie. Both become the same ``Actor``, checked by the same guard against
the same permission table.
"""

from __future__ import annotations

from typing import Final

from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import ASGIApp

from domain.identity import auth as auth_service
from domain.identity import sessions
from domain.identity.auth import AuthPolicy
from domain.identity.errors import InvalidSessionError, MissingCredentialsError
from domain.shared.clock import Clock
from domain.shared.model import Actor

PUBLIC_OPT: Final = "exclude_from_auth"
"""Handlers with ``opt={PUBLIC_OPT: True}`` need no token and no permission (health, login)."""
SESSION_COOKIE: Final = "docket_session"
"""The browser's session: ``HttpOnly``, ``SameSite=Lax``, ``Secure`` behind https."""
NOT_PAGES: Final = ("/api/", "/healthz", "/readyz", "/schema", "/static/")
"""Paths that answer machines (JSON, probes, documents, files), never a person's browser page."""


def is_page_path(path: str) -> bool:
    """Whether ``path`` is a web page: signed in by cookie, and its errors shown as a page."""
    return not path.startswith(NOT_PAGES)


class ActorMiddleware(AbstractAuthenticationMiddleware):
    """Resolve the caller into an ``Actor`` (``request.user``), or refuse with a 401."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        exclude: list[str],
        exclude_from_auth_key: str,
        policy: AuthPolicy,
        clock: Clock,
    ) -> None:
        """Check tokens under ``policy`` and sessions, both as of ``clock``'s now."""
        super().__init__(app, exclude=exclude, exclude_from_auth_key=exclude_from_auth_key)
        self.policy = policy
        self.clock = clock

    async def authenticate_request(
        self, connection: ASGIConnection[object, object, object, State]
    ) -> AuthenticationResult:
        """A bearer token under /api/; elsewhere the session cookie (the signed-in user)."""
        if is_page_path(connection.scope["path"]):
            secret = connection.cookies.get(SESSION_COOKIE, "")
            if not secret:
                raise InvalidSessionError("not signed in")
            signed_in = await sessions.authenticate_session(secret, now=self.clock.now())
            return AuthenticationResult(user=signed_in.actor, auth=signed_in)
        header = connection.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise MissingCredentialsError
        actor: Actor = await auth_service.authenticate(
            value.strip(), policy=self.policy, now=self.clock.now()
        )
        return AuthenticationResult(user=actor, auth=None)
