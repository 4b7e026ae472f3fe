"""Bearer authentication: every request except the public ones must name a live actor."""

from __future__ import annotations

from typing import Final

from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import ASGIApp

from domain.identity import auth as auth_service
from domain.identity.auth import AuthPolicy
from domain.identity.errors import MissingCredentialsError
from domain.shared.clock import Clock
from domain.shared.model import Actor

PUBLIC_OPT: Final = "exclude_from_auth"
"""Handlers with ``opt={PUBLIC_OPT: True}`` need no token and no permission (health, login)."""


class BearerAuthMiddleware(AbstractAuthenticationMiddleware):
    """Resolve ``Authorization: Bearer`` into an ``Actor`` (``request.user``), or answer 401."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        exclude: list[str],
        exclude_from_auth_key: str,
        policy: AuthPolicy,
        clock: Clock,
    ) -> None:
        """Check tokens under ``policy`` as of ``clock``'s now."""
        super().__init__(app, exclude=exclude, exclude_from_auth_key=exclude_from_auth_key)
        self.policy = policy
        self.clock = clock

    async def authenticate_request(
        self, connection: ASGIConnection[object, object, object, State]
    ) -> AuthenticationResult:
        """Authenticate an API token or a login's access token."""
        header = connection.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise MissingCredentialsError
        actor: Actor = await auth_service.authenticate(
            value.strip(), policy=self.policy, now=self.clock.now()
        )
        return AuthenticationResult(user=actor, auth=None)
