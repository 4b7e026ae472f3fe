"""Logging in, and asking who you are."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import Body
from litestar.status_codes import HTTP_200_OK

from api.clock import Clock
from api.guards import PUBLIC, needs
from api.openapi_docs import problems, protected
from api.openapi_limits import PublicOperation
from api.schemas.auth import AccessTokenRead, ActorRead, LoginRequest
from domain.identity import auth
from domain.identity.auth import AuthPolicy
from domain.shared.model import Actor
from domain.shared.permissions import Permission


class AuthController(Controller):
    """Password login and the caller's identity."""

    path = "/api/v1"
    tags = ["Authentication"]

    @post(
        "/auth/login",
        operation_id="LogIn",
        opt=PUBLIC,
        status_code=HTTP_200_OK,
        responses=problems(400, 401, 429),
        security=[],
        operation_class=PublicOperation,
    )
    async def login(
        self,
        request: Request[object, object, State],
        data: Annotated[LoginRequest, Body(title="Credentials")],
        auth_policy: NamedDependency[AuthPolicy],
        clock: NamedDependency[Clock],
    ) -> AccessTokenRead:
        """Exchange an e-mail and password for a bearer access token."""
        client = request.client.host if request.client else "unknown"
        token = await auth.login(
            data.email,
            data.password,
            client_address=client,
            policy=auth_policy,
            now=clock.now(),
        )
        return AccessTokenRead(access_token=token.value, expires_in=token.expires_in)

    @get("/me", operation_id="GetMe", opt=needs(Permission.ME_READ), responses=protected())
    async def me(self, actor: NamedDependency[Actor]) -> ActorRead:
        """Who the bearer token belongs to, and their role."""
        return ActorRead.from_domain(actor)
