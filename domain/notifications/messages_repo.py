"""What the channels wrote, rows in and values out: inbox messages, kept mail, webhook attempts.

The in-app inbox, the mail outbox (mail kept when no SMTP server is configured) and the webhook
delivery log.

Each list reads newest first by (time, id), ``limit`` rows after a cursor's key; the services
(``inbox``, ``outbox``) ask for one row more than a page to know whether another follows.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Final, TypeAlias
from uuid import UUID

from domain.notifications.model import (
    DeliveryKey,
    InboxMessage,
    NewInboxMessage,
    OutboxMail,
    WebhookAttempt,
)
from domain.notifications.tables import InboxMessageTable, MailOutboxTable, WebhookDeliveryTable
from domain.shared.rows import Row, as_uuid, aware, aware_or_none

_BATCH: Final = 500
_INBOX_ROWS: Final = 100
"""Inbox rows per INSERT (9 columns each: far under SQLite's limit of bound variables)."""

After: TypeAlias = tuple[datetime, UUID] | None
"""Where a list resumes: strictly after the item with this (time, id); None: from the start."""


# ---------------------------------------------------------------- the inbox
def _message(row: Row) -> InboxMessage:
    return InboxMessage(
        id=as_uuid(row["id"]),
        kind=str(row["kind"]),
        subject=str(row["subject"]),
        text=str(row["text"]),
        link=str(row["link"]),
        created_at=aware(row["created_at"]),
        read_at=aware_or_none(row["read_at"]),
        request_id=_request_of(str(row["delivery_key"])),
    )


def _request_of(delivery_key: str) -> UUID | None:
    """The request a delivery key's subject names (``request:<id>|…``), if any."""
    kind, _, rest = delivery_key.partition(":")
    if kind != "request":
        return None
    try:
        return UUID(rest.split("|", 1)[0])
    except ValueError:
        return None


async def insert_inbox_message(
    *, user_id: UUID, key: DeliveryKey, kind: str, subject: str, text: str, link: str, now: datetime
) -> bool:
    """Write a message once per delivery ``key``; False when it is there already."""
    row = InboxMessageTable(
        id=uuid.uuid4(),
        user_id=user_id,
        delivery_key=str(key),
        kind=kind,
        subject=subject,
        text=text,
        link=link,
        created_at=now,
    )
    inserted = (
        await InboxMessageTable.insert(row)
        .on_conflict(target=InboxMessageTable.delivery_key, action="DO NOTHING")
        .returning(InboxMessageTable.id)
        .run()
    )
    return bool(inserted)


_INBOX_COLUMNS: Final = ("id", "user_id", "delivery_key", "kind", "subject", "text", "link")
_INBOX_VALUES: Final = "(" + ",".join("{}" for _ in range(len(_INBOX_COLUMNS) + 1)) + ")"


async def insert_inbox_messages(messages: Sequence[NewInboxMessage], *, now: datetime) -> set[str]:
    """Write each message once per delivery key; return the keys written (not there already).

    One multi-row INSERT per chunk, written as SQL (a Piccolo row object per message costs
    more than the database's work), in key order: one order for every writer, so no
    deadlock on PostgreSQL.
    """
    rows = sorted(
        (
            (uuid.uuid4(), m.user_id, str(m.key), m.kind, m.subject, m.text, m.link, now)
            for m in messages
        ),
        key=lambda row: row[2],
    )
    written: set[str] = set()
    for start in range(0, len(rows), _INBOX_ROWS):
        chunk = rows[start : start + _INBOX_ROWS]
        found = await InboxMessageTable.raw(
            f"INSERT INTO inbox_message ({','.join(_INBOX_COLUMNS)},created_at) "  # noqa: S608
            f"VALUES {','.join([_INBOX_VALUES] * len(chunk))} "
            "ON CONFLICT (delivery_key) DO NOTHING RETURNING delivery_key",
            *(value for row in chunk for value in row),
        )
        written.update(str(r["delivery_key"]) for r in found)
    return written


async def inbox_messages(
    user_id: UUID, *, unread: bool, after: After, limit: int
) -> list[InboxMessage]:
    """At most ``limit`` of a user's messages, newest first, after a cursor's (time, id)."""
    t = InboxMessageTable
    query = t.select().where(t.user_id == user_id)
    if unread:
        query = query.where(t.read_at.is_null())
    if after is not None:
        at, last_id = after
        query = query.where((t.created_at < at) | ((t.created_at == at) & (t.id < last_id)))
    rows = await query.order_by(t.created_at, t.id, ascending=False).limit(limit).run()
    return [_message(r) for r in rows]


async def older_in_section(
    user_id: UUID, *, read: bool, after: After, limit: int
) -> list[InboxMessage]:
    """At most ``limit`` of a user's messages of one section older than ``after``, newest first."""
    t = InboxMessageTable
    query = t.select().where(t.user_id == user_id)
    query = query.where(t.read_at.is_not_null() if read else t.read_at.is_null())
    if after is not None:
        at, last_id = after
        query = query.where((t.created_at < at) | ((t.created_at == at) & (t.id < last_id)))
    rows = await query.order_by(t.created_at, t.id, ascending=False).limit(limit).run()
    return [_message(r) for r in rows]


async def newer_in_section(
    user_id: UUID, *, read: bool, before: After, limit: int
) -> list[InboxMessage]:
    """At most ``limit`` of a user's read (or unread) messages newer than ``before``, nearest first.

    Without ``before``, from the oldest of them up.
    """
    t = InboxMessageTable
    query = t.select().where(t.user_id == user_id)
    query = query.where(t.read_at.is_not_null() if read else t.read_at.is_null())
    if before is not None:
        at, last_id = before
        query = query.where((t.created_at > at) | ((t.created_at == at) & (t.id > last_id)))
    rows = await query.order_by(t.created_at, t.id).limit(limit).run()
    return [_message(r) for r in rows]


async def unread_up_to(user_id: UUID, up_to: datetime) -> list[InboxMessage]:
    """A user's unread messages delivered at or before ``up_to``."""
    t = InboxMessageTable
    query = t.select().where((t.user_id == user_id) & t.read_at.is_null())
    rows = await query.where(t.created_at <= up_to).order_by(t.created_at).run()
    return [_message(r) for r in rows]


async def count_unread(user_id: UUID) -> int:
    """How many of a user's messages are unread."""
    t = InboxMessageTable
    return int(await t.count().where((t.user_id == user_id) & t.read_at.is_null()).run())


async def find_inbox_message(message_id: UUID, user_id: UUID) -> InboxMessage | None:
    """One of a user's messages, if it is theirs."""
    t = InboxMessageTable
    row = await t.select().where((t.id == message_id) & (t.user_id == user_id)).first().run()
    return None if row is None else _message(row)


async def set_inbox_message_read(message_id: UUID, *, now: datetime) -> None:
    """Stamp a message read at ``now``."""
    t = InboxMessageTable
    await t.update({t.read_at: now}).where(t.id == message_id)


async def set_inbox_messages_read(message_ids: list[UUID], *, now: datetime) -> None:
    """Stamp messages read at ``now``."""
    t = InboxMessageTable
    for start in range(0, len(message_ids), _BATCH):  # under SQLite's limit of bound values
        batch = message_ids[start : start + _BATCH]
        await t.update({t.read_at: now}).where(t.id.is_in(batch))


# ---------------------------------------------------------------- the mail outbox
def _mail(row: Row) -> OutboxMail:
    html = row["body_html"]
    return OutboxMail(
        id=as_uuid(row["id"]),
        notification_key=str(row["notification_key"]),
        kind=str(row["kind"]),
        recipient=str(row["recipient"]),
        subject=str(row["subject"]),
        body_text=str(row["body_text"]),
        body_html=None if html is None else str(html),
        message_id=str(row["message_id"]),
        raw_message=str(row["raw_message"]),
        created_at=aware(row["created_at"]),
    )


async def find_kept_mail(notification_key: str) -> OutboxMail | None:
    """The mail kept for a notification, if any."""
    t = MailOutboxTable
    row = await t.select().where(t.notification_key == notification_key).first().run()
    return None if row is None else _mail(row)


async def insert_kept_mail(mail: OutboxMail) -> OutboxMail:
    """Keep a message (its id and time are the stored ones); return it as stored."""
    t = MailOutboxTable
    row = t(
        id=mail.id,
        notification_key=mail.notification_key,
        kind=mail.kind,
        recipient=mail.recipient,
        subject=mail.subject,
        body_text=mail.body_text,
        body_html=mail.body_html,
        message_id=mail.message_id,
        raw_message=mail.raw_message,
        created_at=mail.created_at,
    )
    await row.save().run()
    stored = await t.select().where(t.id == mail.id).first().run()
    assert stored is not None  # noqa: S101 - just written, in the same transaction
    return _mail(stored)


async def kept_mail(*, after: After, limit: int) -> list[OutboxMail]:
    """At most ``limit`` kept messages, newest first, after a cursor's (time, id)."""
    t = MailOutboxTable
    query = t.select()
    if after is not None:
        at, last_id = after
        query = query.where((t.created_at < at) | ((t.created_at == at) & (t.id < last_id)))
    rows = await query.order_by(t.created_at, t.id, ascending=False).limit(limit).run()
    return [_mail(r) for r in rows]


# ---------------------------------------------------------------- the webhook delivery log
def _attempt(row: Row) -> WebhookAttempt:
    status = row["status_code"]
    return WebhookAttempt(
        id=as_uuid(row["id"]),
        notification_key=str(row["notification_key"]),
        kind=str(row["kind"]),
        url=str(row["url"]),
        attempted_at=aware(row["attempted_at"]),
        status_code=None if status is None else int(str(status)),
        succeeded=bool(row["succeeded"]),
        retryable=bool(row["retryable"]),
        error=str(row["error"]),
        duration_ms=int(str(row["duration_ms"])),
    )


async def insert_webhook_attempt(attempt: WebhookAttempt) -> UUID:
    """Log one webhook attempt; return its id."""
    row = WebhookDeliveryTable(
        notification_key=attempt.notification_key,
        kind=attempt.kind,
        url=attempt.url,
        attempted_at=attempt.attempted_at,
        status_code=attempt.status_code,
        succeeded=attempt.succeeded,
        retryable=attempt.retryable,
        error=attempt.error,
        duration_ms=attempt.duration_ms,
    )
    await row.save().run()
    return as_uuid(row.id)


async def webhook_attempts(*, after: After, limit: int) -> list[WebhookAttempt]:
    """At most ``limit`` webhook attempts, newest first, after a cursor's (time, id)."""
    t = WebhookDeliveryTable
    query = t.select()
    if after is not None:
        at, last_id = after
        query = query.where((t.attempted_at < at) | ((t.attempted_at == at) & (t.id < last_id)))
    rows = await query.order_by(t.attempted_at, t.id, ascending=False).limit(limit).run()
    return [_attempt(r) for r in rows]
