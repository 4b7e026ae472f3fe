"""Piccolo tables of notifications: ledger, inbox, offsets, sweep runs, outbox, feed tokens.

The delivery ledger, the in-app inbox, a request's own reminder offsets, the record of sweep runs,
the mail outbox and webhook log, and calendar feed tokens (only the SHA-256 of each secret is
kept). Only ``repo`` and ``messages_repo`` read and write them, and hand out domain values.
"""

from __future__ import annotations

from piccolo.columns import UUID, Boolean, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class DeliveryTable(Table, tablename="delivery"):
    """One notification over one channel to one recipient: claimed before it is sent.

    ``key`` is ``subject_type:subject_id|kind|due ISO|recipient|channel`` and UNIQUE: the INSERT
    of the key is the claim, so two workers never send the same notification. ``state`` is
    ``claimed`` (leased until ``lease_until``), ``sent``, ``retrying`` (from ``next_attempt_at``)
    or ``failed``. ``payload`` keeps the notification so a retry needs no re-derivation.
    """

    id = UUID(primary_key=True)
    key = Varchar(length=700, unique=True)
    kind = Varchar(length=40)
    channel = Varchar(length=20)
    subject_type = Varchar(length=20)
    subject_id = Varchar(length=64)
    recipient = Varchar(length=320)
    due_at = Timestamptz()
    state = Varchar(length=10, index=True)
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(null=True, default=None, index=True)
    lease_until = Timestamptz(null=True, default=None, index=True)
    claimed_by = Varchar(length=100, default="")
    claimed_at = Timestamptz(default=TimestamptzNow())
    last_error = Text(default="")
    sent_at = Timestamptz(null=True, default=None)
    payload = Text(default="{}")


class InboxMessageTable(Table, tablename="inbox_message"):
    """A notification shown in a Docket user's in-app inbox; ``delivery_key`` makes it once-only."""

    id = UUID(primary_key=True)
    user_id = UUID(index=True)
    delivery_key = Varchar(length=700, unique=True)
    kind = Varchar(length=40)
    subject = Varchar(length=500)
    text = Text()
    link = Varchar(length=1000, default="")
    created_at = Timestamptz(index=True)
    read_at = Timestamptz(null=True, default=None)


class RequestReminderTable(Table, tablename="request_reminder_offsets"):
    """A request's own reminder offsets, replacing its rule's defaults.

    ``offsets`` is a JSON list of seconds before the deadline.
    """

    request_id = UUID(unique=True)
    offsets = Text(default="[]")
    updated_at = Timestamptz()


class SweepRunTable(Table, tablename="sweep_run"):
    """A finished sweep: the instant it swept up to (the next sweep's window starts there)."""

    worker = Varchar(length=100)
    swept_to = Timestamptz(index=True)
    finished_at = Timestamptz()
    sent = Integer(default=0)
    failed = Integer(default=0)


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


class CalendarTokenTable(Table, tablename="calendar_feed_token"):
    """A secret in a calendar subscription URL; at most one per user is live (not revoked)."""

    id = UUID(primary_key=True)
    user_id = UUID(index=True)
    prefix = Varchar(length=16)
    secret_sha256 = Varchar(length=64, unique=True, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    revoked_at = Timestamptz(null=True, default=None)
