"""Bodies of the notification endpoints: the mail outbox, the webhook log, the calendar token."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from domain.notifications.calendar import FeedToken
from domain.notifications.outbox import OutboxMail, WebhookAttempt


class OutboxMailRead(msgspec.Struct, kw_only=True):
    """A mail kept in the outbox because no SMTP server is configured."""

    id: UUID
    notification_key: Annotated[
        str,
        msgspec.Meta(
            examples=["request:0b6…|request.reminder|2026-03-09T16:00:00+00:00|a@x.example|email"]
        ),
    ]
    kind: Annotated[str, msgspec.Meta(examples=["request.reminder"])]
    recipient: Annotated[str, msgspec.Meta(examples=["specialist@docket.example"])]
    subject: Annotated[str, msgspec.Meta(examples=["[Docket] Reminder: REQ-2026-000001 …"])]
    body_text: str
    body_html: str | None
    message_id: Annotated[str, msgspec.Meta(examples=["<docket.3f2a…@docket.example>"])]
    raw_message: Annotated[str, msgspec.Meta(description="The whole RFC 5322 message")]
    created_at: datetime

    @classmethod
    def from_domain(cls, mail: OutboxMail) -> OutboxMailRead:
        """Shape an ``OutboxMail``."""
        return msgspec.convert(mail, cls, from_attributes=True)


class OutboxList(msgspec.Struct, kw_only=True):
    """Kept mail, newest first, and the cursor of the next page (null: the last page)."""

    items: list[OutboxMailRead]
    next_cursor: str | None


class WebhookDeliveryRead(msgspec.Struct, kw_only=True):
    """One attempt to deliver a notification to the webhook receiver."""

    id: UUID
    notification_key: str
    kind: Annotated[str, msgspec.Meta(examples=["request.due"])]
    url: Annotated[str, msgspec.Meta(examples=["https://hooks.example/docket"])]
    attempted_at: datetime
    status_code: Annotated[int, msgspec.Meta(examples=[200])] | None
    succeeded: bool
    retryable: bool
    error: Annotated[str, msgspec.Meta(examples=["webhook answered HTTP 503"])]
    duration_ms: Annotated[int, msgspec.Meta(examples=[42])]

    @classmethod
    def from_domain(cls, attempt: WebhookAttempt) -> WebhookDeliveryRead:
        """Shape a ``WebhookAttempt`` read back from the log (so it has its id)."""
        return msgspec.convert(attempt, cls, from_attributes=True)


class WebhookDeliveryList(msgspec.Struct, kw_only=True):
    """Webhook attempts, newest first, and the cursor of the next page (null: the last page)."""

    items: list[WebhookDeliveryRead]
    next_cursor: str | None


class CalendarTokenCreated(msgspec.Struct, kw_only=True):
    """The calendar subscription URL; it holds the secret and is shown only this once."""

    feed_url: Annotated[
        str, msgspec.Meta(examples=["https://docket.example/api/v1/calendar.ics?token=dcal_…"])
    ]
    prefix: Annotated[str, msgspec.Meta(examples=["dcal_Ab3xY9"])]
    created_at: datetime


class CalendarTokenRead(msgspec.Struct, kw_only=True):
    """A calendar feed token (never its secret)."""

    id: UUID
    prefix: Annotated[str, msgspec.Meta(examples=["dcal_Ab3xY9"])]
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def from_domain(cls, token: FeedToken) -> CalendarTokenRead:
        """Shape a ``FeedToken``."""
        return msgspec.convert(token, cls, from_attributes=True)
