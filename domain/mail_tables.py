"""Tables of the outgoing channels: the mail outbox and the webhook delivery log."""

from __future__ import annotations

from piccolo.columns import UUID, Boolean, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class MailOutboxTable(Table, tablename="mail_outbox"):
    """A message that was not sent over SMTP because none is configured (kept, never dropped).

    ``notification_key`` is unique: handing the same notification over twice keeps one row.
    """

    id = UUID(primary_key=True)
    notification_key = Varchar(length=600, unique=True, index=True)
    kind = Varchar(length=60)
    recipient = Varchar(length=320, index=True)
    subject = Text()
    body_text = Text()
    body_html = Text(null=True, default=None)
    message_id = Varchar(length=300)
    raw_message = Text()
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class WebhookDeliveryTable(Table, tablename="webhook_delivery"):
    """One attempt to POST a notification to the webhook receiver, successful or not."""

    id = UUID(primary_key=True)
    notification_key = Varchar(length=600, index=True)
    kind = Varchar(length=60)
    url = Text()
    attempted_at = Timestamptz(default=TimestamptzNow(), index=True)
    status_code = Integer(null=True, default=None)
    succeeded = Boolean(default=False)
    retryable = Boolean(default=False)
    error = Text(default="")
    duration_ms = Integer(default=0)
