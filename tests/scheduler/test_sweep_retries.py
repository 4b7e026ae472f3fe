"""SMTP down: the sweep goes on with the rest and retries later with backoff (real SMTP)."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from audit import store
from domain import deadlines
from domain.notifications import ledger as notifications
from domain.notifications.model import DeliveryKey, DeliveryState, DeliveryStatus
from scheduler.channels.email import EmailChannel, SmtpConfig
from scheduler.channels.inbox import InboxChannel
from scheduler.sweep_plan import SweepPolicy
from tests.conftest import T0, FixedClock
from tests.scheduler.sweep_support import POLICY, cast, given_request, inbox_kinds, kinds, sweep_at

pytestmark = pytest.mark.usefixtures("db")
MINUTE = timedelta(minutes=1)
RETRYING, SENT, FAILED = DeliveryState.RETRYING, DeliveryState.SENT, DeliveryState.FAILED


@dataclass
class Mailbox:
    received: list[bytes] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        self.received.append(envelope.content)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def test_smtp_down_the_sweep_goes_on_and_retries_with_backoff_until_it_is_back(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    reg = await given_request(rulebook, assignee=people.assignee)
    assert reg.due_at is not None
    port = free_port()  # nothing listens here yet: connection refused
    at = reg.due_at - timedelta(days=7)
    clock = FixedClock(at)
    email = EmailChannel(
        SmtpConfig(host="127.0.0.1", port=port, security="none", timeout=5), clock=clock
    )
    inbox = InboxChannel(clock=clock)
    await sweep_at(T0, rulebook, email, inbox)

    down = await sweep_at(at, rulebook, email, inbox)
    assert kinds(down) == ["request.reminder", "request.reminder"]  # one failed, one in the inbox
    assert (down.sent, down.failed) == (1, 1)
    assert await inbox_kinds(people.assignee) == ["request.reminder"]
    key = next(k for k in await _keys() if k.channel == "email")
    assert await notifications.delivery_states([key]) == {key: DeliveryStatus(RETRYING, 1)}

    assert kinds(await sweep_at(at + 30 * timedelta(seconds=1), rulebook, email, inbox)) == []
    again = await sweep_at(at + 2 * MINUTE, rulebook, email, inbox)  # backoff(0) = 1 minute
    assert (again.sent, again.failed) == (0, 1)
    assert await notifications.delivery_states([key]) == {key: DeliveryStatus(RETRYING, 2)}
    assert kinds(await sweep_at(at + 3 * MINUTE, rulebook, email, inbox)) == []  # 2 min now

    mailbox = Mailbox()
    server = Controller(mailbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        back = await sweep_at(at + 5 * MINUTE, rulebook, email, inbox)
    finally:
        server.stop()
    assert (back.sent, back.failed) == (1, 0)
    assert len(mailbox.received) == 1
    assert reg.reference.encode() in mailbox.received[0]
    assert await notifications.delivery_states([key]) == {key: DeliveryStatus(SENT, 3)}


async def test_a_delivery_that_keeps_failing_ends_failed_and_is_audited(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    reg = await given_request(rulebook, assignee=people.assignee)
    assert reg.due_at is not None
    at = reg.due_at - timedelta(days=7)
    email = EmailChannel(
        SmtpConfig(host="127.0.0.1", port=free_port(), security="none", timeout=5),
        clock=FixedClock(at),
    )
    policy = SweepPolicy(base_url=POLICY.base_url, max_attempts=2)
    await sweep_at(T0, rulebook, email, policy=policy)
    first = await sweep_at(at, rulebook, email, policy=policy)
    second = await sweep_at(at + 2 * MINUTE, rulebook, email, policy=policy)
    assert (first.failed, second.failed) == (1, 1)
    assert second.lines[0].startswith("failed")
    [key] = await _keys()
    assert await notifications.delivery_states([key]) == {key: DeliveryStatus(FAILED, 2)}
    assert kinds(await sweep_at(at + timedelta(days=1), rulebook, email, policy=policy)) == []
    [failed] = await _failed_entries()
    assert str(failed.pop("error")).startswith("SMTP unreachable: ")
    assert failed == {
        "kind": "request.reminder",
        "channel": "email",
        "recipient": people.assignee.email,
        "due_at": at.isoformat(),
        "attempts": 2,
    }


async def _failed_entries() -> list[dict[str, object]]:
    found = []
    for entry in await store.entries(limit=1000):
        if entry.action == "notification.failed":
            record = await store.changes_for(entry.index)
            assert record is not None
            change = record.change()
            assert isinstance(change, dict)
            after = change["after"]
            assert isinstance(after, dict)
            found.append(dict(after))
    return found


async def _keys() -> list[DeliveryKey]:
    from domain.notifications.tables import DeliveryTable

    rows = await DeliveryTable.select(DeliveryTable.key).where(
        DeliveryTable.kind == "request.reminder"
    )
    return [DeliveryKey.parse(str(r["key"])) for r in rows]
