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
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from audit.canonical import JsonValue
from documents.i18n import SUPPORTED
from domain.identity import repo
from domain.identity.auth import AuthPolicy, check_credentials
from domain.identity.credential_cache import CredentialCache, credential_change, generation
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


_SESSIONS: Final[CredentialCache[tuple[WebSession, User | None]]] = CredentialCache()
"""The session and user behind a cookie, kept a few seconds; liveness is checked every time."""


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
    async with write_transaction():
        return await open_session(user, lifetime=lifetime, now=now)


async def open_session(
    user: User, *, lifetime: timedelta, now: datetime, how: dict[str, JsonValue] | None = None
) -> SignedIn:
    """Open a session for ``user`` and write its ``user.signed_in`` entry (``how`` added to it).

    Runs inside the caller's transaction: a password sign-in and a single sign-on both end here.
    """
    secret = secrets.token_urlsafe(32)
    session = WebSession(
        id=uuid.uuid4(), user_id=user.id, created_at=now, expires_at=now + lifetime
    )
    await repo.insert_session(session, _digest(secret))
    after: dict[str, JsonValue] = {
        "session": str(session.id),
        "expires_at": session.expires_at.isoformat(),
    }
    await audit_trail.record(
        user.as_actor(),
        AuditAction.USER_SIGNED_IN,
        subject_type="user",
        subject_id=str(user.id),
        before=None,
        after=after | (how or {}),
        now=now,
    )
    return SignedIn(session=session, user=user, secret=secret)


async def authenticate_session(secret: str, *, now: datetime) -> SessionUser:
    """The user behind a session cookie.

    Raises:
        InvalidSessionError: unknown, expired or signed out, or the user is disabled or gone.
    """
    digest = _digest(secret)
    found = _SESSIONS.get(digest) if secret else None
    if found is None and secret:
        looked_up_in = generation()
        found = await repo.find_session_with_user(digest)
        if found is not None:
            _SESSIONS.put(digest, found, looked_up_in=looked_up_in)
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
    async with credential_change():
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


def locales() -> tuple[str, ...]:
    """The languages Docket writes notifications in (those of response packages)."""
    return SUPPORTED


def check_locale(value: str) -> str:
    """A language Docket has texts in (``pt_BR``; ``pt-BR`` is read too), or "" for the default.

    Raises:
        ValidationError: a language Docket has no texts in.
    """
    value = value.strip()
    if not value:
        return ""
    known = {tag.lower(): tag for tag in SUPPORTED}
    found = known.get(value.replace("-", "_").lower())
    if found is None:
        raise ValidationError(
            "locale", f"Docket has no texts in {value!r}; choose one of {', '.join(SUPPORTED)}"
        )
    return found


async def set_time_zone(time_zone: str, *, actor: Actor, now: datetime) -> User:
    """Set the zone the signed-in user reads times in ("" for the organisation's).

    One audit entry when it changes; setting the zone it has already changes nothing.

    Raises:
        ValidationError: not an IANA zone.
        UserNotFoundError: the actor is no user.
    """
    return await _set_preference("time_zone", check_time_zone(time_zone), actor=actor, now=now)


async def set_locale(locale: str, *, actor: Actor, now: datetime) -> User:
    """Set the language Docket writes to the signed-in user in ("" for the organisation's).

    One audit entry when it changes; setting the language it has already changes nothing.

    Raises:
        ValidationError: a language Docket has no texts in.
        UserNotFoundError: the actor is no user.
    """
    return await _set_preference("locale", check_locale(locale), actor=actor, now=now)


_SETTERS: Final = {"time_zone": repo.set_time_zone, "locale": repo.set_locale}


async def _set_preference(name: str, value: str, *, actor: Actor, now: datetime) -> User:
    if actor.kind is not ActorKind.USER or actor.id is None:
        raise UserNotFoundError(actor.name)
    async with credential_change():  # a session shows its user's zone and language
        before = await repo.get_user(actor.id)
        if getattr(before, name) == value:
            return before
        await _SETTERS[name](actor.id, value)
        after = await repo.get_user(actor.id)
        await audit_trail.record(
            actor,
            AuditAction.USER_PREFERENCES_UPDATED,
            subject_type="user",
            subject_id=str(actor.id),
            before={name: getattr(before, name)},
            after={name: getattr(after, name)},
            now=now,
        )
    return after
