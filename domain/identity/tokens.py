"""Use cases for API tokens of other systems: create (shown once), revoke, list."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Final
from uuid import UUID

from audit.canonical import JsonValue
from domain.identity import repo
from domain.identity.credential_cache import credential_change
from domain.identity.errors import AlreadyDisabledError
from domain.identity.model import ApiToken, IssuedToken
from domain.identity.tables import ApiTokenTable
from domain.shared import audit_trail
from domain.shared.database import write_transaction
from domain.shared.errors import ValidationError
from domain.shared.model import Actor, AuditAction, Role
from domain.shared.permissions import Permission, require

TOKEN_PREFIX: Final = "dkt_"  # noqa: S105 - marks Docket API tokens (secret scanners key on it)
MAX_TOKEN_LIFETIME: Final = timedelta(days=3650)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def token_snapshot(token: ApiToken) -> dict[str, JsonValue]:
    """What the audit trail records of an API token (never its secret or hash)."""
    return {
        "name": token.name,
        "role": token.role.value,
        "prefix": token.prefix,
        "expires_at": _iso(token.expires_at),
        "revoked_at": _iso(token.revoked_at),
    }


def secret_digest(secret: str) -> str:
    """SHA-256 of a token secret: enough for 256-bit random secrets, and fast per request."""
    return hashlib.sha256(secret.encode()).hexdigest()


async def create_token(
    *, name: str, role: Role, expires_in: timedelta | None, actor: Actor, now: datetime
) -> IssuedToken:
    """Create an API token; its secret is in the result and nowhere else, ever.

    Raises:
        PermissionDeniedError: unless the actor may manage tokens.
        ValidationError: empty name, or a lifetime that is not positive or too long.
    """
    require(actor.role, Permission.TOKENS_MANAGE)
    name = name.strip()
    if not name:
        raise ValidationError("name", "must not be empty")
    if expires_in is not None and not timedelta(0) < expires_in <= MAX_TOKEN_LIFETIME:
        raise ValidationError("expires_in", "must be positive and at most 3650 days")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    async with write_transaction():
        row = ApiTokenTable(
            name=name,
            role=role.value,
            prefix=secret[: len(TOKEN_PREFIX) + 6],
            secret_sha256=secret_digest(secret),
            created_at=now,
            created_by=actor.id,
            expires_at=None if expires_in is None else now + expires_in,
        )
        await row.save().run()
        token = await repo.get_token(row.id)
        await audit_trail.record(
            actor,
            AuditAction.TOKEN_CREATED,
            subject_type="api_token",
            subject_id=str(token.id),
            before=None,
            after=token_snapshot(token),
            now=now,
        )
    return IssuedToken(token=token, secret=secret)


async def revoke_token(token_id: UUID, *, actor: Actor, now: datetime) -> ApiToken:
    """Revoke an API token; it is refused from the next request on.

    Raises:
        PermissionDeniedError: unless the actor may manage tokens.
        ApiTokenNotFoundError: no such token.
        AlreadyDisabledError: it is revoked already.
    """
    require(actor.role, Permission.TOKENS_MANAGE)
    async with credential_change():
        token = await repo.get_token(token_id)
        if token.revoked_at is not None:
            raise AlreadyDisabledError("API token", token_id)
        await (
            ApiTokenTable.update({ApiTokenTable.revoked_at: now})
            .where(ApiTokenTable.id == token_id)
            .run()
        )
        revoked = await repo.get_token(token_id)
        await audit_trail.record(
            actor,
            AuditAction.TOKEN_REVOKED,
            subject_type="api_token",
            subject_id=str(token_id),
            before=token_snapshot(token),
            after=token_snapshot(revoked),
            now=now,
        )
        return revoked


async def list_tokens(*, actor: Actor) -> list[ApiToken]:
    """Every API token (never their secrets), newest first.

    Raises:
        PermissionDeniedError: unless the actor may read tokens.
    """
    require(actor.role, Permission.TOKENS_READ)
    return await repo.list_tokens()
