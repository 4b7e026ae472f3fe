"""Conditional GET (RFC 9110 §13): answer 304 when the client's copy is still the current one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime


def quoted(etag: str) -> str:
    """The ``ETag`` header value of a strong tag."""
    return f'"{etag}"'


def http_date(moment: datetime) -> str:
    """An IMF-fixdate (``Mon, 02 Mar 2026 09:30:00 GMT``), RFC 9110 §5.6.7."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def last_modified(newest: datetime | None, now: datetime) -> datetime | None:
    """The ``Last-Modified`` to send: the newest change to the second, or None.

    None also when the newest change is in the current second: a second change within that
    second would carry the same date, and a client comparing dates would miss it (§8.8.2.2).
    """
    if newest is None:
        return None
    whole = newest.astimezone(UTC).replace(microsecond=0)
    return whole if whole < now.astimezone(UTC).replace(microsecond=0) else None


def _tags(header: str) -> set[str]:
    # weak comparison (§13.1.2): W/"x" matches "x"
    return {t.strip().removeprefix("W/") for t in header.split(",") if t.strip()}


def is_not_modified(headers: Mapping[str, str], *, etag: str, modified: datetime | None) -> bool:
    """Whether a GET with these request headers gets 304 Not Modified.

    ``If-None-Match`` decides when present (§13.2.2: ``If-Modified-Since`` is then ignored);
    otherwise ``If-Modified-Since``, when the feed has a ``Last-Modified`` and the date parses.
    """
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        tags = _tags(if_none_match)
        return "*" in tags or quoted(etag) in tags
    since = headers.get("if-modified-since")
    if since is None or modified is None:
        return False
    try:
        client = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False  # an invalid date is ignored (§13.1.3)
    if client.tzinfo is None:
        client = client.replace(tzinfo=UTC)
    return modified <= client
