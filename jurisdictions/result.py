"""What a computation returns: the due instant, the extended one, and the audit steps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from jurisdictions.periods import day_text, duration_text, instant_text

Note = tuple[str, str, tuple[object, ...]]
"""A step not yet written: its `str.format` template, its citation and the values to fill in.

Writing steps out (local times, weekday names) costs more than computing the deadline, and most
deadlines are computed for a due date, not read step by step; so the engine records notes and
`Deadline.steps` writes them on demand.
"""


@dataclass(frozen=True, slots=True)
class Step:
    """One step an auditor can follow, with the provision it rests on."""

    text: str
    citation: str


@dataclass(frozen=True, slots=True, kw_only=True, init=False)
class Deadline:
    """When a rule expires for one request.

    Instants (`*_at`) are aware UTC datetimes; `tz` is the IANA zone the local dates were read in.
    For day and month periods the deadline is the end of the last local day, 23:59:59.999999 wall
    time in `tz` (the later one if that wall time repeats); for hour periods it is the exact instant
    after the elapsed hours. `due_date`/`due_at` are None only for "as specified in the order" rules
    whose order gave no date. `clock_stopped_since` is set while a pause is still open: the due date
    then assumes the clock resumes the day it stopped, and moves later as the pause goes on.
    `notes` are the audit steps as recorded; `steps` writes them out.
    """

    rule_id: str
    tz: str
    received_at: datetime
    clock_started_at: datetime
    due_date: date | None
    due_at: datetime | None
    extended_due_date: date | None
    extended_due_at: datetime | None
    extension_notice_due_at: datetime | None
    clock_stopped_since: datetime | None
    citation: str
    notes: tuple[Note, ...]
    reminder_offsets: tuple[timedelta, ...]
    rule_version: date | None = None
    """The `effective_from` of the rule version applied; None for a rule with one version."""
    earliest_date: date | None = None
    earliest_at: datetime | None = None
    """A window's opening: not before this local day (from its start) or instant; else None."""

    def __init__(
        self,
        *,
        rule_id: str,
        tz: str,
        received_at: datetime,
        clock_started_at: datetime,
        due_date: date | None,
        due_at: datetime | None,
        extended_due_date: date | None,
        extended_due_at: datetime | None,
        extension_notice_due_at: datetime | None,
        clock_stopped_since: datetime | None,
        citation: str,
        notes: tuple[Note, ...],
        reminder_offsets: tuple[timedelta, ...],
        rule_version: date | None = None,
        earliest_date: date | None = None,
        earliest_at: datetime | None = None,
    ) -> None:
        """Set every field once.

        The generated frozen `__init__` goes through `object.__setattr__` per field, which cost
        a fifth of a whole computation; the slots' own setters do the same job in about 60 % of
        the time (measured), and the instance stays frozen to everyone else.
        """
        _SET_RULE_ID(self, rule_id)
        _SET_TZ(self, tz)
        _SET_RECEIVED_AT(self, received_at)
        _SET_CLOCK_STARTED_AT(self, clock_started_at)
        _SET_DUE_DATE(self, due_date)
        _SET_DUE_AT(self, due_at)
        _SET_EXTENDED_DUE_DATE(self, extended_due_date)
        _SET_EXTENDED_DUE_AT(self, extended_due_at)
        _SET_EXTENSION_NOTICE_DUE_AT(self, extension_notice_due_at)
        _SET_CLOCK_STOPPED_SINCE(self, clock_stopped_since)
        _SET_CITATION(self, citation)
        _SET_NOTES(self, notes)
        _SET_REMINDER_OFFSETS(self, reminder_offsets)
        _SET_RULE_VERSION(self, rule_version)
        _SET_EARLIEST_DATE(self, earliest_date)
        _SET_EARLIEST_AT(self, earliest_at)

    @property
    def steps(self) -> tuple[Step, ...]:
        """Return the steps an auditor can follow, written out (instants in `tz`)."""
        zone = ZoneInfo(self.tz)  # a zone valid when computed is valid here
        return tuple(
            Step(template.format(*[_text(value, zone) for value in values]), citation)
            for template, citation, values in self.notes
        )

    def reminders_at(self) -> tuple[datetime, ...]:
        """Return the instants the default reminders fall due, earliest first."""
        if self.due_at is None:
            return ()
        return tuple(sorted(self.due_at - offset for offset in self.reminder_offsets))

    def to_json(self) -> dict[str, object]:
        """Return the JSON shape shared by the CLI and the HTTP API.

        Instants are ISO 8601 with the local offset of `tz` (the same instant as the UTC value),
        dates are local ISO dates, and absent values are null.
        """
        zone = ZoneInfo(self.tz)  # a zone valid when computed is valid here
        return {
            "rule": self.rule_id,
            "received_at": _iso(self.received_at, zone),
            "clock_started_at": _iso(self.clock_started_at, zone),
            "due_date": None if self.due_date is None else self.due_date.isoformat(),
            "due_at": _iso(self.due_at, zone),
            "extended_due_date": (
                None if self.extended_due_date is None else self.extended_due_date.isoformat()
            ),
            "extended_due_at": _iso(self.extended_due_at, zone),
            "earliest_date": None if self.earliest_date is None else self.earliest_date.isoformat(),
            "earliest_at": _iso(self.earliest_at, zone),
            "citation": self.citation,
            "rule_version": None if self.rule_version is None else self.rule_version.isoformat(),
            "steps": [{"text": step.text, "citation": step.citation} for step in self.steps],
        }


def _slot_setter(name: str) -> Callable[[Deadline, object], None]:
    setter: Callable[[Deadline, object], None] = vars(Deadline)[name].__set__
    return setter


_SET_RULE_ID = _slot_setter("rule_id")
_SET_TZ = _slot_setter("tz")
_SET_RECEIVED_AT = _slot_setter("received_at")
_SET_CLOCK_STARTED_AT = _slot_setter("clock_started_at")
_SET_DUE_DATE = _slot_setter("due_date")
_SET_DUE_AT = _slot_setter("due_at")
_SET_EXTENDED_DUE_DATE = _slot_setter("extended_due_date")
_SET_EXTENDED_DUE_AT = _slot_setter("extended_due_at")
_SET_EXTENSION_NOTICE_DUE_AT = _slot_setter("extension_notice_due_at")
_SET_CLOCK_STOPPED_SINCE = _slot_setter("clock_stopped_since")
_SET_CITATION = _slot_setter("citation")
_SET_NOTES = _slot_setter("notes")
_SET_REMINDER_OFFSETS = _slot_setter("reminder_offsets")
_SET_RULE_VERSION = _slot_setter("rule_version")
_SET_EARLIEST_DATE = _slot_setter("earliest_date")
_SET_EARLIEST_AT = _slot_setter("earliest_at")


def _text(value: object, zone: ZoneInfo) -> object:
    """Write instants, dates and durations as auditors read them; leave other values as they are."""
    if isinstance(value, datetime):
        return instant_text(value, zone)
    if isinstance(value, date):
        return day_text(value)
    if isinstance(value, timedelta):
        return duration_text(value)
    return value


def _iso(instant: datetime | None, zone: ZoneInfo) -> str | None:
    return None if instant is None else instant.astimezone(zone).isoformat()
