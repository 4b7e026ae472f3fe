"""Signing in with a browser: a server-side session behind a cookie, revocable at any time.

The cookie holds a random secret; the database keeps only its SHA-256, so a copy of the
database opens no session. Sign-in goes through the same credential check (and lockout) as
API login. Opening and closing a session are each one audit entry.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from domain.identity import repo
from domain.identity.auth import AuthPolicy, check_credentials
from domain.identity.errors import InvalidSessionError, UserNotFoundError
from domain.identity.model import SignedIn, User, WebSession
from domain.shared import audit_trail
from domain.shared.database import write_transaction
from domain.shared.errors import ValidationError
from domain.shared.model import Actor, ActorKind, AuditAction


@dataclass(frozen=True, slots=True)
class SessionUser:
    """Who a live session belongs to."""

    session: WebSession
    user: User

    @property
    def actor(self) -> Actor:
        """The user as the actor of what they do in this session."""
        return self.user.as_actor()


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


async def sign_in(
    email: str,
    password: str,
    *,
    client_address: str,
    policy: AuthPolicy,
    lifetime: timedelta,
    now: datetime,
) -> SignedIn:
    """Check the password and open a session that lasts ``lifetime``.

    Raises:
        LoginLockedError: too many recent failures for this account or this address.
        InvalidCredentialsError: unknown e-mail, wrong password or disabled user (one answer).
    """
    user = await check_credentials(
        email, password, client_address=client_address, policy=policy, now=now
    )
    secret = secrets.token_urlsafe(32)
    session = WebSession(
        id=uuid.uuid4(), user_id=user.id, created_at=now, expires_at=now + lifetime
    )
    async with write_transaction():
        await repo.insert_session(session, _digest(secret))
        await audit_trail.record(
            user.as_actor(),
            AuditAction.USER_SIGNED_IN,
            subject_type="user",
            subject_id=str(user.id),
            before=None,
            after={"session": str(session.id), "expires_at": session.expires_at.isoformat()},
            now=now,
        )
    return SignedIn(session=session, user=user, secret=secret)


async def authenticate_session(secret: str, *, now: datetime) -> SessionUser:
    """The user behind a session cookie.

    Raises:
        InvalidSessionError: unknown, expired or signed out, or the user is disabled or gone.
    """
    found = await repo.find_session_with_user(_digest(secret)) if secret else None
    if found is None:
        raise InvalidSessionError("unknown session")
    session, user = found
    if not session.is_live(now):
        raise InvalidSessionError("expired or signed out")
    if user is None:
        raise InvalidSessionError("the user no longer exists")
    if not user.is_active:
        raise InvalidSessionError("the user is disabled")
    return SessionUser(session=session, user=user)


async def sign_out(secret: str, *, now: datetime) -> None:
    """Close the session behind ``secret``; closing a dead or unknown one changes nothing."""
    async with write_transaction():
        session = await repo.find_session(_digest(secret)) if secret else None
        if session is None or not session.is_live(now):
            return
        user = await repo.get_user(session.user_id)
        await repo.revoke_session(session.id, now)
        await audit_trail.record(
            user.as_actor(),
            AuditAction.USER_SIGNED_OUT,
            subject_type="user",
            subject_id=str(user.id),
            before={"session": str(session.id)},
            after=None,
            now=now,
        )


@cache
def time_zones() -> tuple[str, ...]:
    """The IANA zones a user may read times in, sorted by name."""
    return tuple(sorted(available_timezones()))


def check_time_zone(value: str) -> str:
    """An IANA zone name, or "" for the organisation's.

    Raises:
        ValidationError: not a zone this system knows.
    """
    value = value.strip()
    if not value:
        return ""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError("time_zone", f"{value!r} is not an IANA time zone") from None
    if value not in time_zones():
        raise ValidationError("time_zone", f"{value!r} is not an IANA time zone")
    return value


async def set_time_zone(time_zone: str, *, actor: Actor, now: datetime) -> User:
    """Set the zone the signed-in user reads times in ("" for the organisation's).

    One audit entry when it changes; setting the zone it has already changes nothing.

    Raises:
        ValidationError: not an IANA zone.
        UserNotFoundError: the actor is no user.
    """
    zone = check_time_zone(time_zone)
    if actor.kind is not ActorKind.USER or actor.id is None:
        raise UserNotFoundError(actor.name)
    async with write_transaction():
        before = await repo.get_user(actor.id)
        if before.time_zone == zone:
            return before
        await repo.set_time_zone(actor.id, zone)
        after = await repo.get_user(actor.id)
        await audit_trail.record(
            actor,
            AuditAction.USER_PREFERENCES_UPDATED,
            subject_type="user",
            subject_id=str(actor.id),
            before={"time_zone": before.time_zone},
            after={"time_zone": after.time_zone},
            now=now,
        )
    return after
