"""Brazil, Singapore, Canada, Australia, Korea, India and the EU Digital Services Act."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest


@pytest.mark.parametrize(
    ("rule_id", "received", "due_on"),
    [
        pytest.param(
            "BR/lgpd.access-complete",
            "2026-01-05T10:00",
            date(2026, 1, 20),
            id="LGPD-Art-19-II: 15 days",
        ),
        pytest.param(
            "SG/pdpa.access-request",
            "2026-01-01T10:00",
            date(2026, 1, 31),
            id="IA-s50(b): Saturday stays",
        ),
        pytest.param(
            "SG/pdpa.access-request",
            "2026-01-02T10:00",
            date(2026, 2, 2),
            id="IA-s50(b): Sunday -> Monday",
        ),
        pytest.param(
            "SG/pdpa.access-request",
            "2026-01-18T10:00",
            date(2026, 2, 19),
            id="IA-s50(b): Chinese New Year",
        ),
        pytest.param(
            "CA/pipeda.access-request",
            "2026-06-01T10:00",
            date(2026, 7, 2),
            id="PIPEDA-8(3): Canada Day",
        ),
        pytest.param(
            "KR/pipa.access-request",
            "2026-02-11T10:00",
            date(2026, 2, 23),
            id="Civil-Act-161: Saturday",
        ),
        pytest.param(
            "KR/pipa.correction-request",
            "2026-09-15T10:00",
            date(2026, 9, 28),
            id="Civil-Act-161: Chuseok",
        ),
    ],
)
def test_statutory_periods_in_days(due, rule_id, received, due_on) -> None:
    assert due(rule_id, received).due_date == due_on


def test_a_pipeda_extension_adds_30_days_to_the_first_period(due) -> None:
    deadline = due("CA/pipeda.access-request", "2026-06-01T10:00")
    assert deadline.extended_due_date == date(2026, 7, 31)


def test_an_australian_removal_notice_is_due_24_elapsed_hours_later_across_dst(due) -> None:
    sydney = ZoneInfo("Australia/Sydney")
    deadline = due("AU/osa.removal-notice", "2026-04-04T10:00")  # daylight time ends 5 April
    assert deadline.due_at - datetime(2026, 4, 4, 10, tzinfo=sydney) == timedelta(hours=24)
    assert deadline.due_at.astimezone(sydney).hour == 9


def test_a_longer_period_allowed_by_the_esafety_commissioner_replaces_24_hours(due) -> None:
    sydney = ZoneInfo("Australia/Sydney")
    allowed = datetime(2026, 4, 8, 17, tzinfo=sydney)
    deadline = due("AU/osa.removal-notice", "2026-04-04T10:00", events={"specified_due": allowed})
    assert deadline.due_at == allowed
    assert deadline.due_date == date(2026, 4, 8)


def test_a_shorter_specified_date_does_not_shorten_the_statutory_24_hours(due) -> None:
    sydney = ZoneInfo("Australia/Sydney")
    early = datetime(2026, 4, 4, 12, tzinfo=sydney)
    deadline = due("AU/osa.removal-notice", "2026-04-04T10:00", events={"specified_due": early})
    assert deadline.due_at > early


def test_an_indian_takedown_order_before_the_2026_amendment_is_due_36_hours_later(due) -> None:
    deadline = due("IN/it-rules.takedown-order", "2025-08-14T22:00")
    kolkata = ZoneInfo("Asia/Kolkata")
    assert deadline.due_at.astimezone(kolkata) == datetime(2025, 8, 16, 10, tzinfo=kolkata)


def test_an_indian_takedown_order_after_the_2026_amendment_is_due_3_hours_later(due) -> None:
    deadline = due("IN/it-rules.takedown-order", "2026-08-14T22:00")
    kolkata = ZoneInfo("Asia/Kolkata")
    assert deadline.due_at.astimezone(kolkata) == datetime(2026, 8, 15, 1, tzinfo=kolkata)


@pytest.mark.parametrize("slug", ["dsa.art9-order", "dsa.art10-order"])
def test_dsa_orders_have_no_fixed_period(due, slug: str) -> None:
    assert due(f"EU/{slug}", "2026-02-02T10:00").due_at is None
