"""The in-app inbox: notifications for Docket users, listed newest first, marked read.

The sweep's inbox channel writes a message once per delivery key (a retry after a crash finds
it there and writes nothing); the ``notification.sent`` audit entry of that delivery records it.
Reading marks a message read: a change of the user's own message, audited once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Final
from uuid import UUID

from domain.notifications.errors import InboxMessageNotFoundError
from domain.notifications.tables import InboxMessageTable
from domain.shared import audit_trail
from domain.shared.database import write_transaction
from domain.shared.keyset import decode_cursor, encode_cursor
from domain.shared.model import Actor, ActorKind, AuditAction
from domain.shared.permissions import Permission, require

MAX_PAGE: Final = 200


@dataclass(frozen=True, slots=True, kw_only=True)
class InboxMessage:
    """One message in a user's inbox."""

    id: UUID
    kind: str
    subject: str
    text: str
    link: str
    created_at: datetime
    read_at: datetime | None


@dataclass(frozen=True, slots=True)
class InboxPage:
    """A page of messages and the cursor of the next (None: the last page)."""

    items: list[InboxMessage]
    next_cursor: str | None


def _message(row: dict[str, object]) -> InboxMessage:
    return InboxMessage(
        id=row["id"],  # type: ignore[arg-type]
        kind=str(row["kind"]),
        subject=str(row["subject"]),
        text=str(row["text"]),
        link=str(row["link"]),
        created_at=row["created_at"],  # type: ignore[arg-type]
        read_at=row["read_at"],  # type: ignore[arg-type]
    )


async def deliver(
    *, user_id: UUID, key: str, kind: str, subject: str, text: str, link: str, now: datetime
) -> bool:
    """Put a message in a user's inbox once per delivery ``key``; False if it is there already."""
    row = InboxMessageTable(
        id=uuid.uuid4(),
        user_id=user_id,
        delivery_key=key,
        kind=kind,
        subject=subject[:500],
        text=text,
        link=link[:1000],
        created_at=now,
    )
    inserted = (
        await InboxMessageTable.insert(row)
        .on_conflict(target=InboxMessageTable.delivery_key, action="DO NOTHING")
        .returning(InboxMessageTable.id)
        .run()
    )
    return bool(inserted)


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
    t = InboxMessageTable
    where = t.user_id == user_id
    if unread:
        where &= t.read_at.is_null()  # type: ignore[assignment]
    if cursor is not None:
        at, last_id = decode_cursor(cursor)
        where &= (t.created_at < at) | ((t.created_at == at) & (t.id < last_id))  # type: ignore[assignment]
    rows = (
        await t.select()
        .where(where)
        .order_by(t.created_at, t.id, ascending=False)
        .limit(limit + 1)
        .run()
    )
    items = [_message(r) for r in rows[:limit]]
    return InboxPage(
        items, encode_cursor(items[-1].created_at, items[-1].id) if len(rows) > limit else None
    )


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
    t = InboxMessageTable
    async with write_transaction():
        row = await t.select().where((t.id == message_id) & (t.user_id == user_id)).first().run()
        if row is None:
            raise InboxMessageNotFoundError(message_id)
        message = _message(row)
        if message.read_at is not None:
            return message
        await t.update({t.read_at: now}).where(t.id == message_id)
        await audit_trail.record(
            actor,
            AuditAction.INBOX_MESSAGE_READ,
            subject_type="inbox_message",
            subject_id=str(message_id),
            before={"read": False},
            after={"read": True, "kind": message.kind},
            now=now,
        )
    return InboxMessage(
        id=message.id,
        kind=message.kind,
        subject=message.subject,
        text=message.text,
        link=message.link,
        created_at=message.created_at,
        read_at=now,
    )
