"""Which reminders are due (pure: no ORM, no clock; ``now`` and the last sweep are passed in).

A request has *series* of instants: before its deadline at each offset, at the deadline, then
daily while overdue; an escalation to Legal some hours after the deadline; the same (without the
overdue days) for its acknowledgement and extension-notice deadlines; and the end of a
non-disclosure period. A sweep covering the window ``(since, now]`` sends, of each series with an
instant in the window, only the most recent instant at or before ``now``: a missed window (the
process was down) yields one reminder, not every missed one. A request that no earlier sweep saw
as it is now (logged already overdue, or changed) is seen whole, ``since`` None: the most recent
instant of each series is due, and the delivery ledger says whether it was alerted already.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final
from uuid import UUID

DAY: Final = timedelta(days=1)
PRESERVATION_OFFSETS: Final = (timedelta(days=14), timedelta(days=3))
"""Warnings before a 90-day preservation period (18 U.S.C. 2703(f)) ends, so it can be renewed."""
MAX_OFFSETS: Final = 10
MAX_OFFSET: Final = timedelta(days=365)
_OFFSET: Final = re.compile(r"(\d{1,4})([wdhm])")
_UNITS: Final = {
    "w": timedelta(weeks=1),
    "d": DAY,
    "h": timedelta(hours=1),
    "m": timedelta(minutes=1),
}


def parse_offset(text: str) -> timedelta:
    """``7d``, ``4h``, ``30m`` or ``2w`` as a positive duration of at most a year.

    Raises:
        ValueError: when the text is not like that.
    """
    match = _OFFSET.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not like '7d', '4h', '30m' or '2w'")
    offset = int(match[1]) * _UNITS[match[2]]
    if not timedelta(0) < offset <= MAX_OFFSET:
        raise ValueError(f"{text!r} must be more than 0 and at most 365 days")
    return offset


def format_offset(offset: timedelta) -> str:
    """The shortest exact label: ``7d``, ``4h``, ``90m``."""
    seconds = int(offset.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def normalize_offsets(offsets: Iterable[timedelta]) -> tuple[timedelta, ...]:
    """Distinct offsets, longest first."""
    return tuple(sorted(set(offsets), reverse=True))


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestDeadlines:
    """What the sweep knows of one open request's deadlines."""

    request_id: UUID
    not_before: datetime
    """Nothing falls due before this (the request's receipt): no reminder older than the case."""
    due_at: datetime | None
    """The binding deadline (the extended one once taken); None while the clock is stopped."""
    offsets: tuple[timedelta, ...]
    acknowledgement_due_at: datetime | None = None
    extension_notice_due_at: datetime | None = None
    nondisclosure_ends_at: datetime | None = None
    preservation: bool = False
    """A 2703(f) preservation: its offset reminders are preservation-expiry warnings."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DueReminder:
    """One notification that a sweep must send about a request."""

    kind: str
    due_at: datetime
    """The instant it fell due (part of its ledger key)."""
    deadline: datetime
    offset: str
    """``7d`` before the deadline, ``0`` at it, ``+2d`` overdue, ``+24h`` for an escalation."""


@dataclass(frozen=True, slots=True)
class Instant:
    """One instant of a series: when, what it is, and its offset label."""

    at: datetime
    kind: str
    offset: str


@dataclass(frozen=True, slots=True)
class Window:
    """Deadlines in ``(low, high]``; ``low`` None is unbounded below."""

    low: datetime | None
    high: datetime


def _before(deadline: datetime, offsets: Sequence[timedelta], kind: str) -> list[Instant]:
    return [Instant(deadline - o, kind, format_offset(o)) for o in offsets]


def _latest(
    series: Sequence[Instant],
    deadline: datetime,
    *,
    since: datetime | None,
    now: datetime,
    not_before: datetime,
) -> DueReminder | None:
    """The most recent instant of a series at or before ``now``, if it lies after ``since``."""
    past = [i for i in series if not_before <= i.at <= now]
    if not past:
        return None
    latest = max(past, key=lambda i: i.at)
    if since is not None and latest.at <= since:
        return None
    return DueReminder(kind=latest.kind, due_at=latest.at, deadline=deadline, offset=latest.offset)


def _overdue(deadline: datetime, now: datetime) -> list[Instant]:
    days = (now - deadline) // DAY
    if days < 1:
        return []
    return [Instant(deadline + days * DAY, "request.overdue", f"+{days}d")]


def due_reminders(
    request: RequestDeadlines,
    *,
    since: datetime | None,
    now: datetime,
    escalate_after: timedelta,
) -> list[DueReminder]:
    """The reminders of ``request`` that fall due in ``(since, now]``, one per series at most.

    ``since`` None means no sweep ran before: the most recent instant of each series is due.
    """
    found: list[DueReminder | None] = []
    nb = request.not_before
    if request.due_at is not None:
        d = request.due_at
        kind = "hold.preservation_expiry" if request.preservation else "request.reminder"
        main = [
            *_before(d, request.offsets, kind),
            Instant(d, "request.due", "0"),
            *_overdue(d, now),
        ]
        found.append(_latest(main, d, since=since, now=now, not_before=nb))
        escalation = [
            Instant(d + escalate_after, "request.escalation", f"+{format_offset(escalate_after)}")
        ]
        found.append(_latest(escalation, d, since=since, now=now, not_before=nb))
    for deadline, kind in (
        (request.acknowledgement_due_at, "request.ack_due"),
        (request.extension_notice_due_at, "request.extension_notice_due"),
    ):
        if deadline is not None and deadline != request.due_at:  # else the main series says it
            series = [*_before(deadline, request.offsets, kind), Instant(deadline, kind, "0")]
            found.append(_latest(series, deadline, since=since, now=now, not_before=nb))
    if request.nondisclosure_ends_at is not None:
        end = request.nondisclosure_ends_at
        series = [Instant(end, "request.nondisclosure_ends", "0")]
        found.append(_latest(series, end, since=since, now=now, not_before=nb))
    return [r for r in found if r is not None]


def deadline_windows(
    offsets: Iterable[timedelta],
    *,
    since: datetime | None,
    now: datetime,
    escalate_after: timedelta,
) -> list[Window]:
    """Ranges ``(low, high]`` of deadlines that can have an instant in ``(since, now]``.

    Daily overdue reminders are not covered: every deadline at or before ``now - 1 day`` is a
    candidate for those. Overlapping ranges are merged; ``low`` None is unbounded.
    """
    shifts = {timedelta(0), -escalate_after, *offsets}
    if since is None:
        return [Window(None, now + max(shifts))]
    merged: list[Window] = []
    for shift in sorted(shifts):  # sorted shifts give windows sorted by their low end
        low, high = since + shift, now + shift
        last = merged[-1] if merged else None
        if last is not None and last.low is not None and low <= last.high:
            merged[-1] = Window(last.low, max(last.high, high))
        else:
            merged.append(Window(low, high))
    return merged


def latest_daily(now: datetime, hour: int) -> datetime:
    """The most recent instant at ``hour``:00 UTC at or before ``now`` (the daily digest's)."""
    today = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return today if today <= now else today - DAY


def is_spike(last_week: int, trailing_eight_weeks: int, *, factor: float, min_count: int) -> bool:
    """Whether a week's count exceeds ``factor`` times the trailing 8-week weekly average.

    ``min_count`` keeps small numbers quiet: from 0 to 1 is no spike.
    """
    if last_week < min_count:
        return False
    return last_week > factor * (trailing_eight_weeks / 8)
