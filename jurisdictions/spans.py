"""Running a period: hours as exact elapsed time; days and months on the local calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
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
from jurisdictions.periods import (
    add_months,
    day_text,
    duration_text,
    end_of_local_day,
    instant_text,
    start_of_next_hour,
)
from jurisdictions.result import Step
from jurisdictions.stops import Stopped, working_days_in

_ONE_DAY: Final = timedelta(days=1)
_WEEKDAY_NAMES: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_UNIT_TEXT: Final = {
    PeriodUnit.CALENDAR_DAYS: "calendar days",
    PeriodUnit.BUSINESS_DAYS: "working days",
    PeriodUnit.MONTHS: "months",
    PeriodUnit.HOURS: "hours",
}


class Run:
    """What one computation carries from step to step (internal; a plain class for speed)."""

    __slots__ = ("calendar", "rule", "steps", "stopped", "zone")

    def __init__(
        self, rule: Rule, zone: ZoneInfo, calendar: WorkingCalendar, stopped: Stopped
    ) -> None:
        """Start a run with no steps."""
        self.rule, self.zone, self.calendar, self.stopped = rule, zone, calendar, stopped
        self.steps: list[Step] = []

    def at(self, instant: datetime) -> str:
        """Write `instant` in this run's zone."""
        return instant_text(instant, self.zone)

    def add(self, text: str, citation: str) -> None:
        """Record one audit step."""
        self.steps.append(Step(text, citation))


def by_hours(run: Run, started_at: datetime) -> Due:
    """Return the due and extended instants and dates of a period in hours (exact elapsed time)."""
    rule = run.rule
    start = started_at.astimezone(UTC)
    if rule.clock.hour_counting is HourCounting.NEXT_FULL_HOUR:
        start = start_of_next_hour(started_at, run.zone)
        run.add(
            f"hour of the event not counted: period starts {run.at(start)}", rule.clock.citation
        )
    due = start + timedelta(hours=rule.period.amount)
    text = f"+{rule.period.amount} hours elapsed (exact, across any clock change) → {run.at(due)}"
    run.add(text, rule.period.citation)
    if run.stopped.days:
        due += run.stopped.elapsed
        text = f"clock stopped for {duration_text(run.stopped.elapsed)} → {run.at(due)}"
        run.add(text, rule.stops.citation)
    run.add(f"due by {run.at(due)}", rule.citation)
    ext = rule.extension
    due_day = due.astimezone(run.zone).date()
    if ext is None:
        return due, due_day, None, None
    if ext.counted_from is ExtensionBase.ORIGINAL_START:
        hours = rule.period.amount + ext.amount
        extended = start + timedelta(hours=hours) + run.stopped.elapsed
    else:
        extended = due + timedelta(hours=ext.amount)
    run.add(f"extension ({ext.conditions}) → {run.at(extended)}", ext.citation)
    return due, due_day, extended, extended.astimezone(run.zone).date()


Due = tuple[datetime, date, datetime | None, date | None]
"""Due instant, local due date, extended due instant and extended local due date."""


def by_days(run: Run, start_day: date, label: str) -> Due:
    """Return the due and extended instants and dates of a period in days or months.

    Each instant is the end of its local day (see `END_OF_DAY`).
    """
    rule = run.rule
    _describe_start_day(run, start_day, label)
    period = rule.period
    end, missing = _add(run, start_day, period.amount, period.unit)
    run.steps.append(_added_step(run, period.amount, period.unit, end, missing))
    end = _after_stops(run, end)
    last_day = _roll(run, end, "due date")
    due = end_of_local_day(last_day, run.zone)
    run.add(f"due by the end of {day_text(last_day)} ({run.zone.key})", rule.citation)
    ext = rule.extension
    if ext is None:
        return due, last_day, None, None
    if ext.counted_from is ExtensionBase.ORIGINAL_START:
        total = period.amount + ext.amount
        extended_end = _after_stops(run, _add(run, start_day, total, ext.unit)[0], quiet=True)
        how = f"+{total} {_unit_text(ext.unit, total)} from the original start"
    else:
        extended_end = _add_after(run, end, ext.amount, ext.unit)
        how = f"+{ext.amount} {_unit_text(ext.unit, ext.amount)} from the first due date"
    run.add(f"extension ({ext.conditions}): {how} → {day_text(extended_end)}", ext.citation)
    extended_day = _roll(run, extended_end, "extended due date")
    return due, last_day, end_of_local_day(extended_day, run.zone), extended_day


def _unit_text(unit: PeriodUnit, amount: int) -> str:
    text = _UNIT_TEXT[unit]
    return text[:-1] if amount == 1 else text


def _describe_start_day(run: Run, start_day: date, label: str) -> None:
    counting = run.rule.clock.day_counting
    if counting is DayCounting.EXCLUDE:
        text = f"day of {label} ({day_text(start_day)}) not counted"
    elif counting is DayCounting.INCLUDE:
        text = f"day of {label} ({day_text(start_day)}) counted as day one"
    else:
        text = (
            f"period runs from the day of {label}, {day_text(start_day)} (whether a working day "
            "or not), to the corresponding calendar date"
        )
    run.add(text, run.rule.clock.citation)


def _add(run: Run, start_day: date, amount: int, unit: PeriodUnit) -> tuple[date, bool]:
    """Return the last day of the period and whether its corresponding date was missing."""
    include = run.rule.clock.day_counting is DayCounting.INCLUDE
    if unit is PeriodUnit.CALENDAR_DAYS:
        return start_day + timedelta(days=amount - 1 if include else amount), False
    if unit is PeriodUnit.BUSINESS_DAYS:
        first_counts = include and run.calendar.is_working_day(start_day)
        count = amount - 1 if first_counts else amount
        return run.calendar.add_business_days(start_day, count), False
    if include:  # "beginning with": one month from 3 Sep ends 2 Oct; from 31 Jan, on 28 Feb
        end, missing = add_months(start_day, amount, MissingDay.LAST_DAY_OF_MONTH)
        return (end, True) if missing else (end - _ONE_DAY, False)
    return add_months(start_day, amount, run.rule.months.missing_day)


def _add_after(run: Run, end: date, amount: int, unit: PeriodUnit) -> date:
    if unit is PeriodUnit.CALENDAR_DAYS:
        return end + timedelta(days=amount)
    if unit is PeriodUnit.BUSINESS_DAYS:
        return run.calendar.add_business_days(end, amount)
    return add_months(end, amount, run.rule.months.missing_day)[0]


def _added_step(run: Run, amount: int, unit: PeriodUnit, end: date, missing: bool) -> Step:
    text = f"+{amount} {_unit_text(unit, amount)}"
    if unit is PeriodUnit.BUSINESS_DAYS:
        text += f" (not counting {_non_working_text(run.calendar)})"
    if not missing:
        return Step(f"{text} → {day_text(end)}", run.rule.period.citation)
    if run.rule.months.missing_day is MissingDay.LAST_DAY_OF_MONTH:
        text += f": no corresponding date that month → its last day, {day_text(end)}"
    else:
        text += f": no corresponding date that month → first day of the next, {day_text(end)}"
    return Step(text, run.rule.months.citation)


def _non_working_text(calendar: WorkingCalendar) -> str:
    names = [_WEEKDAY_NAMES[day] for day in sorted(calendar.non_working_weekdays)]
    if calendar.country is not None:
        suffix = "" if calendar.subdivision is None else f"-{calendar.subdivision}"
        names.append(f"public holidays of {calendar.country}{suffix}")
    return ", ".join(names)


def _after_stops(run: Run, end: date, *, quiet: bool = False) -> date:
    stopped = run.stopped
    if not stopped.days:
        return end
    if run.rule.period.unit is PeriodUnit.BUSINESS_DAYS:
        count = working_days_in(stopped, run.calendar)
        moved, what = run.calendar.add_business_days(end, count), f"{count} working days"
    else:
        count = len(stopped.days)
        moved, what = end + timedelta(days=count), f"{count} days"
    if not quiet:
        text = f"clock stopped on {what} (first and last day included) → {day_text(moved)}"
        if stopped.open_since is not None:
            text += f"; still stopped since {run.at(stopped.open_since)}: moves on daily"
        run.add(text, run.rule.stops.citation)
    return moved


def _roll(run: Run, end: date, what: str) -> date:
    calendar, rules = run.calendar, run.rule.calendar
    if calendar.is_working_day(end):
        return end
    why = calendar.why_not_working(end)
    if not rules.roll_forward:
        run.add(
            f"{what} {day_text(end)} is {why}; this period does not roll forward", rules.citation
        )
        return end
    rolled = calendar.next_working_day(end)
    run.add(
        f"{what} {day_text(end)} is {why} → next working day {day_text(rolled)}", rules.citation
    )
    return rolled
