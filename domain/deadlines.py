"""Deadline use cases: the rule book's jurisdictions and rules, and previewing a deadline.

Pure: no database and no clock. The caller loads the rule book once at start-up (`load`) and
passes it in. The engine's errors pass through when they already say the right thing (an unknown
rule or jurisdiction); an input it refuses becomes a ``DeadlineInputError`` naming the caller's
field, which the engine cannot know. They are re-exported here so that ``api/`` need not import
the engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.shared.errors import DeadlineInputError
from domain.shared.model import Actor
from domain.shared.permissions import Permission, require
from jurisdictions import (
    RECEIVED,
    SPECIFIED_DUE,
    ClockStopNotAllowedError,
    Deadline,
    InvalidPauseError,
    Jurisdiction,
    JurisdictionError,
    JurisdictionNotFoundError,
    MissingEventError,
    NaiveDatetimeError,
    PeriodUnit,
    Rule,
    RuleBook,
    RuleNotFoundError,
    Step,
    UnknownSubdivisionError,
    UnknownTimeZoneError,
    compute_deadline,
    load_rulebook,
)
from jurisdictions.model import SpecifiedDue

__all__ = [  # the engine's value types, re-exported so that api/ need not import jurisdictions
    "SPECIFIED_DUE",
    "ClockEvent",
    "Deadline",
    "Jurisdiction",
    "JurisdictionNotFoundError",
    "Pause",
    "PeriodUnit",
    "Rule",
    "RuleBook",
    "RuleNotFoundError",
    "Step",
    "TargetError",
    "clock_events",
    "get_jurisdiction",
    "get_rule",
    "list_jurisdictions",
    "load",
    "local_instant",
    "parse_instant",
    "preview_deadline",
    "with_targets",
]

Pause = tuple[datetime, datetime | None]
"""A clock stop: its start and its end (None while it goes on)."""

NO_EVENTS: Final[Mapping[str, datetime]] = MappingProxyType({})
AWARE_EXAMPLE: Final = "an ISO 8601 time with a UTC offset, e.g. 2026-02-02T10:00:00+01:00"


def load(path: Path | None = None, *, targets: Sequence[tuple[str, int, str]] = ()) -> RuleBook:
    """Load and validate every rule pack (the shipped ones unless `path` is given).

    `targets` set the organisation's own periods (rule id, amount, unit such as `hours`) of
    the rules whose period the law leaves open. Call once at start-up: each call reads and
    checks the files again.

    Raises:
        jurisdictions.RulePackError: naming the file and field of a broken pack (a deployment
            error, not a request error: it stops start-up).
        TargetError: a target names an unknown rule or one whose period the law sets.
    """
    return with_targets(load_rulebook(path), targets)


class TargetError(ValueError):
    """An organisation target that cannot be set (a deployment error: it stops start-up)."""


def with_targets(book: RuleBook, targets: Sequence[tuple[str, int, str]]) -> RuleBook:
    """`book` with the organisation's targets set (see `load`).

    Raises:
        TargetError: naming the rule, when it is unknown or its period is the law's.
    """
    if not targets:
        return book
    try:
        return book.with_targets({rule: (n, PeriodUnit(unit)) for rule, n, unit in targets})
    except JurisdictionError as exc:
        raise TargetError(str(exc)) from None


def list_jurisdictions(book: RuleBook, *, actor: Actor) -> list[Jurisdiction]:
    """Return every jurisdiction with a rule pack, ordered by code.

    Raises:
        PermissionDeniedError: unless the actor may read jurisdictions.
    """
    require(actor.role, Permission.JURISDICTIONS_READ)
    return book.jurisdictions()


def get_jurisdiction(book: RuleBook, code: str, *, actor: Actor) -> Jurisdiction:
    """Return the jurisdiction with ISO code `code` (`DE`, `US-CA`; any letter case) and its rules.

    Raises:
        PermissionDeniedError: unless the actor may read jurisdictions.
        JurisdictionNotFoundError: if no rule pack has that code.
    """
    require(actor.role, Permission.JURISDICTIONS_READ)
    return book.jurisdiction(code.upper())


def get_rule(book: RuleBook, rule_id: str, *, actor: Actor) -> Rule:
    """Return the rule with id `rule_id` (`<JURISDICTION>/<slug>`).

    Raises:
        PermissionDeniedError: unless the actor may read jurisdictions.
        RuleNotFoundError: if there is none.
    """
    require(actor.role, Permission.JURISDICTIONS_READ)
    return book.rule(rule_id)


@dataclass(frozen=True, slots=True)
class ClockEvent:
    """A later instant a rule's deadline reads, given by name (``events.<name>``) when known."""

    name: str
    required: bool
    """Whether the deadline cannot be computed without it."""
    citation: str


def clock_events(rule: Rule) -> tuple[ClockEvent, ...]:
    """The events `rule` reads, in the engine's order.

    The event its clock starts on (none when that is receipt), the later events that move the
    start when they come after it, and the date an order specifies where the rule uses one.
    """
    clock = rule.clock
    found = (
        [] if clock.event == RECEIVED else [ClockEvent(clock.event, clock.required, clock.citation)]
    )
    found += [ClockEvent(name, False, clock.citation) for name in clock.later_events]
    if rule.period.unit is PeriodUnit.AS_SPECIFIED:
        found.append(ClockEvent(SPECIFIED_DUE, False, rule.period.citation))
    elif rule.specified_due is SpecifiedDue.LATER_IF_GIVEN:
        found.append(ClockEvent(SPECIFIED_DUE, False, rule.citation))
    return tuple(found)


def local_instant(text: str, zone: str, *, field: str, zone_field: str) -> datetime:
    """The instant, in UTC, that a wall-clock time (``2026-03-02T10:30``) names in zone `zone`.

    A time that carries its own UTC offset is read with it. A wall time the zone skips (clocks
    put forward) is refused; one it passes twice (clocks put back) is read as the earlier
    instant, which gives the earlier, safer deadline.

    Raises:
        DeadlineInputError: naming `field` when `text` is not a date and time or does not exist
            in `zone`, or `zone_field` when `zone` is not an IANA zone.
    """
    try:
        wall = datetime.fromisoformat(text.strip())
    except ValueError:
        raise DeadlineInputError(field, f"{text!r} is not a date and time") from None
    if wall.utcoffset() is not None:
        return wall.astimezone(UTC)
    try:
        tz = ZoneInfo(zone.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise DeadlineInputError(zone_field, f"{zone!r} is not an IANA time zone") from None
    instant = wall.replace(tzinfo=tz, fold=0)
    if instant.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != wall:
        skipped = f"{wall.isoformat(timespec='minutes')} does not exist in {tz.key}"
        raise DeadlineInputError(field, f"{skipped}: the clocks were put forward")
    return instant.astimezone(UTC)


def parse_instant(text: str, *, field: str) -> datetime:
    """Parse an ISO 8601 time that carries its UTC offset (`Z` or `+01:00`).

    Raises:
        DeadlineInputError: naming `field`, if `text` is not ISO 8601 or has no offset.
    """
    try:
        instant = datetime.fromisoformat(text.strip())
    except ValueError:
        raise DeadlineInputError(field, f"{text!r} is not {AWARE_EXAMPLE}") from None
    _require_aware(field, instant)
    return instant


def preview_deadline(
    book: RuleBook,
    rule_id: str,
    *,
    received_at: datetime,
    tz: str | None = None,
    subdivision: str | None = None,
    events: Mapping[str, datetime] = NO_EVENTS,
    specified_source: str | None = None,
    pauses: Sequence[Pause] = (),
    as_of: datetime | None = None,
    actor: Actor,
) -> Deadline:
    """Compute when rule `rule_id` expires for a request received at `received_at`; record nothing.

    `tz` overrides the rule's zone, `subdivision` picks regional holidays, `events` are later
    instants the clock may start on (`aware`, `identity_verified`, `specified_due`, …) and
    `pauses` are clock stops. Of a rule with versions, the one in force when the clock starts
    applies, or the one in force at `as_of`. Every time must carry its UTC offset.
    `specified_source` says who set the `specified_due` date and in which document, for the
    explanation.

    Raises:
        PermissionDeniedError: unless the actor may preview deadlines.
        RuleNotFoundError: if there is no rule `rule_id`.
        DeadlineInputError: naming the field (`received_at`, `tz`, `subdivision`, `events.<name>`,
            `pauses[<i>].start`, `pauses`, `as_of`) that is naive, unknown, missing or inconsistent.
    """
    require(actor.role, Permission.DEADLINES_PREVIEW)
    rule = book.rule(rule_id)
    _require_aware("received_at", received_at)
    for name, instant in events.items():
        _require_aware(f"events.{name}", instant)
    for index, (start, end) in enumerate(pauses):
        _require_aware(f"pauses[{index}].start", start)
        if end is not None:
            _require_aware(f"pauses[{index}].end", end)
    if as_of is not None:
        _require_aware("as_of", as_of)
    try:
        return compute_deadline(
            rule,
            received_at,
            events=events,
            specified_source=specified_source,
            pauses=pauses,
            tz=tz,
            subdivision=subdivision,
            as_of=as_of,
        )
    except JurisdictionError as exc:
        raise _input_error(exc) from None


# Deadlines are counted on calendars of real years: near year 1 or 9999 the arithmetic leaves
# what a datetime can hold, and no request is received so far from the present.
EARLIEST: Final = datetime(1900, 1, 1, tzinfo=UTC)
LATEST: Final = datetime(2999, 12, 31, tzinfo=UTC)


def _require_aware(field: str, instant: datetime) -> None:
    if instant.utcoffset() is None:
        naive = instant.isoformat()
        raise DeadlineInputError(field, f"{naive} has no UTC offset; give {AWARE_EXAMPLE}")
    if not EARLIEST <= instant <= LATEST:
        when = instant.isoformat()
        raise DeadlineInputError(field, f"{when} is not between the years 1900 and 2999")


def _input_error(exc: JurisdictionError) -> DeadlineInputError:
    """The engine's complaint about an input, named by the field a caller sent it in."""
    if isinstance(exc, UnknownTimeZoneError):
        field = "tz"
    elif isinstance(exc, UnknownSubdivisionError):
        field = "subdivision"
    elif isinstance(exc, MissingEventError):
        field = f"events.{exc.event}"
    elif isinstance(exc, ClockStopNotAllowedError | InvalidPauseError):
        field = "pauses"
    elif isinstance(exc, NaiveDatetimeError):  # pragma: no cover - every time is checked above
        field = exc.name
    else:  # pragma: no cover - the engine raises nothing else for a valid rule
        raise exc
    return DeadlineInputError(field, str(exc))
