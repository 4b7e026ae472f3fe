"""The sweep claims, sends and marks in batches: each notification still once, audited once."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from domain import deadlines
from domain.notifications import ledger as notifications
from domain.notifications.model import DeliveryKey, DeliveryState
from domain.requests.model import RegulatoryRequest
from scheduler import sweep
from scheduler.channels.base import DeliveryError, Notification, RenderedMessage, SendOutcome
from scheduler.channels.inbox import InboxChannel
from tests.conftest import T0, FixedClock
from tests.scheduler.sweep_support import (
    Cast,
    cast,
    given_request,
    inbox_kinds,
    kinds,
    sent_entries,
    sweep_at,
)

pytestmark = pytest.mark.usefixtures("db")


@dataclass
class FlakyInbox:
    """An inbox that refuses some recipients, or fails whole batches (a database outage)."""

    refuse: frozenset[str] = frozenset()
    outage: bool = False
    name: str = "inbox"
    handed: list[DeliveryKey] = field(default_factory=list)

    async def send(self, notification: Notification, message: RenderedMessage) -> None:
        raise AssertionError("the sweep hands an inbox its messages a batch at a time")

    async def send_many(
        self, items: Sequence[tuple[Notification, RenderedMessage]]
    ) -> list[SendOutcome]:
        if self.outage:
            raise ConnectionError("database gone")
        outcomes: list[SendOutcome] = []
        for n, _ in items:
            if n.recipient_email in self.refuse:
                outcomes.append(DeliveryError("refused", retryable=False))
            else:
                self.handed.append(n.key)
                outcomes.append(None)
        return outcomes


async def overdue_requests(
    rulebook: deadlines.RuleBook, count: int
) -> tuple[Cast, list[RegulatoryRequest]]:
    people = await cast()
    regs = [await given_request(rulebook, assignee=people.assignee) for _ in range(count)]
    await sweep_at(T0, rulebook)
    return people, regs


async def test_a_sweep_of_several_batches_sends_each_notification_once_with_one_entry_each(
    rulebook: deadlines.RuleBook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sweep, "BATCH", 3)
    _, regs = await overdue_requests(rulebook, 5)
    due = regs[0].due_at
    assert due is not None
    at = due + 2 * timedelta(days=1)  # the overdue notice and the escalation of each
    report = await sweep_at(at, rulebook)
    assert (report.sent, report.failed) == (10, 0)
    assert sorted(kinds(report)) == ["request.escalation"] * 5 + ["request.overdue"] * 5
    assert len(set(report.lines)) == 10  # ten different notifications
    assert len(await sent_entries()) == 10
    again = await sweep_at(at, rulebook, worker_id="another")
    assert (again.sent, kinds(again)) == (0, [])
    assert len(await sent_entries()) == 10


async def test_a_refused_recipient_fails_alone_and_the_rest_of_its_batch_is_sent(
    rulebook: deadlines.RuleBook,
) -> None:
    _, regs = await overdue_requests(rulebook, 2)
    due = regs[0].due_at
    assert due is not None
    inbox = FlakyInbox(refuse=frozenset({"legal@docket.example"}))
    report = await sweep_at(due + 2 * timedelta(days=1), rulebook, inbox)
    assert (report.sent, report.failed) == (2, 2)
    assert {k.kind for k in inbox.handed} == {"request.overdue"}
    assert [e["kind"] for e in await sent_entries()] == ["request.overdue"] * 2
    failed = [ln for ln in report.lines if ln.startswith("failed")]
    assert len(failed) == 2
    assert all("request.escalation" in ln and ln.endswith(": refused") for ln in failed)
    states = await notifications.delivery_states(inbox.handed)
    assert {s.state for s in states.values()} == {DeliveryState.SENT}


async def test_a_batch_that_cannot_be_handed_over_is_retried_and_then_sent_once(
    rulebook: deadlines.RuleBook,
) -> None:
    people, regs = await overdue_requests(rulebook, 2)
    due = regs[0].due_at
    assert due is not None
    at = due + 2 * timedelta(days=1)
    down = await sweep_at(at, rulebook, FlakyInbox(outage=True))
    assert (down.sent, down.failed) == (0, 4)
    assert all(ln.startswith("retrying") for ln in down.lines)
    assert await sent_entries() == []
    later = at + timedelta(minutes=2)  # past the first backoff
    back = await sweep_at(later, rulebook, InboxChannel(clock=FixedClock(later)))
    assert (back.sent, back.failed) == (4, 0)
    assert await inbox_kinds(people.assignee) == ["request.overdue"] * 2
    assert await inbox_kinds(people.lawyer) == ["request.escalation"] * 2
    assert len(await sent_entries()) == 4
    again = await sweep_at(later + timedelta(hours=1), rulebook)
    assert again.sent == 0


@dataclass
class DyingMailer:
    """An e-mail channel whose worker is killed while it sends the second message."""

    name: str = "email"
    handed: list[DeliveryKey] = field(default_factory=list)

    async def send(self, notification: Notification, message: RenderedMessage) -> None:
        if self.handed:
            raise asyncio.CancelledError
        self.handed.append(notification.key)


async def test_a_mail_sent_before_its_worker_dies_is_already_marked_sent(
    rulebook: deadlines.RuleBook,
) -> None:
    _, regs = await overdue_requests(rulebook, 2)
    due = regs[0].due_at
    assert due is not None
    mailer = DyingMailer()
    with pytest.raises(asyncio.CancelledError):
        await sweep_at(due + 2 * timedelta(days=1), rulebook, mailer)
    states = await notifications.delivery_states(mailer.handed)
    assert [s.state for s in states.values()] == [DeliveryState.SENT]
    assert len(await sent_entries()) == 1  # not sent again when its batch's claims are retaken
