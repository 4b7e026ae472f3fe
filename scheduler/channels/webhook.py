"""Signed webhooks: POST each notification as JSON, HMAC-SHA256 over timestamp and body.

The receiver verifies ``X-Docket-Signature: sha256=<hex>`` where the HMAC key is the shared
secret and the message is ``b"<X-Docket-Timestamp>." + body``, rejects stale timestamps, and
de-duplicates on ``X-Docket-Delivery`` (the notification key, the same on every retry).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Final

import httpx

from domain.notifications import outbox as mail_outbox
from domain.notifications.outbox import WebhookAttempt
from domain.shared.clock import Clock
from scheduler.channels.base import DeliveryError, Notification, RenderedMessage

__all__ = ["WebhookChannel", "signature", "webhook_body"]

SIGNATURE_HEADER: Final = "X-Docket-Signature"
TIMESTAMP_HEADER: Final = "X-Docket-Timestamp"
DELIVERY_HEADER: Final = "X-Docket-Delivery"
_RETRYABLE_4XX: Final = frozenset({408, 429})
_MAX_ERROR: Final = 500


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" keyed with the secret>``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def webhook_body(notification: Notification, message: RenderedMessage) -> bytes:
    """The JSON body: kind, key, subject, due_at, recipient and context (compact, sorted keys)."""
    payload = {
        "kind": notification.kind,
        "key": str(notification.key),
        "subject": {
            "type": notification.subject_type,
            "id": notification.subject_id,
            "title": message.subject,
        },
        "due_at": notification.due_at.isoformat(),
        "recipient": {
            "email": notification.recipient_email,
            "user_id": None
            if notification.recipient_user_id is None
            else str(notification.recipient_user_id),
            "locale": notification.locale,
        },
        "context": dict(notification.context),
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


class WebhookChannel:
    """POST notifications to one receiver; every attempt goes into the delivery log."""

    name = "webhook"

    def __init__(
        self,
        url: str,
        secret: str,
        *,
        clock: Clock,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """Bind the receiver's URL, the shared secret and the clock that stamps attempts."""
        self.url = url
        self.secret = secret
        self.clock = clock
        self.timeout = timeout
        self.transport = transport

    async def send(self, notification: Notification, message: RenderedMessage) -> None:
        """POST the notification; a 2xx answer is success.

        Raises:
            DeliveryError: retryable on 5xx, 408, 429, timeouts and connection errors; not
                retryable on other 4xx answers (the receiver refuses it for good).
        """
        body = webhook_body(notification, message)
        attempted_at = self.clock.now()
        timestamp = int(attempted_at.timestamp())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Docket-Webhook/1",
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: signature(self.secret, timestamp, body),
            DELIVERY_HEADER: str(notification.key),
        }
        started = time.perf_counter()
        status: int | None = None
        error: DeliveryError | None = None
        try:
            async with httpx.AsyncClient(
                timeout=self.timeout, transport=self.transport, follow_redirects=False
            ) as client:
                response = await client.post(self.url, content=body, headers=headers)
            status = response.status_code
            if not response.is_success:
                retryable = status >= 500 or status in _RETRYABLE_4XX  # noqa: PLR2004
                error = DeliveryError(f"webhook answered HTTP {status}", retryable=retryable)
        except httpx.HTTPError as exc:  # timeouts, refused/reset connections, protocol errors
            error = DeliveryError(f"webhook unreachable: {type(exc).__name__}: {exc}")
        duration_ms = round((time.perf_counter() - started) * 1000)
        await mail_outbox.log_webhook_attempt(
            WebhookAttempt(
                notification_key=str(notification.key),
                kind=notification.kind,
                url=self.url,
                attempted_at=attempted_at,
                status_code=status,
                succeeded=error is None,
                retryable=error is not None and error.retryable,
                error="" if error is None else error.message[:_MAX_ERROR],
                duration_ms=duration_ms,
            )
        )
        if error is not None:
            raise error
