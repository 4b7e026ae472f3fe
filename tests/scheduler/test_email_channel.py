"""E-mail over a real SMTP conversation (aiosmtpd on loopback), and the outbox without SMTP."""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from domain.notifications.model import DeliveryKey
from domain.shared.model import Role
from scheduler.channels.base import DeliveryError, Notification
from scheduler.channels.email import EmailChannel, SmtpConfig, build_message, message_id_for
from scheduler.messages import render_message
from tests.api.helpers import assert_problem, bearer
from tests.conftest import T0, FixedClock

DUE = datetime(2026, 3, 12, 16, 0, tzinfo=UTC)
USER, PASS = "docket", "s3cret-smtp-password"


def notification(locale: str = "de", recipient: str = "a") -> Notification:
    key = DeliveryKey(
        subject="request:r1",
        kind="request.reminder",
        due_at=DUE - timedelta(days=3),
        recipient=recipient,
        channel="email",
    )
    return Notification(
        key=key,
        kind="request.reminder",
        subject_type="request",
        subject_id="r1",
        due_at=DUE - timedelta(days=3),
        recipient_email="specialist@docket.example",
        recipient_user_id=None,
        locale=locale,
        context={
            "reference": "REQ-2026-000001",
            "title": "Production order",
            "due": DUE.isoformat(),
            "link": "http://docket.test/requests/r1",
            "tz": "Europe/Berlin",
        },
    )


# ---------------------------------------------------------------- a real SMTP server
@dataclass
class Inbox:
    """aiosmtpd handler: keeps what arrives; refuses recipients at ``reject.example``."""

    received: list[tuple[Envelope, bytes]] = field(default_factory=list)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.endswith("@reject.example"):
            return "550 5.1.1 no such mailbox"
        if address.endswith("@busy.example"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        self.received.append((envelope, envelope.content))
        return "250 Message accepted"

    def only(self) -> EmailMessage:
        assert len(self.received) == 1
        parsed = message_from_bytes(self.received[0][1], policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


def authenticator(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and _text(auth_data.login) == USER
        and _text(auth_data.password) == PASS
    )
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass(frozen=True)
class Tls:
    server: ssl.SSLContext
    client: ssl.SSLContext


@pytest.fixture(scope="module")
def tls() -> Tls:
    """A self-signed certificate for 127.0.0.1, and a client context trusting only it."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime.now(UTC) - timedelta(days=1))
        .not_valid_after(datetime.now(UTC) + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    import tempfile
    from pathlib import Path

    directory = Path(tempfile.mkdtemp())
    (directory / "cert.pem").write_bytes(cert_pem)
    (directory / "key.pem").write_bytes(key_pem)
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(directory / "cert.pem", directory / "key.pem")
    client = ssl.create_default_context(cadata=cert_pem.decode())
    return Tls(server=server, client=client)


@pytest.fixture
def smtp_server(request: pytest.FixtureRequest) -> Iterator[tuple[Inbox, int]]:
    """An aiosmtpd server on a free loopback port; ``request.param`` are Controller kwargs."""
    inbox = Inbox()
    port = free_port()
    kwargs: dict[str, Any] = getattr(request, "param", {})
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def channel(port: int, **config: Any) -> EmailChannel:
    return EmailChannel(
        SmtpConfig(
            host="127.0.0.1",
            port=port,
            sender="Docket <docket@docket.example>",
            timeout=5,
            **config,
        ),
        clock=FixedClock(),
    )


# ---------------------------------------------------------------- plain
async def test_plain_smtp_delivers_a_multipart_message_with_a_localized_subject(
    smtp_server: tuple[Inbox, int],
) -> None:
    inbox, port = smtp_server
    n = notification("de")
    await channel(port, security="none").send(n, render_message(n))

    envelope, _ = inbox.received[0]
    assert envelope.mail_from == "docket@docket.example"
    assert envelope.rcpt_tos == ["specialist@docket.example"]
    mail = inbox.only()
    assert mail["Subject"] == "[Docket] Erinnerung: REQ-2026-000001 ist in 3 Tagen fällig"
    key = "request:r1|request.reminder|2026-03-09T16:00:00+00:00|a|email"
    assert mail["Message-ID"] == message_id_for(key, "docket@docket.example")
    assert mail["Date"].datetime == n.due_at
    assert mail["Content-Language"] == "de"
    assert mail.get_content_type() == "multipart/alternative"
    parts = list(mail.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    plain = parts[0].get_content()
    assert "Ersuchen REQ-2026-000001 ist fällig am 12. März 2026" in plain
    assert "http://docket.test/requests/r1" in plain
    assert "<p>Production order</p>" in parts[1].get_content()


async def test_the_same_notification_gets_the_same_message_id_and_another_one_does_not() -> None:
    a = message_id_for("k1", "Docket <docket@docket.example>")
    assert a == message_id_for("k1", "docket@docket.example")
    assert a != message_id_for("k2", "docket@docket.example")
    assert a.endswith("@docket.example>")


# ---------------------------------------------------------------- TLS
@pytest.fixture
def starttls_server(tls: Tls) -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=tls.server,
        require_starttls=True,
        authenticator=authenticator,
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


async def test_starttls_with_auth_delivers(starttls_server: tuple[Inbox, int], tls: Tls) -> None:
    inbox, port = starttls_server
    n = notification("fr")
    mailer = channel(
        port, security="starttls", tls_context=tls.client, username=USER, password=PASS
    )
    await mailer.send(n, render_message(n))
    assert inbox.only()["Subject"].startswith("[Docket] Rappel : REQ-2026-000001")


async def test_a_wrong_password_is_not_retried(
    starttls_server: tuple[Inbox, int], tls: Tls
) -> None:
    inbox, port = starttls_server
    mailer = channel(
        port, security="starttls", tls_context=tls.client, username=USER, password="wrong"
    )
    n = notification()
    with pytest.raises(DeliveryError) as caught:
        await mailer.send(n, render_message(n))
    assert caught.value.retryable is False
    assert "535" in str(caught.value)
    assert inbox.received == []


async def test_plain_text_to_a_server_that_requires_starttls_is_refused(
    starttls_server: tuple[Inbox, int],
) -> None:
    inbox, port = starttls_server
    n = notification()
    with pytest.raises(DeliveryError):
        await channel(port, security="none").send(n, render_message(n))
    assert inbox.received == []


async def test_an_untrusted_certificate_is_refused_and_retryable(
    starttls_server: tuple[Inbox, int],
) -> None:
    inbox, port = starttls_server  # the default context does not trust the self-signed cert
    n = notification()
    with pytest.raises(DeliveryError) as caught:
        await channel(port, security="starttls").send(n, render_message(n))
    assert caught.value.retryable is True
    assert inbox.received == []


async def test_implicit_tls_delivers(tls: Tls) -> None:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ssl_context=tls.server)
    controller.start()
    try:
        n = notification("en")
        await channel(port, security="ssl", tls_context=tls.client).send(n, render_message(n))
    finally:
        controller.stop()
    assert inbox.only()["Subject"] == "[Docket] Reminder: REQ-2026-000001 is due in 3 days"


# ---------------------------------------------------------------- failures
async def test_a_server_that_is_down_is_a_retryable_error() -> None:
    n = notification()
    with pytest.raises(DeliveryError) as caught:
        await channel(free_port(), security="none").send(n, render_message(n))
    assert caught.value.retryable is True


async def test_a_permanent_rejection_is_not_retried_and_a_transient_one_is(
    smtp_server: tuple[Inbox, int],
) -> None:
    inbox, port = smtp_server
    mailer = channel(port, security="none")
    for address, retryable in [("x@reject.example", False), ("x@busy.example", True)]:
        n = Notification(**{**_fields(notification()), "recipient_email": address})
        with pytest.raises(DeliveryError) as caught:
            await mailer.send(n, render_message(n))
        assert caught.value.retryable is retryable, address
    assert inbox.received == []


async def test_a_recipient_that_would_inject_headers_is_refused_for_good(
    smtp_server: tuple[Inbox, int],
) -> None:
    inbox, port = smtp_server
    n = Notification(**{**_fields(notification()), "recipient_email": "a@x.example\r\nBcc: b@y"})
    with pytest.raises(DeliveryError) as caught:
        await channel(port, security="none").send(n, render_message(n))
    assert caught.value.retryable is False
    assert inbox.received == []


def _fields(n: Notification) -> dict[str, Any]:
    return {name: getattr(n, name) for name in Notification.__slots__}


# ---------------------------------------------------------------- no SMTP: the outbox
async def test_without_an_smtp_host_mail_goes_to_the_outbox_that_only_admins_read(
    client: Any, clock: FixedClock
) -> None:
    outbox_channel = EmailChannel(SmtpConfig(host=""), clock=clock)
    first, second = notification("de", recipient="k-1"), notification("en", recipient="k-2")
    k1, k2 = str(first.key), str(second.key)
    await outbox_channel.send(first, render_message(first))
    clock.advance(minutes=1)
    await outbox_channel.send(second, render_message(second))
    await outbox_channel.send(second, render_message(second))  # a retry keeps one row

    response = await client.get("/api/v1/outbox", headers=await bearer(Role.ADMIN))
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [i["notification_key"] for i in items] == [k2, k1]  # newest first
    newest = items[0]
    assert newest["subject"] == "[Docket] Reminder: REQ-2026-000001 is due in 3 days"
    assert newest["recipient"] == "specialist@docket.example"
    assert newest["created_at"].startswith((T0 + timedelta(minutes=1)).isoformat()[:16])
    assert "Content-Type: multipart/alternative" in newest["raw_message"]
    assert "Erinnerung" in items[1]["subject"]

    page = await client.get("/api/v1/outbox?limit=1", headers=await bearer(Role.ADMIN))
    assert [i["notification_key"] for i in page.json()["items"]] == [k2]
    cursor = page.json()["next_cursor"]
    rest = await client.get(
        "/api/v1/outbox", params={"limit": 1, "cursor": cursor}, headers=await bearer(Role.ADMIN)
    )
    assert [i["notification_key"] for i in rest.json()["items"]] == [k1]
    assert rest.json()["next_cursor"] is None

    for role in (Role.SPECIALIST, Role.LEGAL, Role.AUDITOR):
        denied = await client.get("/api/v1/outbox", headers=await bearer(role))
        assert_problem(denied, 403, "permission-denied")
    bad = await client.get("/api/v1/outbox?cursor=nope", headers=await bearer(Role.ADMIN))
    assert_problem(bad, 422, "invalid-field")


def test_the_language_of_a_mail_is_a_language_tag() -> None:
    n = notification("pt_BR")
    mail = build_message(n, render_message(n), sender="Docket <docket@docket.example>")
    assert mail["Content-Language"] == "pt-BR"
    assert mail["Subject"] == "[Docket] Lembrete: REQ-2026-000001 vence em 3 dias"
