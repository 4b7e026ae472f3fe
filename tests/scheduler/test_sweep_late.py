"""Requests logged late, or changed, get what fell due before the last sweep: once, no more."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from domain import deadlines
from domain.notifications import ledger
from domain.notifications.model import DeliveryKey
from domain.requests import authorities
from domain.requests import service as requests
from domain.requests.authorities import NewAuthority
from domain.requests.model import (
    AuthorityType,
    Channel,
    Instrument,
    RegulatoryRequest,
    RequestKind,
)
from domain.requests.service import NewRequest
from domain.requests.updates import update_request
from tests.conftest import ROOT, T0
from tests.scheduler.sweep_support import (
    GB_RIGHTS,
    cast,
    given_request,
    inbox_kinds,
    inbox_texts,
    kinds,
    sweep_at,
)

pytestmark = pytest.mark.usefixtures("db")
H, D = timedelta(hours=1), timedelta(days=1)
SWEPT = T0 + 60 * D
"""The last sweep before each request below is logged."""


async def _logged_late(
    book: deadlines.RuleBook, *, received_at: datetime, assignee_id: object
) -> RegulatoryRequest:
    """A request received at ``received_at`` and logged an hour after the last sweep."""
    authority = await authorities.create_authority(
        NewAuthority(name="Arcom", country="FR", type=AuthorityType.REGULATOR), actor=ROOT, now=T0
    )
    new = NewRequest(
        authority_id=authority.id,
        rule_id=GB_RIGHTS,
        received_at=received_at,
        channel=Channel.EMAIL,
        kind=RequestKind.USER_DATA,
        instrument=Instrument.INFORMATION_REQUEST,
        summary="Logged late",
        assignee=assignee_id,  # type: ignore[arg-type]
    )
    return await requests.log_request(book, new, actor=ROOT, now=SWEPT + H)


async def _swept_before(book: deadlines.RuleBook) -> None:
    await sweep_at(SWEPT - 10 * D, book)
    await sweep_at(SWEPT, book)


async def test_a_request_logged_already_overdue_is_alerted_by_the_next_sweep_once(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    await _swept_before(rulebook)
    reg = await _logged_late(rulebook, received_at=SWEPT - 45 * D, assignee_id=people.assignee.id)
    assert reg.due_at is not None
    assert reg.due_at + D < SWEPT  # its due, escalation and first overdue day lie before
    report = await sweep_at(SWEPT + 2 * H, rulebook)
    assert sorted(kinds(report)) == ["request.escalation", "request.overdue"]
    assert await inbox_kinds(people.lawyer) == ["request.escalation"]
    assert any(reg.reference in text for text in await inbox_texts(people.assignee))
    assert kinds(await sweep_at(SWEPT + 3 * H, rulebook)) == []
    again = await sweep_at(SWEPT + 3 * H, rulebook, worker_id="another")
    assert (kinds(again), again.already_sent) == ([], 0)


async def test_a_request_logged_after_a_reminder_offset_gets_that_reminder_now(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    await _swept_before(rulebook)
    reg = await _logged_late(rulebook, received_at=SWEPT - 27 * D, assignee_id=people.assignee.id)
    assert reg.due_at is not None
    assert reg.due_at - 7 * D < SWEPT < reg.due_at - 3 * D
    report = await sweep_at(SWEPT + 2 * H, rulebook)
    assert kinds(report) == ["request.reminder"]
    [text] = await inbox_texts(people.assignee)
    assert reg.reference in text
    key = DeliveryKey(
        subject=f"request:{reg.id}",
        kind="request.reminder",
        due_at=reg.due_at - 7 * D,
        recipient=people.assignee.email,
        channel="inbox",
    )
    assert set(await ledger.delivery_states([key])) == {key}  # the key every reminder has
    assert kinds(await sweep_at(reg.due_at - 3 * D, rulebook)) == ["request.reminder"]


async def test_an_alerted_request_changed_or_reassigned_is_not_alerted_again(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    reg = await given_request(rulebook, assignee=people.assignee)
    assert reg.due_at is not None
    await sweep_at(T0, rulebook)
    reminded = reg.due_at - 3 * D
    assert kinds(await sweep_at(reminded, rulebook)) == ["request.reminder"]
    edited = await update_request(
        rulebook,
        reg.id,
        expected_version=reg.version,
        changes={"summary": "Scope narrowed", "assignee": str(people.lawyer.id)},
        actor=ROOT,
        now=reminded + H,
    )
    report = await sweep_at(reminded + 2 * H, rulebook)
    assert (kinds(report), report.already_sent) == ([], 0)
    assert await inbox_kinds(people.lawyer) == []
    assert edited.assignee == people.lawyer.id
    assert kinds(await sweep_at(reg.due_at - D, rulebook)) == ["request.reminder"]
    assert await inbox_kinds(people.lawyer) == ["request.reminder"]


async def test_a_deadline_moved_before_the_last_sweep_is_alerted_by_the_next(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    reg = await given_request(rulebook, assignee=people.assignee)
    received = T0 - 10 * D
    moved = deadlines.preview_deadline(rulebook, GB_RIGHTS, received_at=received, actor=ROOT)
    assert moved.due_at is not None
    at = moved.due_at + 12 * H  # the new deadline lies before this sweep, the old one after
    await sweep_at(T0, rulebook)
    assert kinds(await sweep_at(at, rulebook)) == []
    await update_request(
        rulebook,
        reg.id,
        expected_version=reg.version,
        changes={"received_at": received.isoformat()},
        actor=ROOT,
        now=at + H,
    )
    assert kinds(await sweep_at(at + 2 * H, rulebook)) == ["request.due"]
    assert await inbox_kinds(people.assignee) == ["request.due"]
