"""CCPA, the state privacy statutes, and federal process (SCA preservation, orders)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from jurisdictions import RuleBook, compute_deadline

LA = ZoneInfo("America/Los_Angeles")


@pytest.mark.parametrize(
    ("rule_id", "received", "due_on", "extended_on"),
    [
        pytest.param(
            "US-CA/ccpa.request-to-know",
            "2026-01-30T10:00",
            date(2026, 3, 16),
            date(2026, 4, 30),
            id="11-CCR-7021(b): 45 days after receipt; 90 from receipt extended",
        ),
        pytest.param(
            "US-CA/ccpa.request-to-delete",
            "2026-01-29T10:00",
            date(2026, 3, 16),
            date(2026, 4, 29),
            id="Civ-Code-10: Sunday 15 Mar is excluded -> Monday",
        ),
        pytest.param(
            "US-CA/ccpa.request-to-correct",
            "2026-01-28T10:00",
            date(2026, 3, 14),
            date(2026, 4, 28),
            id="Civ-Code-7: Saturday 14 Mar is not a holiday, no roll",
        ),
        pytest.param(
            "US-CA/ccpa.request-to-know",
            "2026-02-14T10:00",
            date(2026, 4, 1),
            date(2026, 5, 15),
            id="Civ-Code-10: Cesar Chavez Day 31 Mar -> 1 Apr",
        ),
        pytest.param(
            "US-CO/cpa.consumer-request",
            "2026-01-15T10:00",
            date(2026, 3, 2),
            date(2026, 4, 15),
            id="CRS-2-4-108: Sunday 1 Mar -> Monday 2 Mar",
        ),
        pytest.param(
            "US-TX/tdpsa.consumer-request",
            "2026-01-15T10:00",
            date(2026, 3, 3),
            date(2026, 4, 15),
            id="Gov-Code-311.014: Sunday 1 Mar, Texas Independence Day 2 Mar -> 3 Mar",
        ),
        pytest.param(
            "US-VA/vcdpa.consumer-request",
            "2026-01-15T10:00",
            date(2026, 3, 1),
            date(2026, 4, 15),
            id="Va-Code-59.1-577(B)(1): no roll-forward",
        ),
        pytest.param(
            "US-CT/ctdpa.consumer-request",
            "2026-01-15T10:00",
            date(2026, 3, 1),
            date(2026, 4, 15),
            id="CGS-42-518(c)(1): no roll-forward",
        ),
        pytest.param(
            "US-UT/ucpa.consumer-request",
            "2026-01-15T10:00",
            date(2026, 3, 1),
            date(2026, 4, 15),
            id="Utah-Code-13-61-203(2): no roll-forward",
        ),
    ],
)
def test_consumer_requests_are_due_45_days_after_receipt(
    due, rule_id, received, due_on, extended_on
):
    deadline = due(rule_id, received)
    assert (deadline.due_date, deadline.extended_due_date) == (due_on, extended_on)


def test_receipt_of_a_confirmation_is_due_10_business_days_after_thanksgiving_week(due) -> None:
    assert due("US-CA/ccpa.confirm-receipt", "2026-11-20T10:00").due_date == date(2026, 12, 8)


def test_an_opt_out_is_due_15_business_days_later_skipping_presidents_day(due) -> None:
    deadline = due("US-CA/ccpa.opt-out", "2026-02-02T10:00")
    assert deadline.due_date == date(2026, 2, 24)
    assert deadline.extended_due_date is None
    assert "not counting Sat, Sun, public holidays of US-CA" in deadline.steps[2].text


def test_an_evening_receipt_counts_from_the_local_date_not_the_utc_date(book: RuleBook) -> None:
    received_at = datetime(2026, 1, 31, 3, 0, tzinfo=UTC)  # 19:00 on 30 January in California
    deadline = compute_deadline(book.rule("US-CA/ccpa.request-to-know"), received_at)
    assert deadline.due_date == date(2026, 3, 16)
    in_tokyo = compute_deadline(
        book.rule("US-CA/ccpa.request-to-know"), received_at, tz="Asia/Tokyo"
    )  # 12:00 on 31 January in Tokyo
    assert in_tokyo.due_date == date(2026, 3, 17)
    assert in_tokyo.tz == "Asia/Tokyo"


def test_sca_preservation_lasts_90_days_and_a_renewal_90_more_from_its_end(due) -> None:
    deadline = due("US/sca-2703f.preservation", "2026-01-05T10:00")
    assert deadline.due_date == date(2026, 4, 5)  # a Sunday: retention does not roll
    assert deadline.extended_due_date == date(2026, 7, 4)
    assert deadline.extension_notice_due_at is None


@pytest.mark.parametrize(
    "slug", ["subpoena", "court-order", "search-warrant", "emergency-disclosure"]
)
def test_orders_take_the_date_they_specify(due, slug: str) -> None:
    specified = datetime(2026, 2, 20, 17, 0, tzinfo=ZoneInfo("America/New_York"))
    deadline = due(f"US/{slug}", "2026-02-02T10:00", events={"specified_due": specified})
    assert deadline.due_at == specified
    assert deadline.due_date == date(2026, 2, 20)
    assert "as specified" in deadline.steps[-1].text


def test_an_order_without_a_date_has_no_deadline(due) -> None:
    deadline = due("US/subpoena", "2026-02-02T10:00")
    assert (deadline.due_date, deadline.due_at, deadline.extended_due_at) == (None, None, None)
    assert deadline.reminders_at() == ()
    assert deadline.to_json()["due_at"] is None
