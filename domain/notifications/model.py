"""Values of notifications: ledger keys and states, inbox messages, feed tokens, kept mail (pure).

The delivery ledger's exactly-once guarantee rests on ``DeliveryKey``: its text is the UNIQUE
column that a claim inserts, so the text a key is written as must never change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final
from uuid import UUID

from audit.canonical import JsonValue

_SEPARATOR: Final = "|"


class DeliveryState(StrEnum):
    """Where one delivery in the ledger stands."""

    CLAIMED = "claimed"
    """A worker has it until its lease runs out (then any sweep may re-take it)."""
    SENT = "sent"
    RETRYING = "retrying"
    """It failed and is tried again from ``next_attempt_at``."""
    FAILED = "failed"
    """It failed for good (audited)."""


SETTLED_STATES: Final = frozenset({DeliveryState.SENT, DeliveryState.FAILED})
"""States a delivery never leaves: it is accounted for in the ledger and the audit trail."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryKey:
    """What makes a notification unique: ``subject|kind|due ISO|recipient|channel`` as text.

    ``subject`` is ``subject_type:subject_id`` (a hold notice's is ``hold_notice:<notice id>``);
    ``recipient`` is an e-mail address, or ``webhook`` for the one call per event.
    """

    subject: str
    kind: str
    due_at: datetime
    recipient: str
    channel: str

    def __str__(self) -> str:
        """The stored text (the ledger's UNIQUE key): it must stay exactly this."""
        return (
            f"{self.subject}|{self.kind}|{self.due_at.isoformat()}|{self.recipient}|{self.channel}"
        )

    @classmethod
    def parse(cls, text: str) -> DeliveryKey:
        """The key written as ``text``; ``str(DeliveryKey.parse(text)) == text``.

        An e-mail address may contain ``|``, so the recipient is what lies between the due
        instant and the last separator.

        Raises:
            ValueError: when ``text`` is not a key.
        """
        try:
            subject, kind, due, rest = text.split(_SEPARATOR, 3)
            recipient, channel = rest.rsplit(_SEPARATOR, 1)
            due_at = datetime.fromisoformat(due)
        except ValueError:
            raise ValueError(f"{text!r} is not a delivery key") from None
        key = cls(subject=subject, kind=kind, due_at=due_at, recipient=recipient, channel=channel)
        if str(key) != text:  # e.g. a due instant written in another ISO form
            raise ValueError(f"{text!r} is not a delivery key as Docket writes them")
        return key


@dataclass(frozen=True, slots=True, kw_only=True)
class NewDelivery:
    """A notification about to be claimed: its key and what a retry needs to send it again."""

    key: DeliveryKey
    subject_type: str
    subject_id: str
    recipient: str
    """Who hears it (an e-mail address, also for the webhook call made on their behalf)."""
    payload: Mapping[str, JsonValue]


@dataclass(frozen=True, slots=True, kw_only=True)
class NewInboxMessage:
    """A message for a user's inbox, written once per delivery key."""

    user_id: UUID
    key: DeliveryKey
    kind: str
    subject: str
    text: str
    link: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Delivery:
    """A ledger entry taken for (re)sending."""

    key: DeliveryKey
    attempts: int
    payload: dict[str, JsonValue]


@dataclass(frozen=True, slots=True)
class DeliveryStatus:
    """Where a delivery stands and how often it was attempted."""

    state: DeliveryState
    attempts: int


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryRecord:
    """What the audit entry of a delivery records about it (never the message body)."""

    kind: str
    channel: str
    recipient: str
    subject_type: str
    subject_id: str
    due_at: datetime
    attempts: int


@dataclass(frozen=True, slots=True)
class OwnOffsets:
    """A request's own reminder offsets, replacing its rule's, and when they were set."""

    offsets: tuple[timedelta, ...]
    set_at: datetime


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
    request_id: UUID | None = None
    """The request the message is about, if it is about one (its delivery key says)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedToken:
    """A calendar feed token (never its secret)."""

    id: UUID
    user_id: UUID
    prefix: str
    created_at: datetime
    revoked_at: datetime | None = None


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
