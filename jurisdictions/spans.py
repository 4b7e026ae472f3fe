"""Running a period: hours as exact elapsed time; days and months on the local calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo

from jurisdictions.calendar import WorkingCalendar
from jurisdictions.model import (
    DayCounting,
    ExtensionBase,
    HourCounting,
    MissingDay,
    PeriodUnit,
    Rule,
)
from jurisdictions.periods import add_months, end_of_local_day, start_of_next_hour
from jurisdictions.result import Note
from jurisdictions.stops import Stopped, working_days_in

_ONE_DAY: Final = timedelta(days=1)
# Reading an enum member through its class costs about 0.15 us on Python 3.11 (a descriptor call
# per access), more than the date arithmetic around it; the hot path compares with these names.
_CALENDAR_DAYS: Final = PeriodUnit.CALENDAR_DAYS
_BUSINESS_DAYS: Final = PeriodUnit.BUSINESS_DAYS
_INCLUDE: Final = DayCounting.INCLUDE
_EXCLUDE: Final = DayCounting.EXCLUDE
_LAST_DAY: Final = MissingDay.LAST_DAY_OF_MONTH
_NEXT_FULL_HOUR: Final = HourCounting.NEXT_FULL_HOUR
_ORIGINAL_START: Final = ExtensionBase.ORIGINAL_START
_WEEKDAY_NAMES: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_UNIT_TEXT: Final = {
    PeriodUnit.CALENDAR_DAYS: "calendar days",
    PeriodUnit.BUSINESS_DAYS: "working days",
    PeriodUnit.MONTHS: "months",
    PeriodUnit.HOURS: "hours",
}


class Due:
    """A period's due instant and local due date, and the extended ones if it has an extension.

    `at` and `day` are None only when an order was to name its own date and named none. Internal
    and never changed once made: a plain class, because a frozen dataclass sets each field through
    `object.__setattr__`: measured, two to three times the cost of this class.
    """

    __slots__ = ("at", "day", "extended_at", "extended_day")

    def __init__(
        self,
        at: datetime | None,
        day: date | None,
        extended_at: datetime | None = None,
        extended_day: date | None = None,
    ) -> None:
        """Hold the due values."""
        self.at, self.day, self.extended_at, self.extended_day = at, day, extended_at, extended_day


NO_DUE: Final = Due(None, None)


class Run:
    """What one computation carries from step to step (internal; a plain class for speed)."""

    __slots__ = ("calendar", "notes", "rule", "stopped", "zone")

    def __init__(
        self, rule: Rule, zone: ZoneInfo, calendar: WorkingCalendar, stopped: Stopped
    ) -> None:
        """Start a run with no steps."""
        self.rule, self.zone, self.calendar, self.stopped = rule, zone, calendar, stopped
        self.notes: list[Note] = []

    def add(self, template: str, citation: str, *values: object) -> None:
        """Record one audit step, written out later: see `Deadline.steps` for how values read."""
        self.notes.append((template, citation, values))


def by_hours(run: Run, started_at: datetime) -> Due:
    """Return the due and extended instants and dates of a period in hours (exact elapsed time)."""
    rule = run.rule
    start = started_at.astimezone(UTC)
    if rule.clock.hour_counting is _NEXT_FULL_HOUR:
        start = start_of_next_hour(started_at, run.zone)
        run.add("hour of the event not counted: period starts {}", rule.clock.citation, start)
    due = start + timedelta(hours=rule.period.amount)
    text = "+{} hours elapsed (exact, across any clock change) → {}"
    run.add(text, rule.period.citation, rule.period.amount, due)
    if run.stopped.days:
        due += run.stopped.elapsed
        run.add("clock stopped for {} → {}", rule.stops.citation, run.stopped.elapsed, due)
    run.add("due by {}", rule.citation, due)
    ext = rule.extension
    due_day = due.astimezone(run.zone).date()
    if ext is None:
        return Due(due, due_day)
    if ext.counted_from is _ORIGINAL_START:
        hours = rule.period.amount + ext.amount
        extended = start + timedelta(hours=hours) + run.stopped.elapsed
    else:
        extended = due + timedelta(hours=ext.amount)
    run.add("extension ({}) → {}", ext.citation, ext.conditions, extended)
    return Due(due, due_day, extended, extended.astimezone(run.zone).date())


def by_days(run: Run, start_day: date, label: str) -> Due:
    """Return the due and extended instants and dates of a period in days or months.

    Each instant is the end of its local day (see `END_OF_DAY`).
    """
    rule = run.rule
    _describe_start_day(run, start_day, label)
    period = rule.period
    end, missing = _add(run, start_day, period.amount, period.unit)
    _note_added(run, period.amount, period.unit, end, missing)
    end = _after_stops(run, end)
    last_day = _roll(run, end, "due date")
    due = end_of_local_day(last_day, run.zone)
    run.add("due by the end of {} ({})", rule.citation, last_day, run.zone.key)
    ext = rule.extension
    if ext is None:
        return Due(due, last_day)
    if ext.counted_from is _ORIGINAL_START:
        amount = period.amount + ext.amount
        extended_end = _after_stops(run, _add(run, start_day, amount, ext.unit)[0], quiet=True)
        text = "extension ({}): +{} {} from the original start → {}"
    else:
        amount = ext.amount
        extended_end = _add_after(run, end, amount, ext.unit)
        text = "extension ({}): +{} {} from the first due date → {}"
    unit = _unit_text(ext.unit, amount)
    run.add(text, ext.citation, ext.conditions, amount, unit, extended_end)
    extended_day = _roll(run, extended_end, "extended due date")
    return Due(due, last_day, end_of_local_day(extended_day, run.zone), extended_day)


def _unit_text(unit: PeriodUnit, amount: int) -> str:
    text = _UNIT_TEXT[unit]
    return text[:-1] if amount == 1 else text


def _describe_start_day(run: Run, start_day: date, label: str) -> None:
    counting = run.rule.clock.day_counting
    if counting is _EXCLUDE:
        text = "day of {} ({}) not counted"
    elif counting is _INCLUDE:
        text = "day of {} ({}) counted as day one"
    else:
        text = (
            "period runs from the day of {}, {} (whether a working day or not), "
            "to the corresponding calendar date"
        )
    run.add(text, run.rule.clock.citation, label, start_day)


def _add(run: Run, start_day: date, amount: int, unit: PeriodUnit) -> tuple[date, bool]:
    """Return the last day of the period and whether its corresponding date was missing."""
    include = run.rule.clock.day_counting is _INCLUDE
    if unit is _CALENDAR_DAYS:
        return start_day + timedelta(days=amount - 1 if include else amount), False
    if unit is _BUSINESS_DAYS:
        first_counts = include and run.calendar.is_working_day(start_day)
        count = amount - 1 if first_counts else amount
        return run.calendar.add_business_days(start_day, count), False
    if include:  # "beginning with": one month from 3 Sep ends 2 Oct; from 31 Jan, on 28 Feb
        end, missing = add_months(start_day, amount, _LAST_DAY)
        return (end, True) if missing else (end - _ONE_DAY, False)
    return add_months(start_day, amount, run.rule.months.missing_day)


def _add_after(run: Run, end: date, amount: int, unit: PeriodUnit) -> date:
    if unit is _CALENDAR_DAYS:
        return end + timedelta(days=amount)
    if unit is _BUSINESS_DAYS:
        return run.calendar.add_business_days(end, amount)
    return add_months(end, amount, run.rule.months.missing_day)[0]


def _note_added(run: Run, amount: int, unit: PeriodUnit, end: date, missing: bool) -> None:
    citation, months, counted = run.rule.period.citation, run.rule.months, _unit_text(unit, amount)
    if unit is _BUSINESS_DAYS:  # never `missing`: only months can lack a date
        skipped = _non_working_text(run.calendar)
        run.add("+{} {} (not counting {}) → {}", citation, amount, counted, skipped, end)
    elif not missing:
        run.add("+{} {} → {}", citation, amount, counted, end)
    elif months.missing_day is _LAST_DAY:
        text = "+{} {}: no corresponding date that month → its last day, {}"
        run.add(text, months.citation, amount, counted, end)
    else:
        text = "+{} {}: no corresponding date that month → first day of the next, {}"
        run.add(text, months.citation, amount, counted, end)


@lru_cache(maxsize=256)
def _non_working_text(calendar: WorkingCalendar) -> str:
    """Describe the days a calendar skips (memoised per calendar: it never changes)."""
    names = [_WEEKDAY_NAMES[day] for day in sorted(calendar.non_working_weekdays)]
    if calendar.country is not None:
        suffix = "" if calendar.subdivision is None else f"-{calendar.subdivision}"
        names.append(f"public holidays of {calendar.country}{suffix}")
    return ", ".join(names)


def _after_stops(run: Run, end: date, *, quiet: bool = False) -> date:
    stopped = run.stopped
    if not stopped.days:
        return end
    if run.rule.period.unit is _BUSINESS_DAYS:
        count = working_days_in(stopped, run.calendar)
        moved, what = run.calendar.add_business_days(end, count), f"{count} working days"
    else:
        count = len(stopped.days)
        moved, what = end + timedelta(days=count), f"{count} days"
    if quiet:
        return moved
    text = "clock stopped on {} (first and last day included) → {}"
    if stopped.open_since is None:
        run.add(text, run.rule.stops.citation, what, moved)
    else:
        text += "; still stopped since {}: moves on daily"
        run.add(text, run.rule.stops.citation, what, moved, stopped.open_since)
    return moved


def _roll(run: Run, end: date, what: str) -> date:
    calendar, rules = run.calendar, run.rule.calendar
    if calendar.is_working_day(end):
        return end
    why = calendar.why_not_working(end)
    if not rules.roll_forward:
        run.add("{} {} is {}; this period does not roll forward", rules.citation, what, end, why)
        return end
    rolled = calendar.next_working_day(end)
    run.add("{} {} is {} → next working day {}", rules.citation, what, end, why, rolled)
    return rolled
