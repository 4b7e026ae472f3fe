"""The in-app inbox: notifications for Docket users, listed newest first, marked read.

The sweep's inbox channel writes a message once per delivery key (a retry after a crash finds
it there and writes nothing); the ``notification.sent`` audit entry of that delivery records it.
Reading marks a message read: a change of the user's own message, audited once per message.

The API lists newest first; the inbox page lists the unread ones first (newest first), then
those read (newest first), in pages both ways.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final, TypeAlias
from uuid import UUID

from domain.notifications import messages_repo
from domain.notifications.errors import InboxMessageNotFoundError
from domain.notifications.model import DeliveryKey, InboxMessage, NewInboxMessage
from domain.requests import queries as requests
from domain.requests.sealing import may_read
from domain.shared import audit_trail
from domain.shared.database import write_transaction
from domain.shared.errors import ValidationError
from domain.shared.keyset import decode_cursor, encode_cursor
from domain.shared.model import Actor, ActorKind, AuditAction
from domain.shared.permissions import Permission, require

__all__ = [
    "InboxMessage",
    "InboxPage",
    "deliver",
    "deliver_many",
    "list_inbox",
    "list_unread_first",
    "mark_all_read",
    "mark_read",
    "unread_count",
]

MAX_PAGE: Final = 200
MAX_SUBJECT: Final = 500
MAX_LINK: Final = 1000


@dataclass(frozen=True, slots=True)
class InboxPage:
    """A page of messages and the cursors of the next and the previous (None: there is none)."""

    items: list[InboxMessage]
    next_cursor: str | None
    prev_cursor: str | None = None


async def deliver(
    *,
    user_id: UUID,
    key: DeliveryKey,
    kind: str,
    subject: str,
    text: str,
    link: str,
    now: datetime,
) -> bool:
    """Put a message in a user's inbox once per delivery ``key``; False if it is there already."""
    return await messages_repo.insert_inbox_message(
        user_id=user_id,
        key=key,
        kind=kind,
        subject=subject[:MAX_SUBJECT],
        text=text,
        link=link[:MAX_LINK],
        now=now,
    )


async def deliver_many(messages: Sequence[NewInboxMessage], *, now: datetime) -> set[DeliveryKey]:
    """Put several messages in their users' inboxes in one transaction, each once per key.

    Returns the keys written (a key already there is left as it is, as ``deliver`` does).
    """
    if not messages:
        return set()
    trimmed = [
        replace(m, subject=m.subject[:MAX_SUBJECT], link=m.link[:MAX_LINK]) for m in messages
    ]
    wanted = {str(m.key): m.key for m in messages}
    async with write_transaction():
        written = await messages_repo.insert_inbox_messages(trimmed, now=now)
    return {wanted[text] for text in written}


def _user(actor: Actor) -> UUID | None:
    return actor.id if actor.kind is ActorKind.USER else None


SEALED_TEXT: Final = "This request is sealed: only its assignee, Legal and admins may read it."


async def _readable(items: list[InboxMessage], actor: Actor) -> list[InboxMessage]:
    """``items``, those about a sealed request the actor may no longer read without its content.

    Reminders go only to those who may read a request; a request reassigned since, or sealed
    since, leaves its earlier messages behind, and those keep only the reference.
    """
    ids = {m.request_id for m in items if m.request_id is not None}
    found = await requests.load_requests(list(ids)) if ids else {}
    shown = []
    for message in items:
        about = found.get(message.request_id) if message.request_id is not None else None
        if about is None or may_read(actor, about):
            shown.append(message)
        else:
            subject = f"{about.reference}: a sealed request"
            shown.append(replace(message, subject=subject, text=SEALED_TEXT))
    return shown


async def list_inbox(
    *, actor: Actor, unread: bool = False, limit: int = 50, cursor: str | None = None
) -> InboxPage:
    """The actor's own messages, newest first (API tokens have no inbox: an empty page).

    Raises:
        PermissionDeniedError: unless the actor may read an inbox.
        ValidationError: on a cursor this list did not hand out.
    """
    require(actor.role, Permission.INBOX_READ)
    after = None if cursor is None else decode_cursor(cursor)  # refused even where none is due
    user_id = _user(actor)
    if user_id is None:
        return InboxPage([], None)
    limit = max(1, min(limit, MAX_PAGE))
    found = await messages_repo.inbox_messages(user_id, unread=unread, after=after, limit=limit + 1)
    items = found[:limit]
    more = len(found) > limit
    next_cursor = encode_cursor(items[-1].created_at, items[-1].id) if more else None
    return InboxPage(await _readable(items, actor), next_cursor)


# ---------------------------------------------------------------- unread first, in pages
# The order is (unread before read, newest first, id): a cursor names its section ("u" or "r")
# and the (time, id) key of a message in it. Marking a message read moves it to the other
# section, so a page may show it again further on, but never loses another message.
_UNREAD, _READ = "u", "r"
Key: TypeAlias = tuple[bool, tuple[datetime, UUID] | None]
"""Where a page starts: in the read section or not, after this (time, id) (None: its start)."""


def _cursor_of(message: InboxMessage) -> str:
    section = _READ if message.read_at is not None else _UNREAD
    return f"{section}.{encode_cursor(message.created_at, message.id)}"


def _key_of(cursor: str) -> Key:
    section, _, rest = cursor.partition(".")
    if section not in {_UNREAD, _READ}:
        raise ValidationError("cursor", "not a cursor this list handed out")
    return section == _READ, decode_cursor(rest)


async def _forward(user_id: UUID, key: Key, limit: int) -> list[InboxMessage]:
    read, after = key
    found = await messages_repo.older_in_section(user_id, read=read, after=after, limit=limit)
    if not read and len(found) < limit:
        found += await messages_repo.older_in_section(
            user_id, read=True, after=None, limit=limit - len(found)
        )
    return found


async def _backward(user_id: UUID, key: Key, limit: int) -> list[InboxMessage]:
    """The ``limit`` messages just before ``key``, nearest first."""
    read, before = key
    found = await messages_repo.newer_in_section(user_id, read=read, before=before, limit=limit)
    if read and len(found) < limit:
        found += await messages_repo.newer_in_section(
            user_id, read=False, before=None, limit=limit - len(found)
        )
    return found


async def list_unread_first(
    *, actor: Actor, limit: int = 50, after: str | None = None, before: str | None = None
) -> InboxPage:
    """The actor's own messages, unread first, each part newest first, a page at a time.

    ``after`` is a page's ``next_cursor``, ``before`` its ``prev_cursor`` (the page that ends
    just before it); with neither, the first page.

    Raises:
        PermissionDeniedError: unless the actor may read an inbox.
        ValidationError: on a cursor this list did not hand out.
    """
    require(actor.role, Permission.INBOX_READ)
    user_id = _user(actor)
    if user_id is None:
        return InboxPage([], None)
    limit = max(1, min(limit, MAX_PAGE))
    if before is not None:
        nearest = await _backward(user_id, _key_of(before), limit + 1)
        if nearest:  # else everything before was read meanwhile: the first page
            items = list(reversed(nearest[:limit]))
            earlier = _cursor_of(items[0]) if len(nearest) > limit else None
            return InboxPage(await _readable(items, actor), _cursor_of(items[-1]), earlier)
    start = _key_of(after) if after is not None and before is None else (False, None)
    found = await _forward(user_id, start, limit + 1)
    items = found[:limit]
    later = len(found) > limit
    return InboxPage(
        await _readable(items, actor),
        _cursor_of(items[-1]) if later else None,
        _cursor_of(items[0]) if items and start[1] is not None else None,
    )


async def unread_count(*, actor: Actor) -> int:
    """How many of the actor's own messages are unread (0 for API tokens).

    Raises:
        PermissionDeniedError: unless the actor may read an inbox.
    """
    require(actor.role, Permission.INBOX_READ)
    user_id = _user(actor)
    return 0 if user_id is None else await messages_repo.count_unread(user_id)


async def mark_read(message_id: UUID, *, actor: Actor, now: datetime) -> InboxMessage:
    """Mark one of the actor's own messages read (again: no change, no new audit entry).

    Raises:
        PermissionDeniedError: unless the actor may read an inbox.
        InboxMessageNotFoundError: no such message in the actor's inbox.
    """
    require(actor.role, Permission.INBOX_READ)
    user_id = _user(actor)
    if user_id is None:
        raise InboxMessageNotFoundError(message_id)
    async with write_transaction():
        message = await messages_repo.find_inbox_message(message_id, user_id)
        if message is None:
            raise InboxMessageNotFoundError(message_id)
        if message.read_at is not None:
            return (await _readable([message], actor))[0]
        await messages_repo.set_inbox_message_read(message_id, now=now)
        await audit_trail.record(
            actor,
            AuditAction.INBOX_MESSAGE_READ,
            subject_type="inbox_message",
            subject_id=str(message_id),
            before={"read": False},
            after={"read": True, "kind": message.kind},
            now=now,
        )
    return (await _readable([replace(message, read_at=now)], actor))[0]


async def mark_all_read(*, actor: Actor, now: datetime, up_to: datetime | None = None) -> int:
    """Mark the actor's unread messages read, those delivered by ``up_to`` (default: ``now``).

    ``up_to`` is when the reader last saw the list: a message that came in after it stays
    unread. One audit entry per message marked, as when each is marked on its own; returns
    how many were.

    Raises:
        PermissionDeniedError: unless the actor may read an inbox.
    """
    require(actor.role, Permission.INBOX_READ)
    user_id = _user(actor)
    if user_id is None:
        return 0
    async with write_transaction():
        unread = await messages_repo.unread_up_to(user_id, min(up_to or now, now))
        await messages_repo.set_inbox_messages_read([m.id for m in unread], now=now)
        for message in unread:
            await audit_trail.record(
                actor,
                AuditAction.INBOX_MESSAGE_READ,
                subject_type="inbox_message",
                subject_id=str(message.id),
                before={"read": False},
                after={"read": True, "kind": message.kind},
                now=now,
            )
    return len(unread)
