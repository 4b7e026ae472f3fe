"""Delivery keys: the text the ledger stores (its exactly-once claim) and back (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.notifications.model import DeliveryKey

DUE = datetime(2026, 3, 26, 22, 59, 59, 999999, tzinfo=UTC)
REMINDER = DeliveryKey(
    subject="request:0b5d8f2e-7c59-4a4e-9d1f-3c2a4b5e6f70",
    kind="request.reminder",
    due_at=DUE,
    recipient="spec@docket.example",
    channel="inbox",
)


def test_a_key_is_written_as_the_ledger_has_always_stored_it() -> None:
    # subject_type:subject_id|kind|due ISO|recipient|channel, as in every ledger row so far
    assert str(REMINDER) == (
        "request:0b5d8f2e-7c59-4a4e-9d1f-3c2a4b5e6f70|request.reminder|"
        "2026-03-26T22:59:59.999999+00:00|spec@docket.example|inbox"
    )


@pytest.mark.parametrize(
    "text",
    [
        str(REMINDER),
        "hold_notice:5f0c|hold.notice|2026-03-02T09:30:00+00:00|jane.roe@example.com|email",
        "request:r1|request.escalation|2026-03-27T22:59:59.999999+00:00|webhook|webhook",
        "user:u1|digest.daily|2026-03-02T07:00:00+00:00|a|b@docket.example|inbox",
        "jurisdiction:EU|alert.spike|2026-03-02T07:00:00+01:00|legal@docket.example|email",
    ],
    ids=["reminder", "hold-notice", "webhook", "bar-in-address", "offset"],
)
def test_a_stored_key_reads_back_into_the_same_key(text: str) -> None:
    assert str(DeliveryKey.parse(text)) == text


def test_the_channel_and_recipient_are_read_back_even_with_a_bar_in_the_address() -> None:
    key = DeliveryKey.parse("user:u1|digest.daily|2026-03-02T07:00:00+00:00|a|b@x.example|inbox")
    assert (key.recipient, key.channel) == ("a|b@x.example", "inbox")
    assert key.due_at == datetime(2026, 3, 2, 7, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "request:r1|request.reminder|2026-03-26T22:59:59+00:00|inbox",
        "request:r1|request.reminder|not a date|a@x.example|inbox",
        "request:r1|request.reminder|2026-03-26T22:59:59Z|a@x.example|inbox",
    ],
    ids=["empty", "a-part-missing", "no-instant", "instant-not-as-written"],
)
def test_text_that_is_not_a_key_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="delivery key"):
        DeliveryKey.parse(text)


@given(
    due=st.datetimes(
        min_value=datetime(2000, 1, 1),  # noqa: DTZ001  hypothesis takes naive bounds
        max_value=datetime(2100, 1, 1),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    offset_minutes=st.integers(min_value=-14 * 60, max_value=14 * 60),
    recipient=st.emails(),
)
def test_any_key_docket_writes_reads_back_equal(
    due: datetime, offset_minutes: int, recipient: str
) -> None:
    local = due.astimezone(timezone(timedelta(minutes=offset_minutes)))
    key = DeliveryKey(
        subject="request:r1", kind="request.due", due_at=local, recipient=recipient, channel="email"
    )
    again = DeliveryKey.parse(str(key))
    assert again == key
    assert str(again) == str(key)
