"""GDPR rights requests and breach notification, counted under Reg. (EEC, Euratom) 1182/71."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jurisdictions import RuleBook

EU_EEA = [
    *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT"),
    *("LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO"),
]


@pytest.mark.parametrize("code", EU_EEA)
def test_every_eu_and_eea_state_has_both_gdpr_rules(book: RuleBook, code: str) -> None:
    rights = book.rule(f"{code}/gdpr.rights-request")
    breach = book.rule(f"{code}/gdpr.breach-notification")
    assert rights.holidays_country == code
    assert "1182/71" in rights.calendar.citation
    assert breach.period.amount == 72


@pytest.mark.parametrize(
    ("rule_id", "received", "subdivision", "due_on"),
    [
        pytest.param(
            "IE/gdpr.rights-request",
            "2026-01-31T23:30",
            None,
            date(2026, 3, 2),
            id="Reg-1182/71-Art-3(2)(c)+3(4): Sat 31 Jan -> Sat 28 Feb -> Mon 2 Mar",
        ),
        pytest.param(
            "NL/gdpr.rights-request",
            "2024-01-31T10:00",
            None,
            date(2024, 2, 29),
            id="Art-3(2)(c): 31 Jan 2024 -> 29 Feb (leap year)",
        ),
        pytest.param(
            "DE/gdpr.rights-request",
            "2026-05-04T10:00",
            "BY",
            date(2026, 6, 5),
            id="Art-3(4): DE-BY Corpus Christi 4 Jun is a public holiday",
        ),
        pytest.param(
            "DE/gdpr.rights-request",
            "2026-05-04T10:00",
            "BE",
            date(2026, 6, 4),
            id="Art-3(4): DE-BE has no Corpus Christi holiday",
        ),
        pytest.param(
            "FR/gdpr.rights-request",
            "2026-06-14T10:00",
            None,
            date(2026, 7, 15),
            id="Art-3(4): FR 14 July is a public holiday",
        ),
        pytest.param(
            "ES/gdpr.rights-request",
            "2026-03-15T10:00",
            None,
            date(2026, 4, 15),
            id="Art-3(2)(c): same date next month",
        ),
    ],
)
def test_rights_requests_follow_regulation_1182_71(due, rule_id, received, subdivision, due_on):
    assert due(rule_id, received, subdivision=subdivision).due_date == due_on


def test_a_request_received_on_saturday_31_january_in_dublin_shows_each_step(due) -> None:
    steps = [step.text for step in due("IE/gdpr.rights-request", "2026-01-31T23:30").steps]
    assert steps[0] == "received Sat 31 Jan 2026 23:30 (Europe/Dublin, +00:00)"
    assert steps[1] == "day of receipt (Sat 31 Jan 2026) not counted"
    assert "its last day, Sat 28 Feb 2026" in steps[2]
    assert steps[3] == "due date Sat 28 Feb 2026 is a Saturday → next working day Mon 2 Mar 2026"
    assert steps[4] == "due by the end of Mon 2 Mar 2026 (Europe/Dublin)"


def test_the_gdpr_extension_runs_three_months_from_receipt(due) -> None:
    assert due("IE/gdpr.rights-request", "2025-01-31T10:00").extended_due_date == date(2025, 4, 30)


def test_the_deadline_is_the_last_instant_of_the_local_day(due) -> None:
    deadline = due("DE/gdpr.rights-request", "2026-05-04T10:00", subdivision="BE")
    berlin = ZoneInfo("Europe/Berlin")
    assert deadline.due_at == datetime(2026, 6, 4, 23, 59, 59, 999999, tzinfo=berlin)
    assert deadline.due_at + timedelta(microseconds=1) == datetime(2026, 6, 5, tzinfo=berlin)


def test_72_hours_across_the_eu_spring_forward_change_is_exactly_72_elapsed_hours(due) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    aware = datetime(2026, 3, 28, 10, 0, tzinfo=berlin)  # CET; clocks go forward on 29 March
    deadline = due("DE/gdpr.breach-notification", "2026-03-28T10:00", events={"aware": aware})
    assert deadline.due_at - aware == timedelta(hours=72)
    assert deadline.due_at == datetime(2026, 3, 31, 9, 0, tzinfo=UTC)
    assert deadline.due_at.astimezone(berlin).hour == 11  # the wall clock shows 11:00 CEST
    assert deadline.due_date == date(2026, 3, 31)


def test_72_hours_across_the_autumn_change_is_also_exact(due) -> None:
    paris = ZoneInfo("Europe/Paris")
    aware = datetime(2026, 10, 24, 10, 0, tzinfo=paris)
    deadline = due("FR/gdpr.breach-notification", "2026-10-24T10:00", events={"aware": aware})
    assert deadline.due_at - aware == timedelta(hours=72)
    assert deadline.due_at.astimezone(paris).hour == 9


def test_a_breach_deadline_does_not_roll_off_a_weekend(due) -> None:
    aware = datetime(2026, 1, 8, 15, 0, tzinfo=ZoneInfo("Europe/Rome"))  # Thursday
    deadline = due("IT/gdpr.breach-notification", "2026-01-08T15:00", events={"aware": aware})
    assert deadline.due_date == date(2026, 1, 11)  # a Sunday
