"""The mail outbox (mail kept when no SMTP server is configured) and the webhook delivery log.

Both are records of deliveries the sweep already accounts for in its ledger (which writes the
audit entry of each sent notification), so writing them adds no audit entry of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final, Generic, TypeVar
from uuid import UUID

from piccolo.columns import Column
from piccolo.table import Table

from domain.notifications.tables import MailOutboxTable, WebhookDeliveryTable
from domain.shared.database import write_transaction
from domain.shared.errors import ValidationError
from domain.shared.keyset import decode_cursor, encode_cursor
from domain.shared.model import Actor
from domain.shared.permissions import Permission, require
from domain.shared.rows import as_uuid, aware

MAX_PAGE: Final = 200
T = TypeVar("T")


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboxMail:
    """A message kept in the outbox instead of being sent."""

    id: UUID
    notification_key: str
    kind: str
    recipient: str
    subject: str
    body_text: str
    body_html: str | None
    message_id: str
    raw_message: str
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookAttempt:
    """One POST to the webhook receiver: its outcome and how long it took."""

    notification_key: str
    kind: str
    url: str
    attempted_at: datetime
    status_code: int | None
    succeeded: bool
    retryable: bool
    error: str
    duration_ms: int
    id: UUID | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list, newest first, and the cursor of the next (None: the last page)."""

    items: list[T]
    next_cursor: str | None


def _check_limit(limit: int) -> None:
    if not 0 < limit <= MAX_PAGE:
        raise ValidationError("limit", f"must be between 1 and {MAX_PAGE}")


async def _page_rows(
    table: type[Table], at: Column, *, limit: int, cursor: str | None
) -> tuple[Sequence[dict[str, object]], str | None]:
    """Rows of ``table`` newest first by (``at``, id), a keyset page after ``cursor``."""
    _check_limit(limit)
    query = table.select()
    ident = table._meta.primary_key
    if cursor is not None:
        key, last = decode_cursor(cursor)
        query = query.where((at < key) | ((at == key) & (ident < last)))
    rows = await query.order_by(at, ident, ascending=False).limit(limit + 1).run()
    items = rows[:limit]
    more = len(rows) > limit
    last_row = items[-1] if items else None
    next_cursor = (
        encode_cursor(_as_datetime(last_row[at._meta.name]), as_uuid(last_row["id"]))
        if more and last_row is not None
        else None
    )
    return items, next_cursor


def _as_datetime(value: object) -> datetime:
    return aware(value if isinstance(value, datetime) else datetime.fromisoformat(str(value)))


def _mail(row: dict[str, object]) -> OutboxMail:
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
        created_at=_as_datetime(row["created_at"]),
    )


def _attempt(row: dict[str, object]) -> WebhookAttempt:
    status = row["status_code"]
    duration = row["duration_ms"]
    return WebhookAttempt(
        id=as_uuid(row["id"]),
        notification_key=str(row["notification_key"]),
        kind=str(row["kind"]),
        url=str(row["url"]),
        attempted_at=_as_datetime(row["attempted_at"]),
        status_code=None if status is None else int(str(status)),
        succeeded=bool(row["succeeded"]),
        retryable=bool(row["retryable"]),
        error=str(row["error"]),
        duration_ms=int(str(duration)),
    )


async def keep_mail(
    *,
    notification_key: str,
    kind: str,
    recipient: str,
    subject: str,
    body_text: str,
    body_html: str | None,
    message_id: str,
    raw_message: str,
    now: datetime,
) -> OutboxMail:
    """Keep a message in the outbox; the same notification key twice keeps the first one.

    Raises:
        ValidationError: an empty notification key or recipient.
    """
    if not notification_key or not recipient:
        raise ValidationError("notification_key", "key and recipient must not be empty")
    async with write_transaction():
        found = (
            await MailOutboxTable.select()
            .where(MailOutboxTable.notification_key == notification_key)
            .first()
            .run()
        )
        if found is None:
            row = MailOutboxTable(
                notification_key=notification_key,
                kind=kind,
                recipient=recipient,
                subject=subject,
                body_text=body_text,
                body_html=body_html,
                message_id=message_id,
                raw_message=raw_message,
                created_at=now,
            )
            await row.save().run()
            found = await MailOutboxTable.select().where(MailOutboxTable.id == row.id).first().run()
    assert found is not None  # noqa: S101 - just written or found
    return _mail(found)


async def list_outbox(
    *, actor: Actor, limit: int = 50, cursor: str | None = None
) -> Page[OutboxMail]:
    """Mail kept in the outbox, newest first, a page at a time.

    Raises:
        PermissionDeniedError: unless the actor may read the outbox.
        ValidationError: a cursor this list did not hand out, or a limit out of range.
    """
    require(actor.role, Permission.OUTBOX_READ)
    rows, next_cursor = await _page_rows(
        MailOutboxTable, MailOutboxTable.created_at, limit=limit, cursor=cursor
    )
    return Page([_mail(r) for r in rows], next_cursor)


async def log_webhook_attempt(attempt: WebhookAttempt) -> WebhookAttempt:
    """Record one webhook attempt (every attempt, successful or not); return it with its id."""
    async with write_transaction():
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
    return replace(attempt, id=as_uuid(row.id))


async def list_webhook_deliveries(
    *, actor: Actor, limit: int = 50, cursor: str | None = None
) -> Page[WebhookAttempt]:
    """Every webhook attempt, newest first, a page at a time.

    Raises:
        PermissionDeniedError: unless the actor may read the outbox and delivery log.
        ValidationError: a cursor this list did not hand out, or a limit out of range.
    """
    require(actor.role, Permission.OUTBOX_READ)
    rows, next_cursor = await _page_rows(
        WebhookDeliveryTable, WebhookDeliveryTable.attempted_at, limit=limit, cursor=cursor
    )
    return Page([_attempt(r) for r in rows], next_cursor)
