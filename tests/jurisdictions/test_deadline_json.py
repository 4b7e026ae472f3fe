"""The JSON shape shared with the CLI and API, and the arithmetic options of the engine."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from jurisdictions import compute_deadline, load_rulebook
from jurisdictions.model import MissingDay
from jurisdictions.periods import add_months, duration_text


def test_to_json_has_exactly_the_agreed_keys_and_local_offsets(due) -> None:
    payload = due("GB/uk-gdpr.rights-request", "2025-09-03T10:00").to_json()
    assert list(payload) == [
        "rule",
        "received_at",
        "clock_started_at",
        "due_date",
        "due_at",
        "extended_due_date",
        "extended_due_at",
        "earliest_date",
        "earliest_at",
        "citation",
        "rule_version",
        "steps",
    ]
    assert payload["rule"] == "GB/uk-gdpr.rights-request"
    assert payload["received_at"] == "2025-09-03T10:00:00+01:00"
    assert payload["due_date"] == "2025-10-03"
    assert payload["due_at"] == "2025-10-03T23:59:59.999999+01:00"
    assert payload["extended_due_date"] == "2025-12-03"
    assert payload["extended_due_at"] == "2025-12-03T23:59:59.999999+00:00"
    steps = payload["steps"]
    assert isinstance(steps, list)
    assert set(steps[0]) == {"text", "citation"}


def test_to_json_gives_null_when_there_is_no_extension(due) -> None:
    payload = due("US-CA/ccpa.opt-out", "2026-02-02T10:00").to_json()
    assert payload["extended_due_date"] is None
    assert payload["extended_due_at"] is None


def test_reminders_fall_before_the_due_instant(due) -> None:
    deadline = due("DE/gdpr.rights-request", "2026-05-04T10:00")
    assert deadline.reminders_at() == tuple(
        deadline.due_at - timedelta(days=days) for days in (7, 3, 1)
    )


@pytest.mark.parametrize(
    ("start", "months", "missing", "want"),
    [
        (date(2026, 1, 31), 1, MissingDay.LAST_DAY_OF_MONTH, (date(2026, 2, 28), True)),
        (date(2026, 1, 31), 1, MissingDay.FIRST_DAY_OF_NEXT_MONTH, (date(2026, 3, 1), True)),
        (date(2026, 11, 30), 3, MissingDay.LAST_DAY_OF_MONTH, (date(2027, 2, 28), True)),
        (date(2026, 12, 15), 1, MissingDay.LAST_DAY_OF_MONTH, (date(2027, 1, 15), False)),
    ],
)
def test_month_arithmetic_uses_the_corresponding_date(start, months, missing, want) -> None:
    assert add_months(start, months, missing) == want


def test_durations_are_written_in_hours_and_minutes() -> None:
    assert duration_text(timedelta(hours=3)) == "3 h"
    assert duration_text(timedelta(hours=3, minutes=20)) == "3 h 20 min"


PACK = """
[jurisdiction]
code = "XX"
name = "Testland"
holidays_country = "GB"
default_subdivision = "ENG"
default_tz = "Europe/London"

[[rule]]
slug = "{slug}"
title = "t"
citation = "c"
sources = ["https://example.org"]
specified_due = "later-if-given"
{body}
"""


def _rule(tmp_path: Path, slug: str, body: str):
    (tmp_path / "xx.toml").write_text(PACK.format(slug=slug, body=body))
    return load_rulebook(tmp_path).rule(f"XX/{slug}")


def test_beginning_with_counting_ends_a_month_the_day_before_the_date(tmp_path: Path) -> None:
    rule = _rule(
        tmp_path,
        "beginning-with",
        """
[rule.period]
amount = 1
unit = "months"
citation = "p"
[rule.clock]
day_counting = "include"
[rule.months]
missing_day = "first-day-of-next-month"
""",
    )
    received = datetime(2025, 9, 3, 9, tzinfo=UTC)
    assert compute_deadline(rule, received).due_date == date(2025, 10, 2)
    last = compute_deadline(rule, datetime(2026, 1, 31, 9, tzinfo=UTC))
    assert last.due_date == date(2026, 2, 28)


def test_a_month_with_no_corresponding_date_can_run_into_the_next(tmp_path: Path) -> None:
    rule = _rule(
        tmp_path,
        "next-day",
        """
[rule.period]
amount = 1
unit = "months"
citation = "p"
[rule.months]
missing_day = "first-day-of-next-month"
""",
    )
    deadline = compute_deadline(rule, datetime(2026, 1, 31, 9, tzinfo=UTC))
    assert deadline.due_date == date(2026, 3, 1)
    assert "first day of the next" in deadline.steps[2].text


def test_inclusive_day_and_business_day_counting(tmp_path: Path) -> None:
    days = _rule(
        tmp_path,
        "days",
        """
[rule.period]
amount = 10
unit = "calendar_days"
citation = "p"
[rule.clock]
day_counting = "include"
""",
    )
    assert compute_deadline(days, datetime(2026, 2, 2, 9, tzinfo=UTC)).due_date == date(2026, 2, 11)
    working = _rule(
        tmp_path,
        "working",
        """
[rule.period]
amount = 5
unit = "business_days"
citation = "p"
[rule.clock]
day_counting = "include"
[rule.extension]
amount = 5
counted_from = "first-due-date"
conditions = "asked"
citation = "e"
[rule.clock_stops]
allowed = true
citation = "s"
""",
    )
    monday = datetime(2026, 2, 2, 9, tzinfo=UTC)
    deadline = compute_deadline(working, monday)
    assert deadline.due_date == date(2026, 2, 6)
    assert deadline.extended_due_date == date(2026, 2, 13)
    saturday = datetime(2026, 1, 31, 9, tzinfo=UTC)
    assert compute_deadline(working, saturday).due_date == date(2026, 2, 6)
    paused = compute_deadline(
        working,
        monday,
        pauses=[(datetime(2026, 2, 3, tzinfo=UTC), datetime(2026, 2, 4, tzinfo=UTC))],
    )
    assert paused.due_date == date(2026, 2, 10)
    assert "2 working days" in paused.steps[3].text


def test_hour_periods_can_start_at_the_next_full_hour_and_stop(tmp_path: Path) -> None:
    rule = _rule(
        tmp_path,
        "hours",
        """
[rule.period]
amount = 24
unit = "hours"
citation = "p"
[rule.clock]
starts_on = "notified"
hour_counting = "next-full-hour"
[rule.extension]
amount = 24
counted_from = "original-start"
conditions = "asked"
notice = "none"
citation = "e"
[rule.clock_stops]
allowed = true
citation = "s"
""",
    )
    received = datetime(2026, 2, 2, 9, 40, tzinfo=UTC)
    plain = compute_deadline(rule, received)
    assert plain.due_at == datetime(2026, 2, 3, 10, tzinfo=UTC)
    assert plain.extended_due_at == datetime(2026, 2, 4, 10, tzinfo=UTC)
    assert plain.extension_notice_due_at is None
    assert "no 'notified' event given" in plain.steps[1].text
    notified = datetime(2026, 2, 2, 12, 5, tzinfo=UTC)
    pause = (datetime(2026, 2, 2, 14, tzinfo=UTC), datetime(2026, 2, 2, 16, 30, tzinfo=UTC))
    later = compute_deadline(rule, received, events={"notified": notified}, pauses=[pause])
    assert later.due_at == datetime(2026, 2, 3, 15, 30, tzinfo=UTC)
    assert later.extended_due_at == datetime(2026, 2, 4, 15, 30, tzinfo=UTC)
    first_due = datetime(2026, 2, 3, 10, tzinfo=UTC)
    assert compute_deadline(rule, received).due_at == first_due


def test_an_hour_extension_from_the_first_due_instant(tmp_path: Path) -> None:
    rule = _rule(
        tmp_path,
        "hours2",
        """
[rule.period]
amount = 36
unit = "hours"
citation = "p"
[rule.extension]
amount = 12
counted_from = "first-due-date"
conditions = "asked"
citation = "e"
""",
    )
    deadline = compute_deadline(rule, datetime(2026, 2, 2, 9, tzinfo=UTC))
    assert deadline.extended_due_at == datetime(2026, 2, 3, 21, 0, 0, tzinfo=UTC) + timedelta(
        hours=12
    )
    assert deadline.extension_notice_due_at == deadline.due_at
