"""The mail outbox (mail kept when no SMTP server is configured) and the webhook delivery log.

Both are records of deliveries the sweep already accounts for in its ledger (which writes the
audit entry of each sent notification), so writing them adds no audit entry of its own.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final, Generic, TypeVar

from domain.notifications import messages_repo
from domain.notifications.model import OutboxMail, WebhookAttempt
from domain.shared.database import write_transaction
from domain.shared.errors import ValidationError
from domain.shared.keyset import decode_cursor, encode_cursor
from domain.shared.model import Actor
from domain.shared.permissions import Permission, require

__all__ = [
    "OutboxMail",
    "Page",
    "WebhookAttempt",
    "keep_mail",
    "list_outbox",
    "list_webhook_deliveries",
    "log_webhook_attempt",
]

MAX_PAGE: Final = 200
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list, newest first, and the cursor of the next (None: the last page)."""

    items: list[T]
    next_cursor: str | None


def _after(limit: int, cursor: str | None) -> messages_repo.After:
    if not 0 < limit <= MAX_PAGE:
        raise ValidationError("limit", f"must be between 1 and {MAX_PAGE}")
    return None if cursor is None else decode_cursor(cursor)


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
        found = await messages_repo.find_kept_mail(notification_key)
        if found is not None:
            return found
        return await messages_repo.insert_kept_mail(
            OutboxMail(
                id=uuid.uuid4(),
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
        )


async def list_outbox(
    *, actor: Actor, limit: int = 50, cursor: str | None = None
) -> Page[OutboxMail]:
    """Mail kept in the outbox, newest first, a page at a time.

    Raises:
        PermissionDeniedError: unless the actor may read the outbox.
        ValidationError: a cursor this list did not hand out, or a limit out of range.
    """
    require(actor.role, Permission.OUTBOX_READ)
    found = await messages_repo.kept_mail(after=_after(limit, cursor), limit=limit + 1)
    items = found[:limit]
    more = len(found) > limit
    return Page(items, encode_cursor(items[-1].created_at, items[-1].id) if more else None)


async def log_webhook_attempt(attempt: WebhookAttempt) -> WebhookAttempt:
    """Record one webhook attempt (every attempt, successful or not); return it with its id."""
    async with write_transaction():
        ident = await messages_repo.insert_webhook_attempt(attempt)
    return replace(attempt, id=ident)


async def list_webhook_deliveries(
    *, actor: Actor, limit: int = 50, cursor: str | None = None
) -> Page[WebhookAttempt]:
    """Every webhook attempt, newest first, a page at a time.

    Raises:
        PermissionDeniedError: unless the actor may read the outbox and delivery log.
        ValidationError: a cursor this list did not hand out, or a limit out of range.
    """
    require(actor.role, Permission.OUTBOX_READ)
    found = await messages_repo.webhook_attempts(after=_after(limit, cursor), limit=limit + 1)
    items = found[:limit]
    more = len(found) > limit
    last = items[-1] if more else None
    next_cursor = None
    if last is not None and last.id is not None:  # read back from the log: always has its id
        next_cursor = encode_cursor(last.attempted_at, last.id)
    return Page(items, next_cursor)
