"""A person's deadlines as an iCalendar feed (RFC 5545), behind a revocable per-user token.

The feed carries references and dates, never a request's summary: calendar providers fetch
and keep it. Requests assigned to the user give their due date (and the extended one), the
acknowledgement deadline and the extension-notice deadline; legal and admin users also get the
review dates of active holds (re-affirmation every 90 days after issue, preservation expiry).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final
from uuid import UUID

from audit import store as audit_store
from audit.canonical import JsonValue
from domain.holds import queries as hold_queries
from domain.identity import users
from domain.identity.model import User
from domain.notifications import calendar_events, repo
from domain.notifications.errors import CalendarTokenNotFoundError
from domain.notifications.model import FeedToken
from domain.requests import queries as request_queries
from domain.shared import audit_trail
from domain.shared.database import write_transaction
from domain.shared.errors import ValidationError
from domain.shared.model import Actor, ActorKind, AuditAction, Role
from domain.shared.permissions import Permission, require

__all__ = [
    "FEED_TOKEN_PREFIX",
    "CalendarFeed",
    "FeedToken",
    "IssuedFeedToken",
    "create_feed_token",
    "feed",
    "feed_version",
    "live_feed_token",
    "revoke_feed_token",
    "user_for_feed",
]

FEED_TOKEN_PREFIX: Final = "dcal_"  # noqa: S105 - marks calendar feed secrets
_HOLD_ROLES: Final = frozenset({Role.LEGAL, Role.ADMIN})


@dataclass(frozen=True, slots=True, kw_only=True)
class IssuedFeedToken:
    """A new feed token and its secret, which exists only in this value."""

    token: FeedToken
    secret: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _snapshot(token: FeedToken) -> dict[str, JsonValue]:
    return {
        "user_id": str(token.user_id),
        "prefix": token.prefix,
        "revoked_at": None if token.revoked_at is None else token.revoked_at.isoformat(),
    }


def _user_of(actor: Actor) -> UUID:
    require(actor.role, Permission.CALENDAR_FEED)
    if actor.kind is not ActorKind.USER or actor.id is None:
        raise ValidationError("actor", "a calendar feed belongs to a user who logs in")
    return actor.id


async def create_feed_token(*, actor: Actor, now: datetime) -> IssuedFeedToken:
    """A new feed token for the calling user; a previous one stops working (rotation).

    Raises:
        PermissionDeniedError: unless the actor may have a calendar feed.
        ValidationError: the caller is not a user (an API token or the CLI).
    """
    user_id = _user_of(actor)
    secret = FEED_TOKEN_PREFIX + secrets.token_urlsafe(32)
    async with write_transaction():
        previous = await repo.live_feed_tokens(user_id)
        if previous:
            await repo.revoke_feed_tokens(user_id, now=now)
        token = await repo.insert_feed_token(
            user_id=user_id,
            prefix=secret[: len(FEED_TOKEN_PREFIX) + 6],
            secret_sha256=_digest(secret),
            now=now,
        )
        await audit_trail.record(
            actor,
            AuditAction.CALENDAR_TOKEN_CREATED,
            subject_type="calendar_feed_token",
            subject_id=str(token.id),
            before={"replaced": [str(p.id) for p in previous]} if previous else None,
            after=_snapshot(token),
            now=now,
        )
    return IssuedFeedToken(token=token, secret=secret)


async def live_feed_token(*, actor: Actor) -> FeedToken | None:
    """The calling user's feed token that works now, if any (never its secret).

    Raises:
        PermissionDeniedError: unless the actor may have a calendar feed.
        ValidationError: the caller is not a user.
    """
    live = await repo.live_feed_tokens(_user_of(actor))
    return max(live, key=lambda t: t.created_at, default=None)


async def revoke_feed_token(*, actor: Actor, now: datetime) -> FeedToken:
    """Revoke the calling user's feed token: the feed URL answers 404 from now on.

    Raises:
        PermissionDeniedError: unless the actor may have a calendar feed.
        ValidationError: the caller is not a user.
        CalendarTokenNotFoundError: the user has no live feed token.
    """
    user_id = _user_of(actor)
    async with write_transaction():
        live = await repo.live_feed_tokens(user_id)
        if not live:
            raise CalendarTokenNotFoundError
        await repo.revoke_feed_tokens(user_id, now=now)
        token = live[0]
        revoked = replace(token, revoked_at=now)
        await audit_trail.record(
            actor,
            AuditAction.CALENDAR_TOKEN_REVOKED,
            subject_type="calendar_feed_token",
            subject_id=str(token.id),
            before=_snapshot(token),
            after=_snapshot(revoked),
            now=now,
        )
    return revoked


async def user_for_feed(secret: str) -> User:
    """The active user a feed secret belongs to.

    Raises:
        CalendarTokenNotFoundError: unknown or revoked secret, or a disabled user.
    """
    if not secret.startswith(FEED_TOKEN_PREFIX):
        raise CalendarTokenNotFoundError
    user_id = await repo.feed_token_user(_digest(secret))
    user = None if user_id is None else await users.find_user(user_id)
    if user is None or not user.is_active:
        raise CalendarTokenNotFoundError
    return user


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarFeed:
    """A feed document and what a client revalidates it with."""

    body: bytes
    etag: str
    """The SHA-256 of ``body`` in hex: the same bytes, the same tag (a strong validator)."""
    last_modified: datetime | None
    """The newest change to the requests (and, for Legal and admins, the holds) the feed is
    made from, including the ones that left it; ``None`` before any exists."""


async def feed_version(secret: str) -> tuple[object, ...]:
    """A cheap stand-in for the feed's data: equal versions, equal feeds.

    Every change in Docket appends exactly one audit entry, so the log's size moves with every
    change the feed could show; the user's name is in the feed too. Two queries, no events built.

    Raises:
        CalendarTokenNotFoundError: unknown or revoked secret, or a disabled user.
    """
    user = await user_for_feed(secret)
    return (user.id, user.display_name, user.role.value, await audit_store.size())


async def feed(secret: str, *, base_url: str, now: datetime) -> CalendarFeed:
    """The iCalendar document of the feed token's user, with its ETag and last change.

    Raises:
        CalendarTokenNotFoundError: unknown or revoked secret, or a disabled user.
    """
    user = await user_for_feed(secret)
    host = base_url.split("://", 1)[-1].split("/", 1)[0] or "docket"
    events = await calendar_events.request_events(user, host=host, base_url=base_url, now=now)
    changes = [await request_queries.newest_change()]
    if user.role in _HOLD_ROLES:
        events += await calendar_events.hold_events(host=host, base_url=base_url, now=now)
        changes.append(await hold_queries.newest_hold_change())
    body = calendar_events.calendar(user, events)
    return CalendarFeed(
        body=body,
        etag=hashlib.sha256(body).hexdigest(),
        last_modified=max((c for c in changes if c is not None), default=None),
    )
