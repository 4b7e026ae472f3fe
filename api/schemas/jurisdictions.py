"""Bodies of the jurisdiction and deadline-preview endpoints (msgspec Structs with examples)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Final

import msgspec

from api.schemas.auth import Strict
from domain.deadlines import Deadline, Jurisdiction, PeriodUnit, Rule

RULE_ID: Final = msgspec.Meta(
    examples=["GB/uk-gdpr.rights-request"], description="`<JURISDICTION>/<slug>`"
)
CODE: Final = msgspec.Meta(examples=["GB"], description="ISO 3166 code, e.g. `DE` or `US-CA`")
CITATION: Final = msgspec.Meta(examples=["UK GDPR Art 12(3) and Art 12A"])
INSTANT_IN: Final = msgspec.Meta(
    examples=["2025-09-03T10:00:00+01:00"],
    description="ISO 8601 with a UTC offset (`Z` or `+01:00`); a time without one is refused",
)
INSTANT_OUT: Final = msgspec.Meta(
    examples=["2025-10-03T23:59:59.999999+01:00"],
    description="ISO 8601 instant, written with the offset of the rule's time zone",
)
DATE_OUT: Final = msgspec.Meta(examples=["2025-10-03"], description="local ISO date")


# ---------------------------------------------------------------- rule packs
class PeriodRead(msgspec.Struct, kw_only=True):
    """How long a rule's period is (`amount` is 0 when the order sets the date)."""

    amount: Annotated[int, msgspec.Meta(examples=[1])]
    unit: PeriodUnit
    citation: Annotated[str, CITATION]


class ClockRead(msgspec.Struct, kw_only=True):
    """What starts the clock: `received`, or an event to send in a preview's `events`."""

    starts_on: Annotated[str, msgspec.Meta(examples=["received"])]
    required: Annotated[bool, msgspec.Meta(description="true: a preview without it is refused")]
    later_events: Annotated[list[str], msgspec.Meta(examples=[["identity_verified"]])]
    citation: Annotated[str, CITATION]


class ExtensionRead(msgspec.Struct, kw_only=True):
    """An extension the rule allows, and on what conditions."""

    amount: Annotated[int, msgspec.Meta(examples=[2])]
    unit: PeriodUnit
    counted_from: Annotated[str, msgspec.Meta(examples=["original-start"])]
    conditions: Annotated[str, msgspec.Meta(examples=["request complex"])]
    citation: Annotated[str, CITATION]


class RuleRead(msgspec.Struct, kw_only=True):
    """One deadline rule with the law it rests on."""

    id: Annotated[str, RULE_ID]
    title: Annotated[str, msgspec.Meta(examples=["Respond to a data subject rights request"])]
    citation: Annotated[str, CITATION]
    sources: Annotated[list[str], msgspec.Meta(examples=[["https://ico.org.uk/"]])]
    notes: str
    period: PeriodRead
    clock: ClockRead
    extension: ExtensionRead | None
    window: Annotated[
        PeriodRead | None,
        msgspec.Meta(description="the earliest end of a window whose latest is `period`"),
    ] = None
    clock_may_stop: bool
    tz: Annotated[str, msgspec.Meta(examples=["Europe/London"], description="IANA zone")]
    subdivisions: Annotated[list[str], msgspec.Meta(examples=[["ENG", "NIR", "SCT", "WLS"]])]
    default_subdivision: Annotated[str | None, msgspec.Meta(examples=["ENG"])]
    effective_from: Annotated[
        str | None,
        msgspec.Meta(examples=["2021-02-25"], description="in force from (local date); null: long"),
    ] = None
    versions: Annotated[
        list[RuleVersionRead],
        msgspec.Meta(description="later versions, oldest first; the clock start picks one"),
    ] = msgspec.field(default_factory=list)

    @classmethod
    def from_domain(cls, rule: Rule) -> RuleRead:
        """Shape a `Rule` and its later versions."""
        ext = rule.extension
        return cls(
            id=rule.id,
            title=rule.title,
            citation=rule.citation,
            sources=list(rule.sources),
            notes=rule.notes,
            period=msgspec.convert(rule.period, PeriodRead, from_attributes=True),
            clock=ClockRead(
                starts_on=rule.clock.event,
                required=rule.clock.required,
                later_events=list(rule.clock.later_events),
                citation=rule.clock.citation,
            ),
            extension=None
            if ext is None
            else ExtensionRead(
                amount=ext.amount,
                unit=ext.unit,
                counted_from=ext.counted_from.value,
                conditions=ext.conditions,
                citation=ext.citation,
            ),
            window=None
            if rule.earliest is None
            else msgspec.convert(rule.earliest, PeriodRead, from_attributes=True),
            clock_may_stop=rule.stops.allowed,
            tz=rule.default_tz,
            subdivisions=list(rule.subdivisions),
            default_subdivision=rule.default_subdivision,
            effective_from=_day(rule.effective_from),
            versions=[RuleVersionRead.from_domain(version) for version in rule.versions],
        )


class RuleVersionRead(msgspec.Struct, kw_only=True):
    """A later version of a rule: from when it applies, and what it says."""

    effective_from: Annotated[str, msgspec.Meta(examples=["2026-02-20"])]
    citation: Annotated[str, CITATION]
    sources: list[str]
    notes: str
    period: PeriodRead

    @classmethod
    def from_domain(cls, version: Rule) -> RuleVersionRead:
        """Shape one version."""
        return cls(
            effective_from=_day(version.effective_from) or "",
            citation=version.citation,
            sources=list(version.sources),
            notes=version.notes,
            period=msgspec.convert(version.period, PeriodRead, from_attributes=True),
        )


def _day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


class JurisdictionSummary(msgspec.Struct, kw_only=True):
    """A jurisdiction and the ids of its rules."""

    code: Annotated[str, CODE]
    name: Annotated[str, msgspec.Meta(examples=["United Kingdom"])]
    rule_ids: Annotated[list[str], msgspec.Meta(examples=[["GB/uk-gdpr.rights-request"]])]

    @classmethod
    def from_domain(cls, jurisdiction: Jurisdiction) -> JurisdictionSummary:
        """Shape a `Jurisdiction`, naming its rules."""
        return cls(
            code=jurisdiction.code,
            name=jurisdiction.name,
            rule_ids=[rule.id for rule in jurisdiction.rules],
        )


class JurisdictionList(msgspec.Struct, kw_only=True):
    """Jurisdictions with a rule pack, by code."""

    items: list[JurisdictionSummary]


class JurisdictionRead(msgspec.Struct, kw_only=True):
    """A jurisdiction and its rules in full."""

    code: Annotated[str, CODE]
    name: Annotated[str, msgspec.Meta(examples=["United Kingdom"])]
    rules: list[RuleRead]

    @classmethod
    def from_domain(cls, jurisdiction: Jurisdiction) -> JurisdictionRead:
        """Shape a `Jurisdiction` with its rules."""
        return cls(
            code=jurisdiction.code,
            name=jurisdiction.name,
            rules=[RuleRead.from_domain(rule) for rule in jurisdiction.rules],
        )


# ---------------------------------------------------------------- previews
class PauseIn(Strict):
    """A clock stop; leave `end` null while the clock is still stopped."""

    start: Annotated[datetime, INSTANT_IN]
    end: Annotated[datetime | None, INSTANT_IN] = None


class DeadlinePreview(Strict):
    """The inputs of a deadline: the same as `docket deadline` takes."""

    rule: Annotated[str, RULE_ID]
    received_at: Annotated[datetime, INSTANT_IN]
    tz: Annotated[
        str | None,
        msgspec.Meta(examples=["Europe/London"], description="IANA zone; default: the rule's"),
    ] = None
    subdivision: Annotated[
        str | None,
        msgspec.Meta(examples=["SCT"], description="region for public holidays"),
    ] = None
    events: Annotated[
        dict[str, datetime],
        msgspec.Meta(
            examples=[{"identity_verified": "2025-09-05T12:00:00+01:00"}],
            description="later instants by name (`aware`, `identity_verified`, `specified_due` …)",
        ),
    ] = msgspec.field(default_factory=dict)
    pauses: list[PauseIn] = msgspec.field(default_factory=list)
    as_of: Annotated[
        datetime | None,
        msgspec.Meta(
            examples=["2026-01-15T12:00:00+05:30"],
            description="apply the rule version in force then; default: when the clock starts",
        ),
    ] = None


class StepRead(msgspec.Struct, kw_only=True):
    """One step of the computation, with the provision it rests on."""

    text: Annotated[str, msgspec.Meta(examples=["+1 month → Fri 3 Oct 2025"])]
    citation: Annotated[str, CITATION]


class DeadlineRead(msgspec.Struct, kw_only=True):
    """A computed deadline: the JSON that `docket deadline --json` prints."""

    rule: Annotated[str, RULE_ID]
    received_at: Annotated[str, INSTANT_OUT]
    clock_started_at: Annotated[str, INSTANT_OUT]
    due_date: Annotated[str | None, DATE_OUT]
    due_at: Annotated[str | None, INSTANT_OUT]
    extended_due_date: Annotated[str | None, DATE_OUT]
    extended_due_at: Annotated[str | None, INSTANT_OUT]
    earliest_date: Annotated[
        str | None,
        msgspec.Meta(
            examples=["2026-12-03"],
            description="a window's first day (not before it); null: the rule has no window",
        ),
    ]
    earliest_at: Annotated[str | None, INSTANT_OUT]
    citation: Annotated[str, CITATION]
    rule_version: Annotated[
        str | None,
        msgspec.Meta(
            examples=["2026-02-20"],
            description="the day the rule version applied came into force; null: one version",
        ),
    ]
    steps: list[StepRead]

    @classmethod
    def from_domain(cls, deadline: Deadline) -> DeadlineRead:
        """Shape a `Deadline` exactly as its `to_json()` does (one shape for CLI and API)."""
        return msgspec.convert(deadline.to_json(), type=cls)
