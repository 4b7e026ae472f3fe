"""Calendar arithmetic on dates and instants, and how dates are written in audit steps."""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from jurisdictions.model import MissingDay

END_OF_DAY = time(23, 59, 59, 999999, fold=1)
"""The last instant of a local day. `fold=1` picks the later one if the wall time repeats."""

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # stdlib monthrange is ~5x slower
_FEBRUARY = 2


def add_months(day: date, months: int, missing: MissingDay) -> tuple[date, bool]:
    """Return the date with the same day-of-month `months` later, and whether it was missing.

    When the final month is too short (31 Jan + 1 month), `missing` decides: the last day of
    that month (Reg. 1182/71 Art 3(2)(c); ICO) or the first day of the month after.
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = 29 if month == _FEBRUARY and _stdlib_calendar.isleap(year) else _MONTH_DAYS[month - 1]
    if day.day <= last:
        return date(year, month, day.day), False
    if missing is MissingDay.LAST_DAY_OF_MONTH:
        return date(year, month, last), True
    return date(year, month, last) + timedelta(days=1), True


@lru_cache(maxsize=8192)
def end_of_local_day(day: date, tz: ZoneInfo) -> datetime:
    """Return the last instant of `day` in `tz`, as an aware UTC datetime (memoised, as below)."""
    return datetime.combine(day, END_OF_DAY, tzinfo=tz).astimezone(UTC)


def start_of_next_hour(instant: datetime, tz: ZoneInfo) -> datetime:
    """Return the start of the local hour after the one containing `instant`, in UTC."""
    local = instant.astimezone(tz)
    return local.replace(minute=0, second=0, microsecond=0).astimezone(UTC) + timedelta(hours=1)


@lru_cache(maxsize=8192)
def day_text(day: date) -> str:
    """Write a date as auditors read it: `Sat 31 Jan 2026` (memoised: dates repeat a lot)."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def instant_text(instant: datetime, tz: ZoneInfo) -> str:
    """Write an instant in `tz`: `Sat 31 Jan 2026 23:30 (Europe/Dublin, +00:00)`."""
    local = instant.astimezone(tz)
    offset = local.utcoffset()
    minutes = 0 if offset is None else int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return (
        f"{day_text(local.date())} {local.hour:02d}:{local.minute:02d} "
        f"({tz.key}, {sign}{hours:02d}:{rest:02d})"
    )


def duration_text(delta: timedelta) -> str:
    """Write a duration in hours (and minutes when not whole)."""
    minutes = int(delta.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    return f"{hours} h" if rest == 0 else f"{hours} h {rest} min"
