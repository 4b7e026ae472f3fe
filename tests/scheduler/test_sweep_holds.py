"""A legal hold's life through the sweep: notice, reminders, escalation, acknowledgement, release.

E-mail goes through the real EmailChannel into the mail outbox (no SMTP host configured).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain import deadlines
from domain.holds import notices as hold_notices
from domain.holds import service as holds
from domain.holds.model import Custodian
from domain.holds.service import NewHold
from domain.notifications import outbox as mail_outbox
from scheduler.channels.email import EmailChannel, SmtpConfig
from scheduler.channels.inbox import InboxChannel
from scheduler.sweep_plan import SweepPolicy
from tests.conftest import ROOT, T0, FixedClock
from tests.scheduler.sweep_support import kinds, sent_entries, sweep_at

pytestmark = pytest.mark.usefixtures("db")
D = timedelta(days=1)
KEY = b"k" * 32
POLICY = SweepPolicy(base_url="http://docket.test", ack_key=KEY)
JANE = Custodian(email="jane@example.com", name="Jane Roe", manager_email="boss@example.com")


async def _outbox() -> list[tuple[str, str, str]]:
    page = await mail_outbox.list_outbox(actor=ROOT, limit=200)
    return sorted((m.kind, m.recipient, m.body_text) for m in page.items)


async def test_a_hold_notice_is_delivered_once_then_reminders_and_escalation_follow(
    rulebook: deadlines.RuleBook,
) -> None:
    draft = await holds.create_hold(
        NewHold(matter="MAT-1", title="Preserve", custodians=(JANE,), notice_text="Keep all."),
        actor=ROOT,
        now=T0,
    )
    await holds.issue_hold(draft.id, expected_version=1, actor=ROOT, now=T0)
    clock = FixedClock(T0)
    channels = (EmailChannel(SmtpConfig(), clock=clock), InboxChannel(clock=clock))

    async def sweep(days: float) -> list[str]:
        clock.current = T0 + days * D
        report = await sweep_at(clock.current, rulebook, *channels, policy=POLICY)
        assert report.failed == 0, report.lines
        return kinds(report, "hold.")

    assert await sweep(0) == ["hold.notice"]
    assert await sweep(0) == []  # delivered: not due again
    assert await sweep(1) == []
    assert await sweep(3.01) == ["hold.reminder"]
    assert sorted(await sweep(7.01)) == ["hold.escalation", "hold.reminder"]
    assert await sweep(9.02) == []
    assert await sweep(10.02) == ["hold.reminder"]
    mails = await _outbox()
    assert [m[0] for m in mails if m[0] == "hold.notice"] == ["hold.notice"]
    notice = next(m for m in mails if m[0] == "hold.notice")
    assert notice[1] == "jane@example.com"
    assert "http://docket.test/ack/" in notice[2]
    assert [m[1] for m in mails if m[0] == "hold.escalation"] == ["boss@example.com"]
    held = await sent_entries("hold.")
    assert len(held) == len([m for m in mails if m[0].startswith("hold.")]) == 5
    assert {e["recipient"] for e in held} <= {"jane@example.com", "boss@example.com"}


async def test_a_released_hold_sends_a_release_notice_and_no_more_reminders(
    rulebook: deadlines.RuleBook,
) -> None:
    draft = await holds.create_hold(
        NewHold(matter="MAT-2", title="Preserve", custodians=(JANE,), notice_text="Keep all."),
        actor=ROOT,
        now=T0,
    )
    await holds.issue_hold(draft.id, expected_version=1, actor=ROOT, now=T0)
    clock = FixedClock(T0)
    channels = (EmailChannel(SmtpConfig(), clock=clock),)
    await sweep_at(T0, rulebook, *channels, policy=POLICY)
    await holds.release_hold(draft.id, expected_version=2, actor=ROOT, now=T0 + D)
    clock.current = T0 + D
    released = await sweep_at(T0 + D, rulebook, *channels, policy=POLICY)
    assert kinds(released, "hold.") == ["hold.release"]
    clock.current = T0 + 10 * D
    later = await sweep_at(T0 + 10 * D, rulebook, *channels, policy=POLICY)
    assert kinds(later, "hold.") == []
    pending = [
        n
        for n in await hold_notices.notices_of(draft.id, actor=ROOT)
        if n.delivered_at is None and n.cancelled_at is None
    ]
    assert pending == []
