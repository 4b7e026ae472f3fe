"""Signed webhooks against a real HTTP receiver on loopback; every attempt in the delivery log."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.notifications import outbox as mail_outbox
from domain.notifications.model import DeliveryKey
from domain.shared.model import Role
from scheduler.channels.base import BACKOFF_CAP, DeliveryError, Notification, backoff
from scheduler.channels.webhook import WebhookChannel
from scheduler.messages import render_message
from tests.api.helpers import assert_problem, bearer
from tests.conftest import ROOT, T0, FixedClock

SECRET = "webhook-shared-secret-0123456789abcdef"
DUE = datetime(2026, 3, 12, 16, 0, tzinfo=UTC)
STATUS_TEXT = {
    200: "OK",
    204: "No Content",
    401: "Unauthorized",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


KEY = "request:r1|request.due|2026-03-12T16:00:00+00:00|a@x|webhook"


def notification(key: str = KEY) -> Notification:
    return Notification(
        key=DeliveryKey.parse(key),
        kind="request.due",
        subject_type="request",
        subject_id="r1",
        due_at=DUE,
        recipient_email="specialist@docket.example",
        recipient_user_id=None,
        locale="en",
        context={"reference": "REQ-2026-000001", "due": DUE.isoformat(), "title": "Order"},
    )


@dataclass
class Receiver:
    """A tiny HTTP/1.1 server: verifies the signature, answers the scripted statuses in turn."""

    statuses: list[int] = field(default_factory=list)
    seen: list[dict[str, Any]] = field(default_factory=list)
    port: int = 0
    hang: bool = False

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {
            k.strip().lower(): v.strip() for k, v in (x.split(":", 1) for x in lines[1:] if x)
        }
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        if self.hang:  # never answer: wait until the client gives up and closes
            await reader.read()
            writer.close()
            return
        timestamp = headers.get("x-docket-timestamp", "")
        expected = (
            "sha256="
            + hmac.new(
                SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256
            ).hexdigest()
        )
        valid = hmac.compare_digest(expected, headers.get("x-docket-signature", ""))
        self.seen.append(
            {"method": method, "path": path, "headers": headers, "body": body, "valid": valid}
        )
        status = (self.statuses.pop(0) if self.statuses else 200) if valid else 401
        writer.write(
            f"HTTP/1.1 {status} {STATUS_TEXT[status]}\r\nContent-Length: 0\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        await writer.drain()
        writer.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/docket"


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    r = Receiver()
    server = await asyncio.start_server(r.handle, "127.0.0.1", 0)
    r.port = server.sockets[0].getsockname()[1]
    try:
        yield r
    finally:
        server.close()


def hook(url: str, secret: str = SECRET, timeout: float = 5.0) -> WebhookChannel:
    return WebhookChannel(url, secret, clock=FixedClock(), timeout=timeout)


async def log() -> list[mail_outbox.WebhookAttempt]:
    return (await mail_outbox.list_webhook_deliveries(actor=ROOT, limit=200)).items


async def test_a_signed_delivery_is_verified_by_the_receiver_and_logged(
    db: str, receiver: Receiver
) -> None:
    n = notification()
    await hook(receiver.url).send(n, render_message(n))

    (request,) = receiver.seen
    assert request["valid"] is True
    assert request["method"] == "POST"
    assert request["path"] == "/hooks/docket"
    assert request["headers"]["x-docket-delivery"] == KEY
    assert request["headers"]["x-docket-timestamp"] == str(int(T0.timestamp()))
    assert request["headers"]["content-type"] == "application/json"
    payload = json.loads(request["body"])
    assert payload["kind"] == "request.due"
    assert payload["key"] == KEY
    assert payload["due_at"] == DUE.isoformat()
    assert payload["recipient"]["email"] == "specialist@docket.example"
    assert payload["subject"] == {"type": "request", "id": "r1", "title": render_message(n).subject}
    assert payload["context"]["reference"] == "REQ-2026-000001"

    (attempt,) = await log()
    assert (attempt.status_code, attempt.succeeded, attempt.error) == (200, True, "")
    assert attempt.url == receiver.url
    assert attempt.attempted_at == T0
    assert attempt.duration_ms >= 0


async def test_a_wrong_secret_is_refused_for_good(db: str, receiver: Receiver) -> None:
    n = notification()
    with pytest.raises(DeliveryError) as caught:
        await hook(receiver.url, secret="not-the-shared-secret").send(n, render_message(n))
    assert caught.value.retryable is False
    assert receiver.seen[0]["valid"] is False
    (attempt,) = await log()
    assert (attempt.status_code, attempt.succeeded, attempt.retryable) == (401, False, False)


async def test_a_500_is_retried_and_the_retry_carries_the_same_delivery_id(
    client: Any, receiver: Receiver
) -> None:
    receiver.statuses = [500, 200]
    n = notification()
    channel = hook(receiver.url)
    with pytest.raises(DeliveryError) as caught:
        await channel.send(n, render_message(n))
    assert caught.value.retryable is True
    await channel.send(n, render_message(n))

    assert [r["valid"] for r in receiver.seen] == [True, True]
    assert {r["headers"]["x-docket-delivery"] for r in receiver.seen} == {KEY}

    response = await client.get("/api/v1/webhook-deliveries", headers=await bearer(Role.ADMIN))
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert sorted((i["status_code"], i["succeeded"], i["retryable"]) for i in items) == [
        (200, True, False),
        (500, False, True),
    ]
    assert all(i["notification_key"] == KEY for i in items)
    assert "HTTP 500" in next(i["error"] for i in items if i["status_code"] == 500)
    for role in (Role.SPECIALIST, Role.LEGAL, Role.AUDITOR, Role.SYSTEM):
        denied = await client.get("/api/v1/webhook-deliveries", headers=await bearer(role))
        assert_problem(denied, 403, "permission-denied")


@pytest.mark.parametrize(("status", "retryable"), [(429, True), (404, False)])
async def test_4xx_is_permanent_except_429_and_408(
    db: str, receiver: Receiver, status: int, retryable: bool
) -> None:
    receiver.statuses = [status]
    n = notification()
    with pytest.raises(DeliveryError) as caught:
        await hook(receiver.url).send(n, render_message(n))
    assert caught.value.retryable is retryable
    (attempt,) = await log()
    assert attempt.status_code == status


async def test_an_unreachable_receiver_is_retryable_and_logged_without_a_status(db: str) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    n = notification()
    with pytest.raises(DeliveryError) as caught:
        await hook(f"http://127.0.0.1:{port}/x").send(n, render_message(n))
    assert caught.value.retryable is True
    (attempt,) = await log()
    assert attempt.status_code is None
    assert "ConnectError" in attempt.error


async def test_a_receiver_that_does_not_answer_times_out_retryably(
    db: str, receiver: Receiver
) -> None:
    receiver.hang = True
    n = notification()
    with pytest.raises(DeliveryError) as caught:
        await hook(receiver.url, timeout=0.3).send(n, render_message(n))
    assert caught.value.retryable is True
    (attempt,) = await log()
    assert "Timeout" in attempt.error


def test_backoff_doubles_from_one_minute_and_stops_at_six_hours() -> None:
    assert [backoff(i) for i in range(4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert backoff(8) == timedelta(minutes=256)
    assert backoff(9) == BACKOFF_CAP == timedelta(hours=6)
    assert backoff(10_000) == BACKOFF_CAP
    with pytest.raises(ValueError, match="attempt"):
        backoff(-1)
