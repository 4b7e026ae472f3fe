"""Keyset cursors of newest-first lists: a round trip; what no list handed out is refused."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from domain.shared.errors import ValidationError
from domain.shared.keyset import decode_cursor, encode_cursor


def test_a_cursor_round_trips_in_utc() -> None:
    ident = uuid.uuid4()
    at = datetime(2026, 3, 2, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    assert decode_cursor(encode_cursor(at, ident)) == (at.astimezone(UTC), ident)
    assert decode_cursor(encode_cursor(at, ident))[0].tzinfo is UTC


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "", "e30", "eyJrIjogIjIwMjYtMDMtMDJUMTA6MzAiLCAiaSI6ICJ4In0"],
    ids=["not base64 json", "empty", "no keys", "bad id"],
)
def test_a_cursor_no_list_handed_out_is_refused(cursor: str) -> None:
    with pytest.raises(ValidationError, match="cursor"):
        decode_cursor(cursor)


def test_a_naive_timestamp_is_refused() -> None:
    raw = json.dumps({"k": "2026-03-02T10:30:00", "i": str(uuid.uuid4())}).encode()
    with pytest.raises(ValidationError):
        decode_cursor(base64.urlsafe_b64encode(raw).decode())
