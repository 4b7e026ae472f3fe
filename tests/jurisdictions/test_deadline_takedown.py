"""Takedown and preservation regimes: TCO, e-Evidence, 18 U.S.C. 2258A(h), TAKE IT DOWN."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jurisdictions.errors import MissingEventError

BRUSSELS = ZoneInfo("Europe/Brussels")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("rule_id", "received", "zone", "hours_then_local_hour"),
    [
        # summer time starts at 02:00 on 29 March 2026: 01:30 CET plus one hour is 03:30 CEST
        pytest.param(
            "EU/tco.removal-order", "2026-03-29T01:30", BRUSSELS, (1, 3), id="TCO-Art-3(3)"
        ),
        # summer time ends at 03:00 on 25 October 2026: 22:00 CEST plus 8 hours is 05:00 CET
        pytest.param(
            "EU/e-evidence.emergency-production-order",
            "2026-10-24T22:00",
            BRUSSELS,
            (8, 5),
            id="e-Evidence-Art-10(4)",
        ),
        # daylight time ends on 1 November 2026: noon EDT plus 48 hours is 11:00 EST
        pytest.param(
            "US/take-it-down.removal", "2026-10-31T12:00", NEW_YORK, (48, 11), id="TAKE-IT-DOWN-3"
        ),
    ],
)
def test_hour_periods_are_elapsed_time_across_a_clock_change(
    due, rule_id: str, received: str, zone: ZoneInfo, hours_then_local_hour: tuple[int, int]
) -> None:
    hours, local_hour = hours_then_local_hour
    deadline = due(rule_id, received)
    start = datetime.fromisoformat(received).replace(tzinfo=zone)
    assert deadline.due_at - start == timedelta(hours=hours)
    assert deadline.due_at.astimezone(zone).hour == local_hour


def test_tco_preservation_runs_six_months_from_the_removal_not_from_receipt(due) -> None:
    removed = datetime(2026, 8, 31, 10, tzinfo=BRUSSELS)
    deadline = due("EU/tco.preservation", "2026-08-30T10:00", events={"removed": removed})
    # 31 February does not exist: 28 February 2027, a Sunday, moves to Monday 1 March
    assert deadline.due_date == date(2027, 3, 1)


def test_tco_preservation_needs_the_removal(due) -> None:
    with pytest.raises(MissingEventError, match="removed"):
        due("EU/tco.preservation", "2026-08-30T10:00")


def test_a_court_may_ask_for_a_longer_tco_preservation(due) -> None:
    removed = datetime(2026, 8, 31, 10, tzinfo=BRUSSELS)
    later = datetime(2027, 6, 30, 23, 59, tzinfo=BRUSSELS)
    events = {"removed": removed, "specified_due": later}
    deadline = due("EU/tco.preservation", "2026-08-30T10:00", events=events)
    assert deadline.due_at == later


@pytest.mark.parametrize(
    ("received", "due_on"),
    [
        pytest.param("2026-09-01T10:00", date(2026, 9, 11), id="Tuesday -> Friday"),
        pytest.param("2026-09-03T10:00", date(2026, 9, 14), id="Sunday end -> Monday"),
        pytest.param("2026-09-04T10:00", date(2026, 9, 14), id="Monday end"),
    ],
)
def test_an_epoc_is_answered_within_ten_days_following_receipt(due, received, due_on) -> None:
    assert due("EU/e-evidence.production-order", received).due_date == due_on


def test_an_epoc_pr_preserves_60_days_and_an_extension_makes_90_in_all(due) -> None:
    deadline = due("EU/e-evidence.preservation-order", "2026-08-18T10:00")
    # day 60 is Saturday 17 October: the obligation runs to Monday 19 October
    assert deadline.due_date == date(2026, 10, 19)
    # the 30 further days follow day 60 itself: 90 days from receipt
    assert deadline.extended_due_date == date(2026, 11, 16)


@pytest.mark.parametrize(
    ("reported", "kept_to"),
    [
        pytest.param(
            datetime(2026, 2, 28, 10, tzinfo=NEW_YORK),
            date(2027, 2, 28),
            id="one year, Sunday stays",
        ),
        pytest.param(
            datetime(2028, 2, 29, 10, tzinfo=NEW_YORK), date(2029, 2, 28), id="29 February"
        ),
    ],
)
def test_a_cybertipline_report_is_preserved_for_one_year(due, reported, kept_to) -> None:
    events = {"reported": reported}
    deadline = due(
        "US/2258a.preservation", reported.replace(tzinfo=None).isoformat(), events=events
    )
    assert deadline.due_date == kept_to


def test_a_dmca_counter_notice_opens_a_window_of_10_to_14_business_days(due) -> None:
    # received the day before Thanksgiving (26 November 2026), which is not a business day
    deadline = due("US/dmca.counter-notice", "2026-11-18T15:00")
    assert deadline.earliest_date == date(2026, 12, 3)
    assert deadline.earliest_at == datetime(2026, 12, 3, tzinfo=NEW_YORK)
    assert deadline.due_date == date(2026, 12, 9)
    payload = deadline.to_json()
    assert payload["earliest_date"] == "2026-12-03"
    assert payload["earliest_at"] == "2026-12-03T00:00:00-05:00"
    [opens] = [step for step in deadline.steps if step.text.startswith("window opens")]
    assert "not before +10 business days" in opens.text
    assert "not less than 10" in opens.citation


def test_a_rule_without_a_window_has_no_earliest_date(due) -> None:
    deadline = due("US/take-it-down.removal", "2026-10-31T12:00")
    assert deadline.earliest_date is None
    assert deadline.to_json()["earliest_at"] is None
