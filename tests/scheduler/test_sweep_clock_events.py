"""Reminders follow the clock: an order's date once the authority sets it, and a recorded event."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain import deadlines
from domain.requests.updates import record_clock_events, update_request
from tests.conftest import ROOT, T0
from tests.scheduler.sweep_support import cast, given_request, inbox_kinds, sweep_at

pytestmark = pytest.mark.usefixtures("db")
H = timedelta(hours=1)


async def test_an_order_is_reminded_once_the_authority_sets_its_date(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    reg = await given_request(rulebook, assignee=people.assignee, rule_id="EU/dsa.art9-order")
    assert reg.due_at is None
    await sweep_at(T0 + 30 * 24 * H, rulebook)
    assert await inbox_kinds(people.assignee) == []
    set_at = T0 + 60 * 24 * H
    await update_request(
        rulebook,
        reg.id,
        expected_version=1,
        changes={"due_set_by_authority": {"due_at": set_at.isoformat(), "source": "order 17"}},
        actor=ROOT,
        now=T0 + 30 * 24 * H,
    )
    await sweep_at(set_at + timedelta(minutes=1), rulebook)
    assert "request.due" in await inbox_kinds(people.assignee)


async def test_a_recorded_event_moves_the_reminders_with_the_deadline(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    aware = T0 - 2 * H
    reg = await given_request(
        rulebook,
        assignee=people.assignee,
        rule_id="DE/gdpr.breach-notification",
        events={"aware": aware},
    )
    assert reg.due_at == aware + 72 * H
    moved = await record_clock_events(
        rulebook,
        reg.id,
        expected_version=1,
        events={"aware": (T0 - 30 * H).isoformat()},
        actor=ROOT,
        now=T0,
    )
    assert moved.due_at == T0 + 42 * H
    # at the old deadline the request is overdue, not due: the sweep read the new one
    await sweep_at(moved.due_at + timedelta(minutes=1), rulebook)
    assert "request.due" in await inbox_kinds(people.assignee)
    assert "request.overdue" not in await inbox_kinds(people.assignee)
    await sweep_at(reg.due_at + timedelta(minutes=1), rulebook)
    assert "request.overdue" in await inbox_kinds(people.assignee)
