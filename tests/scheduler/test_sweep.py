"""The sweep on the real database, driven by a fake clock through a request's whole life."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from domain import deadlines
from domain.notifications import ledger as notifications
from domain.notifications import reminder_settings
from domain.notifications.model import DeliveryKey, DeliveryState, DeliveryStatus, NewDelivery
from scheduler.channels.inbox import InboxChannel
from tests.conftest import ROOT, T0, FixedClock
from tests.scheduler.sweep_support import (
    cast,
    given_request,
    inbox_kinds,
    inbox_texts,
    kinds,
    sent_entries,
    sweep_at,
)

pytestmark = pytest.mark.usefixtures("db")
H, D = timedelta(hours=1), timedelta(days=1)


async def test_a_request_is_reminded_at_each_offset_then_due_then_daily_overdue_and_escalated(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    reg = await given_request(rulebook, assignee=people.assignee)
    due = reg.due_at
    assert due is not None
    assert kinds(await sweep_at(T0, rulebook)) == []
    for moment in (due - 7 * D, due - 3 * D, due - D, due, due + D, due + 2 * D):
        report = await sweep_at(moment + timedelta(minutes=1), rulebook)
        assert report.failed == 0, report.lines
    assert await inbox_kinds(people.assignee) == [
        "request.reminder",
        "request.reminder",
        "request.reminder",
        "request.due",
        "request.overdue",
        "request.overdue",
    ]
    assert await inbox_kinds(people.lawyer) == ["request.escalation"]


async def test_a_sweep_between_instants_sends_nothing_and_a_rerun_sends_nothing_twice(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    reg = await given_request(rulebook, assignee=people.assignee)
    assert reg.due_at is not None
    await sweep_at(T0, rulebook)
    at = reg.due_at - 3 * D + timedelta(minutes=1)
    first = await sweep_at(at, rulebook)
    again = await sweep_at(at, rulebook)
    later = await sweep_at(at + H, rulebook)
    assert (kinds(first), kinds(again), kinds(later)) == (["request.reminder"], [], [])
    assert await inbox_kinds(people.assignee) == ["request.reminder"]


async def test_a_missed_window_sends_only_the_most_recent_reminder_once(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    reg = await given_request(rulebook, assignee=people.assignee)
    assert reg.due_at is not None
    await sweep_at(T0, rulebook)
    # down from before the 7-day reminder until 12 hours before the deadline
    report = await sweep_at(reg.due_at - 12 * H, rulebook)
    assert kinds(report) == ["request.reminder"]
    assert await inbox_kinds(people.assignee) == ["request.reminder"]
    assert any(reg.reference in text for text in await inbox_texts(people.assignee))
    assert kinds(await sweep_at(reg.due_at - 11 * H, rulebook)) == []


async def test_every_sent_notification_has_exactly_one_audit_entry_without_its_body(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    reg = await given_request(rulebook, assignee=people.assignee)
    assert reg.due_at is not None
    await sweep_at(T0, rulebook)
    total = 0
    for moment in (reg.due_at - 7 * D, reg.due_at, reg.due_at + 2 * D):
        total += len(kinds(await sweep_at(moment, rulebook)))
    entries = await sent_entries()
    assert len(entries) == total == 4  # reminder, due, overdue and the escalation
    assert {e["kind"] for e in entries} == {
        "request.reminder",
        "request.due",
        "request.overdue",
        "request.escalation",
    }
    for entry in entries:
        assert set(entry) == {"kind", "channel", "recipient", "due_at", "attempts", "subject"}
        assert entry["channel"] == "inbox"


async def test_the_audit_entry_of_a_sent_reminder_records_exactly_what_it_always_has(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    reg = await given_request(rulebook, assignee=people.assignee)
    assert reg.due_at is not None
    await sweep_at(T0, rulebook)
    await sweep_at(reg.due_at - 7 * D, rulebook)
    assert await sent_entries() == [
        {
            "kind": "request.reminder",
            "channel": "inbox",
            "recipient": "spec@docket.example",
            "due_at": "2026-03-26T22:59:59.999999+00:00",  # end of the local day, 7 days before
            "attempts": 1,
            "subject": f"[Docket] Reminder: {reg.reference} is due in 7 days",
        }
    ]
    assert reg.due_at - 7 * D == datetime.fromisoformat("2026-03-26T22:59:59.999999+00:00")


async def test_a_dry_run_lists_what_is_due_and_claims_and_sends_nothing(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    reg = await given_request(rulebook, assignee=people.assignee)
    assert reg.due_at is not None
    await sweep_at(T0, rulebook)
    at = reg.due_at - 7 * D
    dry = await sweep_at(at, rulebook, dry_run=True)
    assert kinds(dry) == ["request.reminder"]
    assert all(line.startswith("would send") for line in dry.lines)
    assert (dry.summary, dry.sent) == ("dry run: 1 would send, 0 already sent", 0)
    assert await inbox_kinds(people.assignee, "") == []
    assert await sent_entries("") == []
    real = await sweep_at(at, rulebook)
    assert kinds(real) == ["request.reminder"]
    dry_again = await sweep_at(at, rulebook, dry_run=True)
    assert kinds(dry_again) == []  # its window is swept


async def test_a_killed_workers_claim_is_retaken_after_its_lease_and_sent_once(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    reg = await given_request(rulebook, assignee=people.assignee)
    assert reg.due_at is not None
    await sweep_at(T0, rulebook)
    at = reg.due_at - 7 * D
    # a worker claimed it and died before sending: its claim is in the ledger, nothing was sent
    notification_key = f"request:{reg.id}|request.reminder|{(reg.due_at - 7 * D).isoformat()}"
    full_key = DeliveryKey.parse(f"{notification_key}|{people.assignee.email}|inbox")
    claimed = await notifications.claim(
        NewDelivery(
            key=full_key,
            subject_type="request",
            subject_id=str(reg.id),
            recipient=people.assignee.email,
            payload={
                "kind": "request.reminder",
                "subject_type": "request",
                "subject_id": str(reg.id),
                "due_at": (reg.due_at - 7 * D).isoformat(),
                "recipient_email": people.assignee.email,
                "recipient_user_id": str(people.assignee.id),
                "locale": "en",
                "context": {"reference": reg.reference, "due": reg.due_at.isoformat()},
                "hold_notice_id": None,
            },
        ),
        worker="dead-worker",
        now=at,
        lease=timedelta(minutes=5),
    )
    assert claimed
    catching_up = await sweep_at(at, rulebook, worker_id="other")  # its window: claim conflict
    assert (kinds(catching_up), catching_up.already_sent) == ([], 1)
    during = await sweep_at(at + timedelta(minutes=1), rulebook)
    assert kinds(during) == []
    after = await sweep_at(at + timedelta(minutes=6), rulebook)
    assert kinds(after) == ["request.reminder"]
    assert await inbox_kinds(people.assignee) == ["request.reminder"]
    sent = DeliveryStatus(DeliveryState.SENT, 2)
    assert await notifications.delivery_states([full_key]) == {full_key: sent}
    assert len(await sent_entries()) == 1


async def test_a_requests_own_offsets_replace_its_rules(rulebook: deadlines.RuleBook) -> None:
    people = await cast()
    reg = await given_request(rulebook, assignee=people.assignee)
    assert reg.due_at is not None
    await reminder_settings.set_offsets(reg.id, ["2d", "4h"], actor=ROOT, now=T0)
    await sweep_at(T0, rulebook)
    sent = 0
    for moment in (reg.due_at - 7 * D, reg.due_at - 3 * D, reg.due_at - 2 * D, reg.due_at - 4 * H):
        sent += len(kinds(await sweep_at(moment, rulebook)))
    assert sent == 2
    assert await inbox_kinds(people.assignee) == ["request.reminder", "request.reminder"]


async def test_an_unassigned_request_reminds_legal(rulebook: deadlines.RuleBook) -> None:
    people = await cast()
    reg = await given_request(rulebook, assignee=None)
    assert reg.due_at is not None
    await sweep_at(T0, rulebook)
    await sweep_at(reg.due_at, rulebook)
    assert await inbox_kinds(people.lawyer) == ["request.due"]
    assert await inbox_kinds(people.assignee) == []


async def test_the_inbox_channel_writes_a_message_once_per_key(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    reg = await given_request(rulebook, assignee=people.assignee)
    assert reg.due_at is not None
    channel = InboxChannel(clock=FixedClock(T0))
    await sweep_at(T0, rulebook)
    await sweep_at(reg.due_at, rulebook, channel)
    await sweep_at(reg.due_at, rulebook, channel, worker_id="again")
    assert await inbox_kinds(people.assignee) == ["request.due"]


async def test_an_unacknowledged_receipt_has_its_own_reminders(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    reg = await given_request(
        rulebook, assignee=people.assignee, rule_id="US-CA/ccpa.request-to-correct"
    )
    ack = reg.acknowledgement_due_at
    assert ack is not None
    assert reg.due_at is not None
    assert ack < reg.due_at
    await sweep_at(T0, rulebook)
    assert kinds(await sweep_at(ack, rulebook)) == ["request.ack_due"]
    assert await inbox_kinds(people.assignee) == ["request.ack_due"]
