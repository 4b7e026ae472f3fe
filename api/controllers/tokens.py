"""Admin: API tokens for other systems."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import Body, FromPath
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from api.clock import Clock
from api.guards import needs
from api.openapi_docs import protected
from api.schemas.auth import TokenCreate, TokenCreated, TokenList, TokenRead
from domain.identity import tokens
from domain.shared.model import Actor
from domain.shared.permissions import Permission


class TokenController(Controller):
    """List, create and revoke API tokens."""

    path = "/api/v1/tokens"
    tags = ["API tokens"]

    @get(operation_id="ListTokens", opt=needs(Permission.TOKENS_READ), responses=protected())
    async def list_tokens(self, actor: NamedDependency[Actor]) -> TokenList:
        """Every API token (never a secret), newest first."""
        items = [TokenRead.from_domain(t) for t in await tokens.list_tokens(actor=actor)]
        return TokenList(items=items)

    @post(
        operation_id="CreateToken",
        opt=needs(Permission.TOKENS_MANAGE),
        status_code=HTTP_201_CREATED,
        responses=protected(422),
    )
    async def create_token(
        self,
        data: Annotated[TokenCreate, Body(title="New API token")],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> TokenCreated:
        """Create an API token; the secret in the answer is shown once."""
        expires_in = None if data.expires_in_days is None else timedelta(days=data.expires_in_days)
        issued = await tokens.create_token(
            name=data.name, role=data.role, expires_in=expires_in, actor=actor, now=clock.now()
        )
        return TokenCreated.from_domain(issued)

    @post(
        "/{token_id:uuid}/revoke",
        operation_id="RevokeToken",
        opt=needs(Permission.TOKENS_MANAGE),
        status_code=HTTP_200_OK,
        responses=protected(404, 409),
    )
    async def revoke_token(
        self, token_id: FromPath[UUID], actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> TokenRead:
        """Revoke an API token: refused from the next request on."""
        return TokenRead.from_domain(
            await tokens.revoke_token(token_id, actor=actor, now=clock.now())
        )
