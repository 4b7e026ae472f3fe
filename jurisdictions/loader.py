"""Rule packs: one TOML file per jurisdiction, validated on load into `Rule` values."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Final

import holidays

from jurisdictions.deadline import resolve_zone
from jurisdictions.errors import JurisdictionError, RulePackError
from jurisdictions.fields import Fields
from jurisdictions.model import (
    RECEIVED,
    CalendarRule,
    ClockStart,
    ClockStops,
    DayCounting,
    Extension,
    ExtensionBase,
    ExtensionNotice,
    HourCounting,
    Jurisdiction,
    MissingDay,
    MonthArithmetic,
    Period,
    PeriodUnit,
    Rule,
    SpecifiedDue,
    Weekday,
)

RULES_DIR: Final = Path(__file__).parent / "rules"
"""Where the rule packs shipped with Docket live."""

_CODE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
_SLUG = re.compile(r"^[a-z0-9]+([.-][a-z0-9]+)*$")
# ISO 3166-2: after the country code, a subdivision code element is one to three letters or
# digits (DE-BY, GB-SCT, FR-971).
_ISO_3166_2 = re.compile(r"^[A-Z0-9]{1,3}$")
_OFFSET = re.compile(r"^(\d+)([dhm])$")
_UNITS: Final = {"d": "days", "h": "hours", "m": "minutes"}
_RULE_KEYS: Final = frozenset(
    {"slug", "title", "citation", "sources", "notes", "reminders", "tz", "specified_due"}
    | {"acknowledgement", "effective_from", "version"}
    | {"period", "clock", "months", "calendar", "extension", "clock_stops", "window"}
)
_VERSION_KEYS: Final = _RULE_KEYS - {"slug", "tz", "acknowledgement", "version"}
"""What a `[[rule.version]]` may give; what it does not give it takes from the rule above it."""


def load_pack(file: Path) -> Jurisdiction:
    """Load and validate one rule pack file.

    Raises:
        RulePackError: naming the file and the field, if anything in it is missing or wrong.
    """
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise RulePackError(file, "<file>", f"not valid TOML: {error}") from None
    top = Fields(data, file, "")
    top.only({"jurisdiction", "rule"})
    head = _table(top, "jurisdiction")
    pack = _head(head)
    raw_rules = data.get("rule")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise top.fail("rule", "missing: a pack needs at least one [[rule]]")
    rules = []
    for index, raw in enumerate(raw_rules):
        if not isinstance(raw, dict):
            raise top.fail(f"rule[{index}]", "must be a table")
        rules.append(_rule(Fields(raw, file, f"rule[{index}]"), pack))
    return Jurisdiction(code=pack.code, name=head.text("name"), rules=tuple(rules))


def _head(head: Fields) -> _PackContext:
    head.only({"code", "name", "holidays_country", "default_tz", "default_subdivision"})
    code = head.text("code")
    if not _CODE.match(code):
        raise head.fail("code", f"{code!r} is not an ISO 3166 code such as 'DE' or 'US-CA'")
    country = head.optional_text("holidays_country")
    subdivisions = _subdivisions(head, country)
    default_subdivision = head.optional_text("default_subdivision")
    if default_subdivision is not None and default_subdivision not in subdivisions:
        raise head.fail("default_subdivision", f"{default_subdivision!r} not in {subdivisions}")
    default_tz = head.text("default_tz")
    _zone(head, "default_tz", default_tz)
    return _PackContext(code, country, subdivisions, default_subdivision, default_tz)


class _PackContext:
    __slots__ = ("code", "country", "default_subdivision", "default_tz", "subdivisions")

    def __init__(
        self,
        code: str,
        country: str | None,
        subdivisions: tuple[str, ...],
        default_subdivision: str | None,
        default_tz: str,
    ) -> None:
        self.code, self.country, self.subdivisions = code, country, subdivisions
        self.default_subdivision, self.default_tz = default_subdivision, default_tz


def _subdivisions(head: Fields, country: str | None) -> tuple[str, ...]:
    """The country's subdivisions that have an ISO 3166-2 code, as the holidays library has them.

    The library also lists cities, language communities and school zones with holidays of
    their own (DE "Augsburg", BE "Flemish", FR "Zone A"); those are not subdivisions a request
    is received in, and have no ISO 3166-2 code.
    """
    if country is None:
        return ()
    try:
        known = holidays.country_holidays(country)
    except NotImplementedError:
        raise head.fail("holidays_country", f"{country!r} is unknown to holidays") from None
    return tuple(str(code) for code in known.subdivisions if _ISO_3166_2.match(str(code)))


def _zone(fields: Fields, key: str, name: str) -> None:
    try:
        resolve_zone(name)
    except JurisdictionError:
        raise fields.fail(key, f"{name!r} is not an IANA time zone") from None


def _rule(fields: Fields, pack: _PackContext) -> Rule:
    fields.only(_RULE_KEYS)
    slug = fields.text("slug")
    if not _SLUG.match(slug):
        raise fields.fail("slug", f"{slug!r} must be lowercase words joined by '.' or '-'")
    sources = fields.strings("sources", required=True)
    for source in sources:
        if not source.startswith("https://"):
            raise fields.fail("sources", f"{source!r} is not an https:// URL")
    citation = fields.text("citation")
    tz = fields.optional_text("tz") or pack.default_tz
    _zone(fields, "tz", tz)
    period = _period(_table(fields, "period"))
    rule = Rule(
        id=f"{pack.code}/{slug}",
        jurisdiction=pack.code,
        title=fields.text("title"),
        citation=citation,
        sources=sources,
        notes=fields.optional_text("notes") or "",
        period=period,
        clock=_clock(fields.table("clock", required=False), citation),
        months=_months(fields.table("months", required=False), citation),
        calendar=_calendar(fields.table("calendar", required=False), citation),
        extension=_extension(fields.table("extension", required=False), period),
        stops=_stops(fields.table("clock_stops", required=False), citation),
        specified_due=fields.choice("specified_due", SpecifiedDue, SpecifiedDue.IGNORED),
        default_tz=tz,
        holidays_country=pack.country,
        default_subdivision=pack.default_subdivision,
        subdivisions=pack.subdivisions,
        reminder_offsets=_reminders(fields),
        acknowledgement_rule_id=fields.optional_text("acknowledgement"),
        effective_from=fields.day("effective_from"),
        earliest=_window(fields.table("window", required=False), period),
    )
    return replace(rule, versions=_versions(fields, pack, rule))


def _window(fields: Fields | None, period: Period) -> Period | None:
    """`[rule.window]`: the earliest end of a window, in the unit of the period (its latest)."""
    if fields is None:
        return None
    fields.only({"amount", "unit", "citation"})
    earliest = _period(fields)
    if earliest.unit is not period.unit or period.unit is PeriodUnit.AS_SPECIFIED:
        raise fields.fail("unit", f"must be the period's unit, {period.unit.value!r}")
    if earliest.amount >= period.amount:
        raise fields.fail("amount", f"must be shorter than the period's {period.amount}")
    return earliest


def _versions(fields: Fields, pack: _PackContext, first: Rule) -> tuple[Rule, ...]:
    """The `[[rule.version]]` tables of a rule, each read as the rule with its own fields over it.

    A table the version gives (`period`, `clock` …) replaces the rule's whole table. Each
    version names its own citation and sources, and comes into force after the one before it.
    Which version applies is decided by when the clock starts, so every version must start its
    clock on the same events.
    """
    raw = fields.data.get("version")
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        raise fields.fail("version", "must be one or more [[rule.version]] tables")
    inherited = {k: v for k, v in fields.data.items() if k not in {"version", "effective_from"}}
    found: list[Rule] = []
    previous = first.effective_from
    for index, entry in enumerate(raw):
        key = f"version[{index}]"
        if not isinstance(entry, dict):
            raise fields.fail(key, "must be a table")
        own = Fields(entry, fields.file, fields.name(key))
        own.only(_VERSION_KEYS)
        day = own.day("effective_from", required=True)
        if day is None:  # pragma: no cover - required=True never returns None
            raise own.fail("effective_from", "missing")
        if previous is not None and day <= previous:
            raise own.fail("effective_from", f"must be after {previous.isoformat()}")
        own.text("citation")
        own.strings("sources", required=True)
        merged = {**inherited, **{k: v for k, v in entry.items() if k != "effective_from"}}
        version = _rule(Fields(merged, fields.file, fields.name(key)), pack)
        if (version.clock.event, version.clock.later_events) != (
            first.clock.event,
            first.clock.later_events,
        ):
            raise own.fail("clock", "a version must start its clock on the same events")
        found.append(replace(version, effective_from=day))
        previous = day
    return tuple(found)


def check_acknowledgements(file: Path, pack: Jurisdiction, rules: Mapping[str, Rule]) -> None:
    """Check that every `acknowledgement` of `pack` names a rule counted from receipt.

    Raises:
        RulePackError: naming `file` and `rule[<i>].acknowledgement`, if the named rule is
            unknown, is the rule itself, or does not run a period from receipt.
    """
    for index, rule in enumerate(pack.rules):
        ack_id = rule.acknowledgement_rule_id
        if ack_id is None:
            continue
        field = f"rule[{index}].acknowledgement"
        ack = rules.get(ack_id)
        if ack is None:
            raise RulePackError(file, field, f"no rule with id {ack_id!r}")
        if ack.id == rule.id:
            raise RulePackError(file, field, "a rule cannot be its own acknowledgement")
        if ack.clock.event != RECEIVED or ack.period.unit is PeriodUnit.AS_SPECIFIED:
            raise RulePackError(file, field, f"rule {ack_id!r} does not run a period from receipt")


def _table(fields: Fields, key: str) -> Fields:
    table = fields.table(key)
    if table is None:  # pragma: no cover - required=True never returns None
        raise fields.fail(key, "missing")
    return table


def _period(fields: Fields) -> Period:
    fields.only({"amount", "unit", "citation", "target"})
    unit = fields.choice("unit", PeriodUnit)
    minimum = 0 if unit is PeriodUnit.AS_SPECIFIED else 1
    amount = 0 if unit is PeriodUnit.AS_SPECIFIED else fields.integer("amount", minimum=minimum)
    target = fields.flag("target", default=False)
    if target and unit is PeriodUnit.AS_SPECIFIED:
        raise fields.fail("target", "a target needs a length: give its amount and unit")
    return Period(amount, unit, fields.text("citation"), target)


def _clock(fields: Fields | None, citation: str) -> ClockStart:
    if fields is None:
        return ClockStart(
            event=RECEIVED,
            later_events=(),
            required=False,
            day_counting=DayCounting.EXCLUDE,
            hour_counting=HourCounting.EXACT,
            citation=citation,
        )
    fields.only(
        {"starts_on", "required", "later_events", "day_counting", "hour_counting", "citation"}
    )
    return ClockStart(
        event=fields.optional_text("starts_on") or RECEIVED,
        later_events=fields.strings("later_events"),
        required=fields.flag("required", default=False),
        day_counting=fields.choice("day_counting", DayCounting, DayCounting.EXCLUDE),
        hour_counting=fields.choice("hour_counting", HourCounting, HourCounting.EXACT),
        citation=fields.optional_text("citation") or citation,
    )


def _months(fields: Fields | None, citation: str) -> MonthArithmetic:
    if fields is None:
        return MonthArithmetic(MissingDay.LAST_DAY_OF_MONTH, citation)
    fields.only({"missing_day", "citation"})
    missing = fields.choice("missing_day", MissingDay, MissingDay.LAST_DAY_OF_MONTH)
    return MonthArithmetic(missing, fields.optional_text("citation") or citation)


def _calendar(fields: Fields | None, citation: str) -> CalendarRule:
    if fields is None:
        return CalendarRule(
            non_working_weekdays=frozenset({5, 6}),
            public_holidays=True,
            roll_forward=False,
            citation=citation,
        )
    fields.only({"non_working_weekdays", "public_holidays", "roll_forward", "citation"})
    names = fields.strings("non_working_weekdays")
    try:
        weekdays = frozenset(Weekday(name).number for name in names) if names else {5, 6}
    except ValueError:
        raise fields.fail("non_working_weekdays", f"{names} must be among mon..sun") from None
    return CalendarRule(
        non_working_weekdays=frozenset(weekdays),
        public_holidays=fields.flag("public_holidays", default=True),
        roll_forward=fields.flag("roll_forward", default=False),
        citation=fields.optional_text("citation") or citation,
    )


def _extension(fields: Fields | None, period: Period) -> Extension | None:
    if fields is None:
        return None
    fields.only({"amount", "unit", "counted_from", "conditions", "notice", "citation"})
    unit = fields.choice("unit", PeriodUnit, period.unit)
    if unit is PeriodUnit.AS_SPECIFIED or (unit is PeriodUnit.HOURS) != (
        period.unit is PeriodUnit.HOURS
    ):
        raise fields.fail("unit", f"{unit.value!r} cannot extend a period in {period.unit.value}")
    counted_from = fields.choice("counted_from", ExtensionBase, ExtensionBase.ORIGINAL_START)
    if counted_from is ExtensionBase.ORIGINAL_START and unit is not period.unit:
        raise fields.fail("unit", "an extension from the original start must use the period's unit")
    return Extension(
        amount=fields.integer("amount", minimum=1),
        unit=unit,
        counted_from=counted_from,
        conditions=fields.text("conditions"),
        notice=fields.choice("notice", ExtensionNotice, ExtensionNotice.WITHIN_INITIAL_PERIOD),
        citation=fields.text("citation"),
    )


def _stops(fields: Fields | None, citation: str) -> ClockStops:
    if fields is None:
        return ClockStops(allowed=False, citation=citation)
    fields.only({"allowed", "citation"})
    return ClockStops(fields.flag("allowed", default=False), fields.text("citation"))


def _reminders(fields: Fields) -> tuple[timedelta, ...]:
    offsets = []
    for text in fields.strings("reminders"):
        match = _OFFSET.match(text)
        if match is None:
            raise fields.fail("reminders", f"{text!r} is not like '7d', '24h' or '30m'")
        offsets.append(timedelta(**{_UNITS[match.group(2)]: int(match.group(1))}))
    return tuple(sorted(offsets, reverse=True))
