"""Rules as values: the vocabulary of periods, clock starts, calendars, extensions and stops."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

from jurisdictions.calendar import WorkingCalendar
from jurisdictions.errors import UnknownSubdivisionError

RECEIVED: Final = "received"
"""Name of the event every clock may start on: receipt of the request (`received_at`)."""

SPECIFIED_DUE: Final = "specified_due"
"""Name of the event carrying a date fixed by the order itself ("as specified in the order")."""


class PeriodUnit(StrEnum):
    """How a period is measured."""

    HOURS = "hours"
    CALENDAR_DAYS = "calendar_days"
    BUSINESS_DAYS = "business_days"
    MONTHS = "months"
    AS_SPECIFIED = "as_specified"


class DayCounting(StrEnum):
    """Whether the day of the starting event counts towards a period of days or months."""

    EXCLUDE = "exclude"
    """Day of the event not counted (Reg. 1182/71 Art 3(1); "N days after receipt")."""
    INCLUDE = "include"
    """Day of the event is day one ("beginning with"): months end the day before the date."""
    CORRESPONDING_DATE = "corresponding-date"
    """ICO method: from the day of receipt (day one) to the corresponding date next month."""


class HourCounting(StrEnum):
    """Where a period expressed in hours starts."""

    EXACT = "exact"
    """At the instant of the event: exact elapsed time."""
    NEXT_FULL_HOUR = "next-full-hour"
    """At the start of the hour after the event (Reg. 1182/71 Art 3(1) first sub-para, 3(2)(a))."""


class MissingDay(StrEnum):
    """What happens when the corresponding date does not exist in the final month."""

    LAST_DAY_OF_MONTH = "last-day-of-month"
    FIRST_DAY_OF_NEXT_MONTH = "first-day-of-next-month"


class ExtensionBase(StrEnum):
    """What an extension is counted from."""

    ORIGINAL_START = "original-start"
    """The whole extended period runs from the original start (ICO; 11 CCR 7021(b))."""
    FIRST_DUE_DATE = "first-due-date"
    """The extension runs from the end of the first period (18 U.S.C. 2703(f)(2))."""


class ExtensionNotice(StrEnum):
    """By when the requester must be told of an extension."""

    WITHIN_INITIAL_PERIOD = "within-initial-period"
    NONE = "none"


class SpecifiedDue(StrEnum):
    """How a date carried by the order itself (event `specified_due`) is used."""

    IGNORED = "ignored"
    LATER_IF_GIVEN = "later-if-given"
    """The statutory period applies unless the authority allows a longer one."""


class Weekday(StrEnum):
    """Weekday names used in rule packs; `number` matches `date.weekday()`."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def number(self) -> int:
        """Return 0 for Monday … 6 for Sunday, as `date.weekday()` does."""
        return list(Weekday).index(self)


@dataclass(frozen=True, slots=True)
class Period:
    """A length of time in one unit; `amount` is 0 for `AS_SPECIFIED`.

    A `target` is not the law's: where the law sets no period ("without undue delay", "timely"),
    the organisation sets one for its own queue, and the explanation says so.
    """

    amount: int
    unit: PeriodUnit
    citation: str
    target: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ClockStart:
    """What starts the clock and how the starting day or hour is counted."""

    event: str
    later_events: tuple[str, ...]
    required: bool
    day_counting: DayCounting
    hour_counting: HourCounting
    citation: str


@dataclass(frozen=True, slots=True)
class MonthArithmetic:
    """Corresponding-date arithmetic for periods in months."""

    missing_day: MissingDay
    citation: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarRule:
    """The working-day calendar of a rule and whether the end rolls forward over it."""

    non_working_weekdays: frozenset[int]
    public_holidays: bool
    roll_forward: bool
    citation: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Extension:
    """An extension: its length, base, conditions and notice."""

    amount: int
    unit: PeriodUnit
    counted_from: ExtensionBase
    conditions: str
    notice: ExtensionNotice
    citation: str


@dataclass(frozen=True, slots=True)
class ClockStops:
    """Whether the clock may pause; paused days (inclusive) move the due date later."""

    allowed: bool
    citation: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """One deadline rule, loaded from a rule pack; `id` is `<JURISDICTION>/<slug>`."""

    id: str
    jurisdiction: str
    title: str
    citation: str
    sources: tuple[str, ...]
    notes: str
    period: Period
    clock: ClockStart
    months: MonthArithmetic
    calendar: CalendarRule
    extension: Extension | None
    stops: ClockStops
    specified_due: SpecifiedDue
    default_tz: str
    holidays_country: str | None
    default_subdivision: str | None
    subdivisions: tuple[str, ...]
    reminder_offsets: tuple[timedelta, ...]
    acknowledgement_rule_id: str | None = None
    """Id of the rule whose period, from the same receipt, gives the acknowledgement deadline."""
    effective_from: date | None = None
    """The day (in `default_tz`) this version came into force; None: as far back as known."""
    versions: tuple[Rule, ...] = ()
    """The later versions of the rule, oldest first, each with its `effective_from`."""
    earliest: Period | None = None
    """For a window ("not less than 10, nor more than 14, business days"): the shorter period,
    before whose end the act must not happen; `period` is the latest."""
    _calendars: dict[str | None, WorkingCalendar] = field(
        default_factory=dict, init=False, compare=False, hash=False, repr=False
    )

    def in_force(self, day: date) -> Rule:
        """Return the version in force on `day`: the latest one in force from that day or before.

        A day before the first version's `effective_from` gets the first version: it is the
        oldest text the pack holds.
        """
        chosen = self
        for version in self.versions:
            if version.effective_from is not None and version.effective_from <= day:
                chosen = version
        return chosen

    def subdivision_code(self, subdivision: str | None) -> str | None:
        """Return the code of `subdivision` as this rule lists it (`by` is `BY`); None: the pack's.

        Codes are matched in any letter case: ISO 3166-2 writes them in capitals, and a code
        is not another subdivision for being typed in lower case.

        Raises:
            UnknownSubdivisionError: if the rule does not list the subdivision.
        """
        if subdivision is None:
            return self.default_subdivision
        wanted = subdivision.strip().upper()
        for code in self.subdivisions:
            if code.upper() == wanted:
                return code
        raise UnknownSubdivisionError(self.holidays_country, subdivision, self.subdivisions)

    def working_calendar(self, subdivision: str | None = None) -> WorkingCalendar:
        """Return this rule's working calendar for `subdivision` (default: the pack's).

        Calendars are memoised on the rule, so their per-year holiday tables are built once.

        Raises:
            UnknownSubdivisionError: if the holidays library does not know the subdivision.
        """
        subdiv = self.subdivision_code(subdivision)
        try:
            return self._calendars[subdiv]
        except KeyError:
            pass
        calendar = WorkingCalendar(
            country=self.holidays_country if self.calendar.public_holidays else None,
            subdivision=subdiv,
            non_working_weekdays=self.calendar.non_working_weekdays,
        )
        self._calendars[subdiv] = calendar
        return calendar


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """A jurisdiction (country, state or union) and its rules."""

    code: str
    name: str
    rules: tuple[Rule, ...]
