"""E-mail over SMTP (aiosmtplib), or into the mail outbox when no SMTP server is configured."""

from __future__ import annotations

import hashlib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Final, Literal

import aiosmtplib

from domain.notifications import outbox as mail_outbox
from domain.shared.clock import Clock
from scheduler.channels.base import DeliveryError, Notification, RenderedMessage

__all__ = ["EmailChannel", "SmtpConfig", "build_message", "message_id_for"]

Security = Literal["starttls", "ssl", "none"]
_PERMANENT: Final = 500
_TRANSIENT: Final = 400


@dataclass(frozen=True, slots=True, kw_only=True)
class SmtpConfig:
    """Where and how to hand mail over; ``host=""`` keeps mail in the outbox instead.

    ``tls_context`` overrides the default (system trust store) context, e.g. to trust a
    private CA.
    """

    host: str = ""
    port: int = 587
    security: Security = "starttls"
    username: str = ""
    password: str = field(default="", repr=False)
    sender: str = "Docket <docket@localhost>"
    timeout: float = 30.0
    tls_context: ssl.SSLContext | None = None


def _sender_domain(sender: str) -> str:
    _, address = parseaddr(sender)
    return address.rpartition("@")[2] or "docket.invalid"


def message_id_for(key: str, sender: str) -> str:
    """A Message-ID derived from the notification key: a retried send carries the same one."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"<docket.{digest}@{_sender_domain(sender)}>"


def build_message(
    notification: Notification, message: RenderedMessage, *, sender: str
) -> EmailMessage:
    """A multipart/alternative message (plain text first, then HTML) or a plain-text one."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = notification.recipient_email
    mail["Subject"] = message.subject
    mail["Date"] = format_datetime(notification.due_at)
    mail["Message-ID"] = message_id_for(str(notification.key), sender)
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    mail["X-Docket-Kind"] = notification.kind
    mail.set_content(message.text)
    if message.html is not None:
        mail.add_alternative(message.html, subtype="html")
    # after the parts: stays on the whole message; a language tag (RFC 3282), pt_BR -> pt-BR
    mail["Content-Language"] = notification.locale.replace("_", "-")
    return mail


def _refused(exc: aiosmtplib.SMTPResponseException) -> DeliveryError:
    return DeliveryError(f"SMTP {exc.code}: {exc.message}", retryable=exc.code < _PERMANENT)


class EmailChannel:
    """Send notifications as e-mail; without an SMTP host, keep them in the outbox table."""

    name = "email"

    def __init__(self, config: SmtpConfig, *, clock: Clock) -> None:
        """Bind the SMTP configuration and the clock that dates outbox rows."""
        self.config = config
        self.clock = clock

    async def send(self, notification: Notification, message: RenderedMessage) -> None:
        """Hand the message to the SMTP server (or keep it in the outbox).

        Raises:
            DeliveryError: retryable on connection problems, timeouts and 4xx replies; not
                retryable on 5xx replies (rejected recipient, failed login), a server that
                lacks a required extension (STARTTLS, AUTH), or an address that cannot be
                put in a header.
        """
        try:
            mail = build_message(notification, message, sender=self.config.sender)
        except ValueError as exc:  # e.g. a line break in the recipient address
            raise DeliveryError(f"cannot build the message: {exc}", retryable=False) from exc
        if not self.config.host:
            await mail_outbox.keep_mail(
                notification_key=str(notification.key),
                kind=notification.kind,
                recipient=notification.recipient_email,
                subject=message.subject,
                body_text=message.text,
                body_html=message.html,
                message_id=str(mail["Message-ID"]),
                raw_message=mail.as_string(),
                now=self.clock.now(),
            )
            return
        await self._smtp(mail)

    async def _smtp(self, mail: EmailMessage) -> None:
        config = self.config
        try:
            await aiosmtplib.send(
                mail,
                hostname=config.host,
                port=config.port,
                username=config.username or None,
                password=config.password if config.username else None,
                use_tls=config.security == "ssl",
                start_tls=config.security == "starttls",
                timeout=config.timeout,
                tls_context=config.tls_context,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [r.code for r in exc.recipients]
            permanent = any(code >= _PERMANENT for code in codes)
            raise DeliveryError(
                f"SMTP refused the recipient ({', '.join(map(str, codes))})",
                retryable=not permanent,
            ) from exc
        except aiosmtplib.SMTPResponseException as exc:
            if exc.code < _TRANSIENT:  # e.g. a garbled reply: try again later
                raise DeliveryError(f"SMTP {exc.code}: {exc.message}") from exc
            raise _refused(exc) from exc
        except aiosmtplib.SMTPNotSupported as exc:
            raise DeliveryError(f"SMTP server: {exc.message}", retryable=False) from exc
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            # refused or dropped connections, timeouts, TLS handshake failures
            raise DeliveryError(f"SMTP unreachable: {type(exc).__name__}: {exc}") from exc
