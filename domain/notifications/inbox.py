"""The in-app inbox: notifications for Docket users, listed newest first, marked read.

The sweep's inbox channel writes a message once per delivery key (a retry after a crash finds
it there and writes nothing); the ``notification.sent`` audit entry of that delivery records it.
Reading marks a message read: a change of the user's own message, audited once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final
from uuid import UUID

from domain.notifications import messages_repo
from domain.notifications.errors import InboxMessageNotFoundError
from domain.notifications.model import DeliveryKey, InboxMessage
from domain.shared import audit_trail
from domain.shared.database import write_transaction
from domain.shared.keyset import decode_cursor, encode_cursor
from domain.shared.model import Actor, ActorKind, AuditAction
from domain.shared.permissions import Permission, require

__all__ = ["InboxMessage", "InboxPage", "deliver", "list_inbox", "mark_read"]

MAX_PAGE: Final = 200
MAX_SUBJECT: Final = 500
MAX_LINK: Final = 1000


@dataclass(frozen=True, slots=True)
class InboxPage:
    """A page of messages and the cursor of the next (None: the last page)."""

    items: list[InboxMessage]
    next_cursor: str | None


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


def _user(actor: Actor) -> UUID | None:
    return actor.id if actor.kind is ActorKind.USER else None


async def list_inbox(
    *, actor: Actor, unread: bool = False, limit: int = 50, cursor: str | None = None
) -> InboxPage:
    """The actor's own messages, newest first (API tokens have no inbox: an empty page).

    Raises:
        PermissionDeniedError: unless the actor may read an inbox.
        ValidationError: on a cursor this list did not hand out.
    """
    require(actor.role, Permission.INBOX_READ)
    user_id = _user(actor)
    if user_id is None:
        return InboxPage([], None)
    limit = max(1, min(limit, MAX_PAGE))
    after = None if cursor is None else decode_cursor(cursor)
    found = await messages_repo.inbox_messages(user_id, unread=unread, after=after, limit=limit + 1)
    items = found[:limit]
    more = len(found) > limit
    return InboxPage(items, encode_cursor(items[-1].created_at, items[-1].id) if more else None)


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
            return message
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
    return replace(message, read_at=now)
