"""Clock stops: validating pauses and measuring the time they keep off the clock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from jurisdictions.calendar import WorkingCalendar
from jurisdictions.errors import InvalidPauseError, NaiveDatetimeError

Pause = tuple[datetime, datetime | None]


@dataclass(frozen=True, slots=True)
class Stopped:
    """Time kept off the clock by the pauses after the clock started."""

    days: frozenset[date]
    """Local days stopped, each counted once, both ends included (DPA 2018 s.54(3C) wording)."""
    elapsed: timedelta
    """Exact stopped time, for periods in hours; an open pause counts as zero so far."""
    open_since: datetime | None
    """Start of a pause that has not ended yet."""


NOT_STOPPED = Stopped(frozenset(), timedelta(0), None)


def measure_pauses(pauses: Sequence[Pause], clock_start: datetime, zone: ZoneInfo) -> Stopped:
    """Validate `pauses` and measure them from `clock_start` on.

    Requires each pause to be aware, to end no earlier than it starts, not to overlap the next,
    and only the last one to be open (end None). The part of a pause before the clock started is
    ignored: nothing was running to stop.

    Raises:
        NaiveDatetimeError: if a pause bound is naive.
        InvalidPauseError: if a pause is reversed, overlaps another, or an open one is not last.
    """
    ordered = sorted(pauses, key=lambda pause: _checked(pause[0], "pause start"))
    days: set[date] = set()
    elapsed, open_since = timedelta(0), None
    for index, (start, end) in enumerate(ordered):
        if end is None:
            if index != len(ordered) - 1:
                raise InvalidPauseError(start, end, "only the last pause may be open")
            open_since = start
        elif _checked(end, "pause end") < start:
            raise InvalidPauseError(start, end, "it ends before it starts")
        elif index + 1 < len(ordered) and ordered[index + 1][0] < end:
            raise InvalidPauseError(start, end, "it overlaps the next pause")
        begin = max(start, clock_start)
        if end is not None and end < clock_start:
            continue
        stop = begin if end is None else end
        elapsed += stop - begin
        days.update(_local_days(begin, stop, zone))
    return Stopped(frozenset(days), elapsed, open_since)


def working_days_in(stopped: Stopped, calendar: WorkingCalendar) -> int:
    """Return how many of the stopped days are working days."""
    return sum(1 for day in stopped.days if calendar.is_working_day(day))


def _checked(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(name, value)
    return value


def _local_days(begin: datetime, stop: datetime, zone: ZoneInfo) -> list[date]:
    first, last = begin.astimezone(zone).date(), stop.astimezone(zone).date()
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
