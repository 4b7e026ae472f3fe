"""Every way a computation's inputs can be wrong raises its own error type, with its evidence."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jurisdictions import (
    ClockStopNotAllowedError,
    InvalidPauseError,
    JurisdictionError,
    NaiveDatetimeError,
    RuleBook,
    UnknownSubdivisionError,
    UnknownTimeZoneError,
    compute_deadline,
)

RECEIVED = datetime(2026, 2, 2, 10, tzinfo=UTC)
NAIVE = datetime(2026, 2, 3, 9, 0)  # noqa: DTZ001 - naive on purpose


def test_a_naive_receipt_time_is_rejected(book: RuleBook) -> None:
    with pytest.raises(NaiveDatetimeError) as caught:
        compute_deadline(book.rule("DE/gdpr.rights-request"), NAIVE)
    assert caught.value.name == "received_at"
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, JurisdictionError)


def test_a_naive_event_time_is_rejected(book: RuleBook) -> None:
    with pytest.raises(NaiveDatetimeError) as caught:
        compute_deadline(
            book.rule("DE/gdpr.breach-notification"),
            RECEIVED,
            events={"aware": NAIVE},
        )
    assert caught.value.name == "events['aware']"


def test_a_naive_pause_is_rejected(book: RuleBook) -> None:
    with pytest.raises(NaiveDatetimeError):
        compute_deadline(book.rule("GB/uk-gdpr.rights-request"), RECEIVED, pauses=[(NAIVE, None)])


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "../etc/passwd"])
def test_an_unknown_time_zone_is_rejected(book: RuleBook, zone: str) -> None:
    with pytest.raises(UnknownTimeZoneError) as caught:
        compute_deadline(book.rule("DE/gdpr.rights-request"), RECEIVED, tz=zone)
    assert caught.value.tz == zone


def test_an_unknown_subdivision_is_rejected(book: RuleBook) -> None:
    with pytest.raises(UnknownSubdivisionError) as caught:
        compute_deadline(book.rule("GB/uk-gdpr.rights-request"), RECEIVED, subdivision="XYZ")
    assert caught.value.country == "GB"
    assert "SCT" in caught.value.known


def test_a_subdivision_for_a_rule_without_public_holidays_is_rejected(book: RuleBook) -> None:
    with pytest.raises(UnknownSubdivisionError):
        compute_deadline(book.rule("EU/dsa.art9-order"), RECEIVED, subdivision="BY")


def test_pausing_a_clock_that_may_not_stop_is_rejected(book: RuleBook) -> None:
    with pytest.raises(ClockStopNotAllowedError) as caught:
        compute_deadline(book.rule("DE/gdpr.rights-request"), RECEIVED, pauses=[(RECEIVED, None)])
    assert caught.value.rule_id == "DE/gdpr.rights-request"


@pytest.mark.parametrize(
    ("pauses", "reason"),
    [
        ([(datetime(2026, 2, 9, tzinfo=UTC), datetime(2026, 2, 5, tzinfo=UTC))], "ends before"),
        (
            [
                (datetime(2026, 2, 3, tzinfo=UTC), datetime(2026, 2, 9, tzinfo=UTC)),
                (datetime(2026, 2, 5, tzinfo=UTC), datetime(2026, 2, 12, tzinfo=UTC)),
            ],
            "overlaps",
        ),
        (
            [
                (datetime(2026, 2, 3, tzinfo=UTC), None),
                (datetime(2026, 2, 5, tzinfo=UTC), datetime(2026, 2, 12, tzinfo=UTC)),
            ],
            "only the last",
        ),
    ],
)
def test_an_invalid_pause_is_rejected(book: RuleBook, pauses, reason: str) -> None:
    with pytest.raises(InvalidPauseError) as caught:
        compute_deadline(book.rule("GB/uk-gdpr.rights-request"), RECEIVED, pauses=pauses)
    assert reason in caught.value.reason


def test_a_pause_entirely_before_the_clock_started_changes_nothing(book: RuleBook) -> None:
    rule = book.rule("GB/uk-gdpr.rights-request")
    before = (datetime(2026, 1, 20, tzinfo=UTC), datetime(2026, 1, 25, tzinfo=UTC))
    paused = compute_deadline(rule, RECEIVED, pauses=[before])
    assert paused.due_at == compute_deadline(rule, RECEIVED).due_at
