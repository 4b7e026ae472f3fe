"""Single sign-ons under way and the subjects users signed in as, in and out of their tables."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.identity.model import User
from domain.identity.repo import USER_COLUMNS, user_from_row
from domain.identity.tables import OidcIdentityTable, OidcLoginTable, UserTable
from domain.shared.model import Role
from domain.shared.rows import aware


@dataclass(frozen=True, slots=True, kw_only=True)
class PendingLogin:
    """What a sign-in sent the provider, kept until the browser comes back."""

    nonce: str
    code_verifier: str
    next_page: str
    expires_at: datetime


def digest(value: str) -> str:
    """The SHA-256 (hex) under which a ``state`` is stored."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def identity_key(issuer: str, subject: str) -> str:
    """One value for the pair (issuer, subject); the NUL cannot occur in either."""
    return digest(f"{issuer}\x00{subject}")


async def insert_login(state: str, pending: PendingLogin, *, now: datetime) -> None:
    """Keep a sign-in under way under the digest of its ``state``."""
    await OidcLoginTable.insert(
        OidcLoginTable(
            state_sha256=digest(state),
            nonce=pending.nonce,
            code_verifier=pending.code_verifier,
            next_page=pending.next_page,
            created_at=now,
            expires_at=pending.expires_at,
        )
    ).run()


async def take_login(state: str) -> PendingLogin | None:
    """Remove and return the sign-in under way with this ``state``, if any.

    One DELETE … RETURNING: of two requests with the same ``state`` only one gets the row.
    """
    t = OidcLoginTable
    rows = await (
        t.delete()
        .where(t.state_sha256 == digest(state))
        .returning(t.nonce, t.code_verifier, t.next_page, t.expires_at)
        .run()
    )
    if not rows:
        return None
    row = rows[0]
    return PendingLogin(
        nonce=str(row["nonce"]),
        code_verifier=str(row["code_verifier"]),
        next_page=str(row["next_page"]),
        expires_at=aware(row["expires_at"]),
    )


async def forget_expired_logins(now: datetime) -> None:
    """Drop the sign-ins that were abandoned at the provider."""
    await OidcLoginTable.delete().where(OidcLoginTable.expires_at < now).run()


async def find_linked_user(issuer: str, subject: str) -> User | None:
    """The user who signed in before as this subject of this issuer, if any."""
    link = (
        await OidcIdentityTable.select(OidcIdentityTable.user_id)
        .where(OidcIdentityTable.key == identity_key(issuer, subject))
        .first()
        .run()
    )
    if link is None:
        return None
    row = await UserTable.select(*USER_COLUMNS).where(UserTable.id == link["user_id"]).first()
    return None if row is None else user_from_row(row)


async def subject_of(user_id: UUID, issuer: str) -> str | None:
    """The subject of ``issuer`` this user is linked to, if any."""
    row = (
        await OidcIdentityTable.select(OidcIdentityTable.subject)
        .where((OidcIdentityTable.user_id == user_id) & (OidcIdentityTable.issuer == issuer))
        .first()
        .run()
    )
    return None if row is None else str(row["subject"])


async def link(user_id: UUID, issuer: str, subject: str, *, now: datetime) -> None:
    """Remember that this user is this subject of this issuer."""
    await OidcIdentityTable.insert(
        OidcIdentityTable(
            key=identity_key(issuer, subject),
            issuer=issuer,
            subject=subject,
            user_id=user_id,
            created_at=now,
        )
    ).run()


async def set_role(user_id: UUID, role: Role) -> None:
    """Store a user's new role."""
    await UserTable.update({UserTable.role: role.value}).where(UserTable.id == user_id).run()
