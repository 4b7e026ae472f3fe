"""compute_deadline: a rule, the time of receipt and the events in; a cited deadline out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time
from functools import lru_cache
from types import MappingProxyType
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jurisdictions.errors import (
    ClockStopNotAllowedError,
    MissingEventError,
    NaiveDatetimeError,
    UnknownTimeZoneError,
)
from jurisdictions.model import (
    RECEIVED,
    SPECIFIED_DUE,
    ExtensionNotice,
    PeriodUnit,
    Rule,
    SpecifiedDue,
)
from jurisdictions.result import Deadline
from jurisdictions.spans import NO_DUE, Due, Run, by_days, by_hours
from jurisdictions.stops import NOT_STOPPED, Pause, measure_pauses

# Enum members read through their class cost about 0.15 us each on Python 3.11 (see spans.py).
_AS_SPECIFIED: Final = PeriodUnit.AS_SPECIFIED
_HOURS: Final = PeriodUnit.HOURS
_LATER_IF_GIVEN: Final = SpecifiedDue.LATER_IF_GIVEN
_WITHIN_INITIAL_PERIOD: Final = ExtensionNotice.WITHIN_INITIAL_PERIOD
NO_EVENTS: Final[Mapping[str, datetime]] = MappingProxyType({})


@lru_cache(maxsize=1024)
def resolve_zone(name: str) -> ZoneInfo:
    """Return the zoneinfo zone called `name` (memoised: zoneinfo keeps only 8 zones hot).

    Raises:
        UnknownTimeZoneError: if `name` is not an IANA zone known to this system.
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownTimeZoneError(name) from None


def compute_deadline(
    rule: Rule,
    received_at: datetime,
    *,
    events: Mapping[str, datetime] = NO_EVENTS,
    specified_source: str | None = None,
    pauses: Sequence[Pause] = (),
    tz: str | None = None,
    subdivision: str | None = None,
    as_of: datetime | None = None,
) -> Deadline:
    """Return when `rule` expires for a request received at `received_at`.

    `events` holds later instants by name (`identity_verified`, `fee_received`, `aware`,
    `specified_due`, …); events the rule does not use are ignored. `specified_source` says who set
    the `specified_due` date and in which document ("Ofcom in notice OF-17"); the steps then say
    the date was set there. `pauses` are clock stops
    (end None while still stopped). `tz` overrides the rule's zone: the day of receipt is the local
    date there. `subdivision` picks regional public holidays (e.g. `SCT`, `BY`).

    Raises:
        NaiveDatetimeError: if any datetime passed in is naive.
        UnknownTimeZoneError: if `tz` is not an IANA zone.
        UnknownSubdivisionError: if `subdivision` is unknown for the rule's country.
        MissingEventError: if the clock starts on a required event that is missing.
        ClockStopNotAllowedError: if `pauses` are given for a rule whose clock may not stop.
        InvalidPauseError: if a pause is reversed or overlaps another.
    """
    zone = resolve_zone(rule.default_tz if tz is None else tz)
    if received_at.utcoffset() is None:  # None also when tzinfo is None
        raise NaiveDatetimeError("received_at", received_at)
    for name, value in events.items():
        if value.utcoffset() is None:  # the field name is only written out when it is needed
            raise NaiveDatetimeError(f"events[{name!r}]", value)
    if rule.versions or as_of is not None:
        rule = _in_force(rule, received_at, events, as_of)
    run = Run(rule, zone, rule.working_calendar(subdivision), NOT_STOPPED)
    run.add("received {}", rule.clock.citation, received_at)
    started_at, label = _clock_start(run, received_at, events)
    if rule.effective_from is not None:
        moment, reason = (as_of, "as of") if as_of is not None else (started_at, "clock started")
        text = "rule as in force from {} applies ({} {})"
        run.add(text, rule.citation, rule.effective_from, reason, moment)
    if pauses:
        if not rule.stops.allowed:
            raise ClockStopNotAllowedError(rule.id)
        run.stopped = measure_pauses(pauses, started_at, zone)
    unit = rule.period.unit
    if rule.period.target:
        text = "no period in law: the organisation's target of {} {} applies"
        run.add(text, rule.period.citation, rule.period.amount, unit.value.replace("_", " "))
    if unit is _AS_SPECIFIED:
        due = _as_specified(run, events.get(SPECIFIED_DUE), specified_source)
    elif unit is _HOURS:
        due = by_hours(run, started_at)
    else:
        due = by_days(run, started_at.astimezone(zone).date(), label)
    if rule.specified_due is _LATER_IF_GIVEN:
        due = _later_if_specified(run, due, events.get(SPECIFIED_DUE), specified_source)
    opens = None if rule.earliest is None else _window_opens(run, started_at, label)
    return _deadline(run, received_at, started_at, due, opens)


def _require_aware(name: str, value: datetime) -> None:
    if value.utcoffset() is None:  # None also when tzinfo is None
        raise NaiveDatetimeError(name, value)


def _in_force(
    rule: Rule, received_at: datetime, events: Mapping[str, datetime], as_of: datetime | None
) -> Rule:
    """The version of `rule` in force at `as_of`, else when the clock starts (the rule's zone)."""
    if as_of is not None:
        _require_aware("as_of", as_of)
    moment = as_of or _start_of(rule, received_at, events)
    return rule.in_force(moment.astimezone(resolve_zone(rule.default_tz)).date())


def _start_of(rule: Rule, received_at: datetime, events: Mapping[str, datetime]) -> datetime:
    """When the clock starts, as `_clock_start` finds it, without recording steps."""
    clock = rule.clock
    started_at = received_at if clock.event == RECEIVED else events.get(clock.event, received_at)
    for name in clock.later_events:
        later = events.get(name)
        if later is not None and later > started_at:
            started_at = later
    return started_at


def _clock_start(
    run: Run, received_at: datetime, events: Mapping[str, datetime]
) -> tuple[datetime, str]:
    rule, clock = run.rule, run.rule.clock
    if clock.event == RECEIVED:
        started_at, label = received_at, "receipt"
    elif clock.event in events:
        started_at, label = events[clock.event], clock.event
        run.add("clock runs from {} {}", clock.citation, label, started_at)
    elif clock.required:
        raise MissingEventError(rule.id, clock.event)
    else:
        started_at, label = received_at, "receipt"
        run.add("no {!r} event given: clock runs from receipt", clock.citation, clock.event)
    for name in clock.later_events:
        later = events.get(name)
        if later is not None and later > started_at:
            started_at, label = later, name
            run.add("clock runs from the later {} {}", clock.citation, name, later)
    return started_at, label


def _as_specified(run: Run, specified: datetime | None, source: str | None) -> Due:
    citation = run.rule.period.citation
    if specified is None:
        run.add("no date specified in the order: no deadline applies", citation)
        return NO_DUE
    if source:
        run.add("due as set by {}: {}", citation, source, specified)
    else:
        run.add("due as specified in the order: {}", citation, specified)
    return Due(specified.astimezone(UTC), specified.astimezone(run.zone).date())


def _later_if_specified(run: Run, due: Due, specified: datetime | None, source: str | None) -> Due:
    if specified is None or due.at is None or specified <= due.at:
        return due
    if source:
        run.add("longer period set by {}: due {}", run.rule.citation, source, specified)
    else:
        run.add("longer period allowed by the authority: due {}", run.rule.citation, specified)
    day = specified.astimezone(run.zone).date()
    return Due(specified.astimezone(UTC), day, due.extended_at, due.extended_day)


def _window_opens(run: Run, started_at: datetime, label: str) -> tuple[date, datetime]:
    """The first day (and instant) of a window: its shorter period, run as the period is.

    A window of days opens at the start of its first local day; one of hours, at the instant.
    """
    rule, window = run.rule, run.rule.earliest
    assert window is not None  # noqa: S101 - only called for a rule with a window
    shadow = Run(replace(rule, period=window, extension=None), run.zone, run.calendar, run.stopped)
    if window.unit is PeriodUnit.HOURS:
        at = by_hours(shadow, started_at).at
        assert at is not None  # noqa: S101 - a period in hours always ends
        day = at.astimezone(run.zone).date()
    else:
        first = by_days(shadow, started_at.astimezone(run.zone).date(), label).day
        assert first is not None  # noqa: S101 - a period in days always ends
        day, at = first, datetime.combine(first, time.min, tzinfo=run.zone).astimezone(UTC)
    text = "window opens {}: not before +{} {}"
    run.add(text, window.citation, at, window.amount, window.unit.value.replace("_", " "))
    return day, at


def _deadline(
    run: Run,
    received_at: datetime,
    started_at: datetime,
    due: Due,
    opens: tuple[date, datetime] | None,
) -> Deadline:
    rule = run.rule
    notice_at = None
    ext = rule.extension
    if (
        due.extended_at is not None
        and due.at is not None
        and ext is not None
        and due.day is not None
        and ext.notice is _WITHIN_INITIAL_PERIOD
    ):
        notice_at = due.at
        text = "requester must be told of the extension by the due date, {}"
        run.add(text, ext.citation, due.day)
    return Deadline(
        rule_id=rule.id,
        tz=run.zone.key,
        received_at=received_at.astimezone(UTC),
        clock_started_at=started_at.astimezone(UTC),
        due_date=due.day,
        due_at=due.at,
        extended_due_date=due.extended_day,
        extended_due_at=due.extended_at,
        extension_notice_due_at=notice_at,
        clock_stopped_since=run.stopped.open_since,
        citation=rule.citation,
        notes=tuple(run.notes),
        reminder_offsets=rule.reminder_offsets,
        rule_version=rule.effective_from,
        earliest_date=None if opens is None else opens[0],
        earliest_at=None if opens is None else opens[1],
    )
