"""Which reminders are due (pure): offsets, due, overdue days, escalation, missed windows."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.notifications.reminders import (
    PRESERVATION_OFFSETS,
    RequestDeadlines,
    Window,
    deadline_windows,
    due_reminders,
    format_offset,
    is_spike,
    latest_daily,
    parse_offset,
)

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
DUE = T0 + timedelta(days=30)
D, H = timedelta(days=1), timedelta(hours=1)
OFFSETS = (7 * D, 3 * D, D, 4 * H)
ESCALATE = 24 * H


def request(**changes: object) -> RequestDeadlines:
    values: dict[str, object] = {
        "request_id": uuid.UUID(int=1),
        "not_before": T0,
        "due_at": DUE,
        "offsets": OFFSETS,
    }
    values.update(changes)
    return RequestDeadlines(**values)  # type: ignore[arg-type]


def due(since: datetime | None, now: datetime, **changes: object) -> list[tuple[str, str]]:
    found = due_reminders(request(**changes), since=since, now=now, escalate_after=ESCALATE)
    return [(r.kind, r.offset) for r in found]


@pytest.mark.parametrize(
    ("text", "offset"),
    [("7d", 7 * D), ("4h", 4 * H), ("30m", timedelta(minutes=30)), ("2w", 14 * D)],
)
def test_offsets_parse_and_format_back(text: str, offset: timedelta) -> None:
    assert parse_offset(text) == offset
    assert parse_offset(format_offset(offset)) == offset


@pytest.mark.parametrize("text", ["", "7", "d7", "0d", "-1d", "7 days", "366d", "1y"])
def test_bad_offsets_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"7d|365"):
        parse_offset(text)


def test_each_offset_then_the_deadline_then_each_overdue_day_fall_due_in_turn() -> None:
    assert due(T0, DUE - 7 * D - H) == []
    assert due(DUE - 7 * D - H, DUE - 7 * D) == [("request.reminder", "7d")]
    assert due(DUE - 3 * D - H, DUE - 3 * D + H) == [("request.reminder", "3d")]
    assert due(DUE - 4 * H, DUE) == [("request.due", "0")]
    assert due(DUE + D - H, DUE + D) == [("request.overdue", "+1d"), ("request.escalation", "+1d")]
    assert due(DUE + D, DUE + 2 * D) == [("request.overdue", "+2d")]
    assert due(DUE + 2 * D, DUE + 2 * D + H) == []


def test_a_missed_window_yields_only_the_most_recent_instant_of_each_series() -> None:
    assert due(T0, DUE - 2 * H) == [("request.reminder", "4h")]
    assert due(T0, DUE + 5 * D + H) == [("request.overdue", "+5d"), ("request.escalation", "+1d")]


def test_the_first_sweep_ever_sends_the_most_recent_instant_but_nothing_before_receipt() -> None:
    assert due(None, DUE - 5 * D) == [("request.reminder", "7d")]
    late = request(not_before=DUE - 2 * D)  # received after its 7-day reminder
    found = due_reminders(late, since=None, now=DUE - 2 * D + H, escalate_after=ESCALATE)
    assert found == []


def test_acknowledgement_extension_notice_and_nondisclosure_have_their_own_series() -> None:
    ack, notice, ends = T0 + 3 * D, T0 + 20 * D, T0 + 10 * D
    changes = {
        "acknowledgement_due_at": ack,
        "extension_notice_due_at": notice,
        "nondisclosure_ends_at": ends,
    }
    assert due(ack - H, ack, **changes) == [("request.ack_due", "0")]
    assert due(notice - 3 * D - H, notice - 3 * D, **changes) == [
        ("request.extension_notice_due", "3d")
    ]
    assert due(ends - H, ends, **changes) == [("request.nondisclosure_ends", "0")]


def test_an_extension_notice_due_with_the_deadline_is_said_by_the_deadline_series() -> None:
    assert due(DUE - H, DUE, extension_notice_due_at=DUE) == [("request.due", "0")]


def test_a_preservation_warns_of_its_expiry_at_its_offsets() -> None:
    found = due(DUE - 14 * D - H, DUE - 14 * D, offsets=PRESERVATION_OFFSETS, preservation=True)
    assert found == [("hold.preservation_expiry", "14d")]


def test_a_stopped_clock_has_no_deadline_series() -> None:
    assert due(T0, DUE + 3 * D, due_at=None) == []


def test_windows_cover_each_offset_and_merge_overlaps() -> None:
    windows = deadline_windows([D, 25 * H], since=T0, now=T0 + 2 * H, escalate_after=ESCALATE)
    assert windows == [
        Window(T0 - ESCALATE, T0 + 2 * H - ESCALATE),
        Window(T0, T0 + 2 * H),
        Window(T0 + D, T0 + 25 * H + 2 * H),
    ]
    assert deadline_windows([D], since=None, now=T0, escalate_after=ESCALATE) == [
        Window(None, T0 + D)
    ]


def test_the_daily_instant_is_today_at_the_hour_once_it_has_passed() -> None:
    assert latest_daily(T0, 7) == T0.replace(hour=7, minute=0)
    assert latest_daily(T0, 10) == T0.replace(hour=10, minute=0) - D


@pytest.mark.parametrize(
    ("week", "trailing", "spike"),
    [(1, 0, False), (4, 0, False), (5, 0, True), (12, 32, False), (13, 32, True)],
)
def test_a_spike_needs_the_minimum_and_more_than_the_factor(
    week: int, trailing: int, spike: bool
) -> None:
    assert is_spike(week, trailing, factor=3.0, min_count=5) is spike


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=60 * 24 * 10), min_size=1, max_size=30),
    st.integers(min_value=0, max_value=60 * 24 * 40),
)
def test_any_sequence_of_sweeps_sends_no_instant_twice_and_never_misses_the_latest(
    gaps: list[int], start: int
) -> None:
    now = T0 + timedelta(minutes=start)
    since: datetime | None = now
    sent: list[tuple[str, datetime]] = []
    for gap in gaps:
        now += timedelta(minutes=gap)
        found = due_reminders(request(), since=since, now=now, escalate_after=ESCALATE)
        assert len(found) <= 2  # the main series and the escalation
        sent += [(r.kind, r.due_at) for r in found]
        since = now
    assert len(sent) == len(set(sent))
    assert all(T0 <= at <= now for _, at in sent)
    latest = due_reminders(request(), since=None, now=now, escalate_after=ESCALATE)
    start_at = T0 + timedelta(minutes=start)
    for r in latest:
        if r.due_at > start_at:
            assert (r.kind, r.due_at) in sent
