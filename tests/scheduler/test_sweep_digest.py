"""The daily digest (once per user per day, at the hour) and the intake spike alert."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain import deadlines
from domain.notifications.tables import InboxMessageTable
from scheduler.sweep_plan import SweepPolicy
from tests.conftest import T0
from tests.scheduler.sweep_support import cast, given_request, inbox_kinds, kinds, sweep_at

pytestmark = pytest.mark.usefixtures("db")
D, H = timedelta(days=1), timedelta(hours=1)
POLICY = SweepPolicy(base_url="http://docket.test", digest_hour=7, spike_min_count=3)


async def test_each_user_gets_one_digest_a_day_of_what_is_due_in_the_next_week(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    reg = await given_request(rulebook, assignee=people.assignee)
    assert reg.due_at is not None
    await sweep_at(T0, rulebook, policy=POLICY)
    day = (reg.due_at - 5 * D).replace(hour=6, minute=0)
    # down for weeks: one digest for the missed days (yesterday's), not one per missed day
    assert kinds(await sweep_at(day, rulebook, policy=POLICY), "digest.") == ["digest.daily"]
    assert kinds(await sweep_at(day + H / 2, rulebook, policy=POLICY), "digest.") == []
    assert kinds(await sweep_at(day + 2 * H, rulebook, policy=POLICY), "digest.") == [
        "digest.daily"
    ]
    assert kinds(await sweep_at(day + 3 * H, rulebook, policy=POLICY), "digest.") == []
    assert kinds(await sweep_at(day + 26 * H, rulebook, policy=POLICY), "digest.") == [
        "digest.daily"
    ]
    assert await inbox_kinds(people.assignee, "digest.") == ["digest.daily"] * 3
    assert await inbox_kinds(people.lawyer, "digest.") == []  # nothing assigned to them
    rows = await InboxMessageTable.select(InboxMessageTable.text).where(
        (InboxMessageTable.user_id == people.assignee.id)
        & (InboxMessageTable.kind == "digest.daily")
    )
    assert all(reg.reference in str(r["text"]) for r in rows)


async def test_a_spike_from_one_jurisdiction_alerts_legal_once_a_day(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    # 8 quiet weeks with one request every other week, then 4 in the last week
    for week in range(1, 9, 2):
        await given_request(rulebook, assignee=None, received_at=T0 - week * 7 * D - 8 * D)
    monday = T0 - 5 * D
    for i in range(4):
        await given_request(rulebook, assignee=None, received_at=monday + i * H)
    start = T0.replace(hour=6, minute=0)
    await sweep_at(start, rulebook, policy=POLICY)
    report = await sweep_at(start + 2 * H, rulebook, policy=POLICY)
    alerts = kinds(report, "alert.")
    # each request gets its own authority here, so the jurisdiction (GB) is what spikes
    assert alerts == ["alert.spike"]
    assert "jurisdiction:GB" in report.lines[-1]
    # the first sweep caught up on yesterday's check (the spike had begun), this is today's
    assert await inbox_kinds(people.lawyer, "alert.") == ["alert.spike", "alert.spike"]
    assert kinds(await sweep_at(start + 3 * H, rulebook, policy=POLICY), "alert.") == []


async def test_a_single_new_request_is_no_spike(rulebook: deadlines.RuleBook) -> None:
    await cast()
    await given_request(rulebook, assignee=None, received_at=T0 - D)
    start = T0.replace(hour=6, minute=0)
    await sweep_at(start, rulebook, policy=POLICY)
    assert kinds(await sweep_at(start + 2 * H, rulebook, policy=POLICY), "alert.") == []
