"""UK GDPR rights requests, counted by the ICO's published method; breach notification."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jurisdictions import MissingEventError, RuleBook, compute_deadline

RIGHTS = "GB/uk-gdpr.rights-request"
LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("received", "subdivision", "due_on"),
    [
        pytest.param(
            "2025-09-03T10:00", "ENG", date(2025, 10, 3), id="ICO-time-limits: 3 Sep -> 3 Oct"
        ),
        pytest.param(
            "2026-03-31T10:00", "ENG", date(2026, 4, 30), id="ICO-time-limits: 31 Mar -> 30 Apr"
        ),
        pytest.param(
            "2023-11-25T10:00",
            "ENG",
            date(2023, 12, 27),
            id="ICO-time-limits: 25 Nov -> 27 Dec over Christmas and Boxing Day",
        ),
        pytest.param("2025-01-31T10:00", "ENG", date(2025, 2, 28), id="ICO: 31 Jan -> 28 Feb"),
        pytest.param(
            "2024-01-31T10:00", "ENG", date(2024, 2, 29), id="ICO: 31 Jan -> 29 Feb leap year"
        ),
        pytest.param(
            "2024-02-29T10:00",
            "ENG",
            date(2024, 4, 2),
            id="ICO: 29 Feb 2024 -> 29 Mar Good Friday -> Easter Monday -> 2 Apr",
        ),
        pytest.param(
            "2026-04-24T17:30",
            "ENG",
            date(2026, 5, 26),
            id="ICO: Friday receipt, end on Sunday before spring bank holiday -> Tuesday",
        ),
        pytest.param(
            "2026-03-06T10:00", "ENG", date(2026, 4, 7), id="ENG: Easter Monday is a bank holiday"
        ),
        pytest.param("2026-03-06T10:00", "SCT", date(2026, 4, 6), id="SCT: Easter Monday is not"),
        pytest.param("2026-02-17T10:00", "NIR", date(2026, 3, 18), id="NIR: St Patrick's Day"),
        pytest.param("2026-02-17T10:00", "WLS", date(2026, 3, 17), id="WLS: no St Patrick's Day"),
    ],
)
def test_rights_requests_are_due_on_the_icos_dates(due, received, subdivision, due_on) -> None:
    deadline = due(RIGHTS, received, subdivision=subdivision)
    assert deadline.due_date == due_on


def test_a_request_received_on_3_september_is_due_at_the_end_of_3_october_london_time(due) -> None:
    deadline = due(RIGHTS, "2025-09-03T10:00")
    assert deadline.due_at == datetime(2025, 10, 3, 23, 59, 59, 999999, tzinfo=LONDON)
    assert deadline.due_at.tzinfo is UTC


def test_a_request_received_on_31_january_is_due_on_28_february(due) -> None:
    assert due(RIGHTS, "2025-01-31T09:00").due_date == date(2025, 2, 28)


def test_the_extension_is_three_months_from_the_original_start(due) -> None:
    deadline = due(RIGHTS, "2025-01-31T09:00")
    assert deadline.extended_due_date == date(2025, 4, 30)
    assert deadline.extension_notice_due_at == deadline.due_at


def test_the_clock_starts_on_the_later_receipt_of_identity_information(due) -> None:
    verified = datetime(2025, 9, 10, 15, 0, tzinfo=LONDON)
    deadline = due(RIGHTS, "2025-09-03T10:00", events={"identity_verified": verified})
    assert deadline.clock_started_at == verified
    assert deadline.due_date == date(2025, 10, 10)


def test_identity_information_received_before_the_request_does_not_move_the_start(due) -> None:
    early = datetime(2025, 9, 1, 9, 0, tzinfo=LONDON)
    deadline = due(RIGHTS, "2025-09-03T10:00", events={"fee_received": early})
    assert deadline.due_date == date(2025, 10, 3)


def test_a_clock_stop_leaves_out_every_day_from_request_to_reply_both_included(due) -> None:
    asked, answered = (
        datetime(2026, 2, 10, 9, tzinfo=LONDON),
        datetime(2026, 2, 17, 16, tzinfo=LONDON),
    )
    deadline = due(RIGHTS, "2026-02-02T10:00", pauses=[(asked, answered)])
    assert deadline.due_date == date(2026, 3, 2) + timedelta(days=8)
    assert "8 days" in deadline.steps[3].text


def test_an_open_clock_stop_counts_its_first_day_and_is_reported(due) -> None:
    asked = datetime(2026, 2, 10, 9, tzinfo=LONDON)
    deadline = due(RIGHTS, "2026-02-02T10:00", pauses=[(asked, None)])
    assert deadline.due_date == date(2026, 3, 3)
    assert deadline.clock_stopped_since == asked


def test_a_receipt_just_after_midnight_local_time_counts_from_the_local_date(
    book: RuleBook,
) -> None:
    received_at = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)  # 00:30 BST on 1 April
    deadline = compute_deadline(book.rule(RIGHTS), received_at)
    assert deadline.due_date == date(2026, 5, 1)


def test_the_steps_name_the_ico_method_and_the_roll_forward(due) -> None:
    steps = due(RIGHTS, "2023-11-25T10:00").steps
    assert steps[0].text.startswith("received Sat 25 Nov 2023 10:00 (Europe/London")
    assert "corresponding calendar date" in steps[1].text
    assert "Christmas Day" in steps[3].text
    assert "Wed 27 Dec 2023" in steps[3].text
    assert steps[3].citation.startswith("ICO")


def test_breach_notification_is_72_hours_after_awareness_across_the_bst_change(due) -> None:
    aware = datetime(2026, 3, 28, 12, 0, tzinfo=LONDON)  # GMT; BST starts 29 March
    deadline = due("GB/uk-gdpr.breach-notification", "2026-03-28T09:00", events={"aware": aware})
    assert deadline.due_at - aware == timedelta(hours=72)
    assert deadline.due_at.astimezone(LONDON).hour == 13


def test_breach_notification_without_an_awareness_time_is_rejected(due) -> None:
    with pytest.raises(MissingEventError) as caught:
        due("GB/uk-gdpr.breach-notification", "2026-03-28T09:00")
    assert caught.value.event == "aware"
    assert caught.value.rule_id == "GB/uk-gdpr.breach-notification"
