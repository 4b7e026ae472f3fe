"""Request and response bodies of the HTTP API (msgspec Structs with OpenAPI examples)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Final
from uuid import UUID

import msgspec

from domain.identity.model import ApiToken, IssuedToken, User
from domain.shared.model import Actor, Role

EMAIL: Final = msgspec.Meta(examples=["specialist@docket.example"], max_length=320)
PASSWORD: Final = msgspec.Meta(examples=["correct horse battery staple"], max_length=1024)


class Strict(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of every request body: unknown fields are an error, not silently dropped."""


class LoginRequest(Strict):
    """E-mail and password of a user."""

    email: Annotated[str, EMAIL]
    password: Annotated[str, PASSWORD]


class AccessTokenRead(msgspec.Struct, kw_only=True):
    """A signed access token to send as ``Authorization: Bearer``."""

    access_token: Annotated[str, msgspec.Meta(examples=["eyJhbGciOiJIUzI1NiIs…"])]
    token_type: Annotated[str, msgspec.Meta(examples=["bearer"])] = "bearer"  # noqa: S105 - the OAuth token type
    expires_in: Annotated[int, msgspec.Meta(examples=[3600], description="seconds")]


class ActorRead(msgspec.Struct, kw_only=True):
    """Who the caller is."""

    kind: Annotated[str, msgspec.Meta(examples=["user"])]
    id: UUID | None
    role: Role
    name: Annotated[str, msgspec.Meta(examples=["specialist@docket.example"])]

    @classmethod
    def from_domain(cls, actor: Actor) -> ActorRead:
        """Shape an ``Actor``."""
        return cls(kind=actor.kind.value, id=actor.id, role=actor.role, name=actor.name)


class UserCreate(Strict):
    """A new user; the password is hashed with Argon2id and never shown again."""

    email: Annotated[str, EMAIL]
    role: Role
    password: Annotated[str, PASSWORD]
    display_name: Annotated[str, msgspec.Meta(examples=["Sam Specialist"], max_length=200)] = ""


class PasswordReset(Strict):
    """A user's new password, set by an admin; hashed with Argon2id and never shown again."""

    password: Annotated[str, PASSWORD]


class UserRead(msgspec.Struct, kw_only=True):
    """A user (never their password hash)."""

    id: UUID
    email: Annotated[str, EMAIL]
    display_name: str
    role: Role
    created_at: datetime
    disabled_at: datetime | None

    @classmethod
    def from_domain(cls, user: User) -> UserRead:
        """Shape a ``User``."""
        return msgspec.convert(user, cls, from_attributes=True)


class UserList(msgspec.Struct, kw_only=True):
    """Users, by e-mail."""

    items: list[UserRead]


class TokenCreate(Strict):
    """A new API token for another system."""

    name: Annotated[str, msgspec.Meta(examples=["deletion-pipeline"], min_length=1, max_length=200)]
    role: Role
    expires_in_days: Annotated[int, msgspec.Meta(examples=[90], ge=1, le=3650)] | None = 90


class TokenRead(msgspec.Struct, kw_only=True):
    """An API token's metadata; its secret is never shown after creation."""

    id: UUID
    name: str
    role: Role
    prefix: Annotated[str, msgspec.Meta(examples=["dkt_Ab3xY9"])]
    created_at: datetime
    created_by: UUID | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def from_domain(cls, token: ApiToken) -> TokenRead:
        """Shape an ``ApiToken``."""
        return msgspec.convert(token, cls, from_attributes=True)


class TokenCreated(msgspec.Struct, kw_only=True):
    """A token just created: ``secret`` is shown this once and cannot be recovered."""

    token: TokenRead
    secret: Annotated[str, msgspec.Meta(examples=["dkt_Ab3xY9…"])]

    @classmethod
    def from_domain(cls, issued: IssuedToken) -> TokenCreated:
        """Shape an ``IssuedToken``."""
        return msgspec.convert(issued, cls, from_attributes=True)


class TokenList(msgspec.Struct, kw_only=True):
    """API tokens, newest first."""

    items: list[TokenRead]


class HealthRead(msgspec.Struct, kw_only=True):
    """Liveness or readiness."""

    status: Annotated[str, msgspec.Meta(examples=["ok"])]
    version: Annotated[str, msgspec.Meta(examples=["0.1.0"])]
    """The Docket release answering, from its package metadata."""
    detail: str = ""


class ProblemRead(msgspec.Struct, kw_only=True):
    """RFC 9457 problem details, as every error answer carries them."""

    type: Annotated[str, msgspec.Meta(examples=["http://127.0.0.1:8000/problems/not-found"])]
    title: Annotated[str, msgspec.Meta(examples=["Resource not found"])]
    status: Annotated[int, msgspec.Meta(examples=[404])]
    detail: Annotated[str, msgspec.Meta(examples=["User 6f1c… does not exist."])]
    instance: Annotated[str, msgspec.Meta(examples=["/api/v1/users/6f1c…"])]
    correlation_id: Annotated[str, msgspec.Meta(examples=["3f2b9c0e8d7a4b1c9e0f1a2b3c4d5e6f"])]
