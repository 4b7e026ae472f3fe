"""The interface every notification channel implements, plus the shared retry backoff.

A *channel* hands one rendered message for one recipient to the outside world (SMTP, a
webhook receiver, the in-app inbox). Channels never decide *whether* to send: the sweep and
its delivery ledger do, keyed by `Notification.key`, and retry what raised a retryable
`DeliveryError` on the schedule given by `backoff`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, TypeAlias, runtime_checkable
from uuid import UUID

from domain.notifications.model import DeliveryKey

__all__ = [
    "BACKOFF_BASE",
    "BACKOFF_CAP",
    "BatchChannel",
    "Channel",
    "DeliveryError",
    "Notification",
    "RenderedMessage",
    "SendOutcome",
    "backoff",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Notification:
    """One thing to tell one recipient over one channel.

    Attributes:
        key: Delivery-ledger key, written ``"subject_type:subject_id|kind|due_at
            ISO|recipient|channel"`` (``str(key)``: the ledger's, the inbox's and the outbox's
            once-only key, the webhook's delivery id, the seed of the e-mail Message-ID).
        kind: e.g. ``"request.reminder"``, ``"hold.notice"``, ``"digest.daily"``.
        subject_type: ``"request" | "legal_hold" | "user" | "authority" | "jurisdiction"``.
        subject_id: Identifier of the subject (UUID text or code).
        due_at: Aware UTC instant at which this notification was due.
        recipient_email: Where e-mail goes.
        recipient_user_id: The Docket user, or ``None`` for custodians without an account.
        locale: ``"en"``, ``"de"``, ``"pt_BR"``, ...: the person's language, or the
            organisation's for a webhook (messages fall back to ``"en"``).
        time_zone: The IANA zone every time in the text is shown in: the person's, or the
            organisation's for a webhook ("": the request's zone, as recorded before people
            had their own).
        context: JSON-able values the text is made of (reference, title, due, link, ...).
    """

    key: DeliveryKey
    kind: str
    subject_type: str
    subject_id: str
    due_at: datetime
    recipient_email: str
    recipient_user_id: UUID | None
    locale: str
    context: Mapping[str, object]
    time_zone: str = ""


@dataclass(frozen=True, slots=True)
class RenderedMessage:
    """A localized message: subject, plain text (always) and an optional escaped HTML body."""

    subject: str
    text: str
    html: str | None


class DeliveryError(Exception):
    """A channel could not hand the message over.

    ``retryable=True`` means "try again later" (timeouts, connection refused, 4xx SMTP, 5xx
    HTTP); ``retryable=False`` means the receiver rejected it for good.
    """

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        """Keep the message and whether the ledger should retry."""
        super().__init__(message)
        self.message = message
        self.retryable = retryable


class Channel(Protocol):
    """Something that delivers a rendered notification."""

    name: str  # "email" | "webhook" | "inbox"

    async def send(self, notification: Notification, message: RenderedMessage) -> None:
        """Hand the message over; return normally only once it was accepted.

        Raises:
            DeliveryError: the message was not handed over.
        """
        ...


SendOutcome: TypeAlias = DeliveryError | None
"""What became of one message of a batch: None when it was handed over."""


@runtime_checkable
class BatchChannel(Channel, Protocol):
    """A channel that can hand over several messages at once (the in-app inbox: one write)."""

    async def send_many(
        self, items: Sequence[tuple[Notification, RenderedMessage]]
    ) -> list[SendOutcome]:
        """Hand the messages over; one outcome per item, in order.

        Raises:
            Exception: when none of them could be handed over (each counts as a retryable
                failure).
        """
        ...


BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)
_BACKOFF_MAX_DOUBLINGS = 16


def backoff(attempt: int) -> timedelta:
    """Delay before retry number ``attempt`` (0 = first retry): 1 min * 2^n, at most 6 h.

    Deterministic (no jitter): 1, 2, 4, 8, 16, 32, 64, 128, 256 min, then 6 h for good.

    Raises:
        ValueError: ``attempt`` is negative.
    """
    if attempt < 0:
        raise ValueError(f"attempt must be >= 0, got {attempt}")
    if attempt >= _BACKOFF_MAX_DOUBLINGS:  # far beyond the cap; avoid huge ints
        return BACKOFF_CAP
    delay: timedelta = BACKOFF_BASE * (1 << attempt)
    return min(delay, BACKOFF_CAP)
