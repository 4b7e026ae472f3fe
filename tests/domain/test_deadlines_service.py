"""The deadline service: the rule book in domain terms, and every engine error as a domain error."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain import deadlines
from domain.deadlines import JurisdictionNotFoundError, RuleBook, RuleNotFoundError
from domain.shared.errors import (
    DeadlineInputError,
    PermissionDeniedError,
    ValidationError,
)
from domain.shared.model import Actor, ActorKind, Role

SPECIALIST = Actor(kind=ActorKind.USER, id=None, role=Role.SPECIALIST, name="specialist")
SYSTEM = Actor(kind=ActorKind.TOKEN, id=None, role=Role.SYSTEM, name="pipeline")
RIGHTS = "GB/uk-gdpr.rights-request"
BREACH = "GB/uk-gdpr.breach-notification"  # clock starts on the required event `aware`
RECEIVED = datetime(2025, 9, 3, 9, 0, tzinfo=UTC)  # 10:00 in London (BST)
NAIVE = datetime(2025, 9, 3, 10, 0)  # noqa: DTZ001 - naive on purpose


@pytest.fixture(scope="module")
def book() -> RuleBook:
    return deadlines.load()


def test_the_shipped_rule_book_lists_every_jurisdiction_by_code(book: RuleBook) -> None:
    found = deadlines.list_jurisdictions(book, actor=SYSTEM)
    codes = [j.code for j in found]
    assert codes == sorted(codes)
    assert {"GB", "DE", "US-CA", "EU"} <= set(codes)
    assert sum(len(j.rules) for j in found) == len(book)


def test_a_jurisdiction_is_found_by_code_in_any_letter_case(book: RuleBook) -> None:
    gb = deadlines.get_jurisdiction(book, "gb", actor=SPECIALIST)
    assert gb.code == "GB"
    assert RIGHTS in [rule.id for rule in gb.rules]


def test_unknown_codes_and_rule_ids_are_the_engines_not_found_errors(book: RuleBook) -> None:
    with pytest.raises(JurisdictionNotFoundError) as no_pack:
        deadlines.get_jurisdiction(book, "XX", actor=SPECIALIST)
    assert no_pack.value.public_fields() == {"kind": "jurisdiction", "id": "XX"}
    with pytest.raises(RuleNotFoundError) as no_rule:
        deadlines.get_rule(book, "GB/nothing", actor=SPECIALIST)
    assert no_rule.value.public_fields() == {"kind": "deadline rule", "id": "GB/nothing"}
    with pytest.raises(RuleNotFoundError):
        deadlines.preview_deadline(book, "GB/nothing", received_at=RECEIVED, actor=SPECIALIST)


def test_a_preview_is_the_engines_deadline(book: RuleBook) -> None:
    deadline = deadlines.preview_deadline(book, RIGHTS, received_at=RECEIVED, actor=SPECIALIST)
    assert deadline.rule_id == RIGHTS
    assert deadline.due_date == date(2025, 10, 3)
    assert deadline.extended_due_date == date(2025, 12, 3)
    assert deadline.to_json()["due_at"] == "2025-10-03T23:59:59.999999+01:00"
    assert deadline.steps[0].text == "received Wed 3 Sep 2025 10:00 (Europe/London, +01:00)"


def test_a_preview_takes_events_pauses_zone_and_subdivision(book: RuleBook) -> None:
    paused = deadlines.preview_deadline(
        book,
        RIGHTS,
        received_at=RECEIVED,
        tz="Europe/London",
        subdivision="SCT",
        events={"identity_verified": RECEIVED + timedelta(days=2)},
        pauses=[(RECEIVED + timedelta(days=7), RECEIVED + timedelta(days=8))],
        actor=SPECIALIST,
    )
    assert paused.clock_started_at == RECEIVED + timedelta(days=2)
    assert paused.due_date == date(2025, 10, 7)  # 5 Oct + 2 stopped days, a Tuesday


def test_system_tokens_may_read_rules_but_not_preview(book: RuleBook) -> None:
    deadlines.get_rule(book, RIGHTS, actor=SYSTEM)
    with pytest.raises(PermissionDeniedError):
        deadlines.preview_deadline(book, RIGHTS, received_at=RECEIVED, actor=SYSTEM)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"received_at": NAIVE}, "received_at"),
        ({"events": {"identity_verified": NAIVE}}, "events.identity_verified"),
        ({"pauses": [(NAIVE, None)]}, "pauses[0].start"),
        (
            {"pauses": [(RECEIVED, RECEIVED), (RECEIVED + timedelta(days=1), NAIVE)]},
            "pauses[1].end",
        ),
        ({"tz": "Mars/Olympus_Mons"}, "tz"),
        ({"subdivision": "BY"}, "subdivision"),
        ({"pauses": [(RECEIVED + timedelta(days=2), RECEIVED)]}, "pauses"),
    ],
    ids=[
        "naive-receipt",
        "naive-event",
        "naive-pause",
        "naive-pause-end",
        "zone",
        "region",
        "pause",
    ],
)
def test_unusable_inputs_name_their_field(book: RuleBook, kwargs: dict, field: str) -> None:
    arguments = {"received_at": RECEIVED, **kwargs}
    with pytest.raises(DeadlineInputError) as caught:
        deadlines.preview_deadline(book, RIGHTS, actor=SPECIALIST, **arguments)
    assert caught.value.field == field
    assert isinstance(caught.value, ValidationError)
    assert caught.value.public_fields() == {"field": field}


def test_a_missing_starting_event_and_a_forbidden_pause_name_their_field(book: RuleBook) -> None:
    with pytest.raises(DeadlineInputError) as missing:
        deadlines.preview_deadline(book, BREACH, received_at=RECEIVED, actor=SPECIALIST)
    assert missing.value.field == "events.aware"
    with pytest.raises(DeadlineInputError) as no_stops:
        deadlines.preview_deadline(
            book,
            BREACH,
            received_at=RECEIVED,
            events={"aware": RECEIVED},
            pauses=[(RECEIVED, None)],
            actor=SPECIALIST,
        )
    assert no_stops.value.field == "pauses"
    assert "may not be paused" in str(no_stops.value)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("2025-09-03T10:00:00+01:00", RECEIVED),
        ("2025-09-03T09:00Z", RECEIVED),
        (" 2025-09-03T09:00:00+00:00 ", RECEIVED),
    ],
)
def test_instants_are_parsed_from_iso_8601_with_an_offset(text: str, want: datetime) -> None:
    assert deadlines.parse_instant(text, field="received_at") == want


@pytest.mark.parametrize("text", ["2025-09-03T10:00:00", "2025-09-03", "yesterday", ""])
def test_naive_or_malformed_instants_are_refused_naming_the_field(text: str) -> None:
    with pytest.raises(DeadlineInputError) as caught:
        deadlines.parse_instant(text, field="--received")
    assert caught.value.field == "--received"
    assert str(caught.value).startswith("--received: ")


@pytest.mark.parametrize(
    ("rule_id", "want"),
    [
        pytest.param(
            RIGHTS, [("identity_verified", False), ("fee_received", False)], id="UK GDPR Art 12A"
        ),
        pytest.param(BREACH, [("aware", True)], id="UK GDPR Art 33(1)"),
        pytest.param("US/subpoena", [("specified_due", False)], id="as specified in the order"),
        pytest.param(
            "AU/osa.removal-notice", [("specified_due", False)], id="OSA s.109 later-if-given"
        ),
        pytest.param("DE/gdpr.rights-request", [], id="GDPR Art 12(3) from receipt"),
    ],
)
def test_the_events_a_rule_reads_are_named_in_the_engines_order(
    book: RuleBook, rule_id: str, want: list[tuple[str, bool]]
) -> None:
    rule = deadlines.get_rule(book, rule_id, actor=SPECIALIST)
    events = deadlines.clock_events(rule)
    assert [(e.name, e.required) for e in events] == want
    assert all(e.citation for e in events)


def test_every_event_a_rule_names_changes_its_deadline(book: RuleBook) -> None:
    later = RECEIVED + timedelta(days=400)  # past any period: an allowed later date counts too
    for rule in book.rules():
        events = deadlines.clock_events(rule)
        # the events the clock cannot start without, at receipt, unless they are the one tested
        needed = {e.name: RECEIVED for e in events if e.required}
        for event in events:
            others = {name: at for name, at in needed.items() if name != event.name}
            try:
                without = deadlines.preview_deadline(
                    book, rule.id, received_at=RECEIVED, events=others, actor=SPECIALIST
                ).due_at
            except DeadlineInputError:
                without = None  # the clock cannot start without it
            given = deadlines.preview_deadline(
                book,
                rule.id,
                received_at=RECEIVED,
                events={**others, event.name: later},
                actor=SPECIALIST,
            )
            assert given.due_at != without, (rule.id, event.name)


@pytest.mark.parametrize(
    ("text", "zone", "want"),
    [
        ("2026-03-02T10:30", "Europe/Berlin", datetime(2026, 3, 2, 9, 30, tzinfo=UTC)),
        ("2026-03-02T10:30:15", "UTC", datetime(2026, 3, 2, 10, 30, 15, tzinfo=UTC)),
        ("2026-07-01T09:00", "America/New_York", datetime(2026, 7, 1, 13, 0, tzinfo=UTC)),
        ("2026-03-02T10:30+01:00", "Asia/Tokyo", datetime(2026, 3, 2, 9, 30, tzinfo=UTC)),
        # clocks put back: 01:30 happens twice in New York on 1 November; the earlier is taken
        ("2026-11-01T01:30", "America/New_York", datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),
    ],
    ids=["winter", "seconds", "summer", "own-offset", "fold-earlier"],
)
def test_a_wall_clock_time_is_read_in_its_zone(text: str, zone: str, want: datetime) -> None:
    got = deadlines.local_instant(text, zone, field="received_at", zone_field="zone")
    assert got.tzinfo is UTC
    assert got == want


@pytest.mark.parametrize(
    ("text", "zone", "field", "words"),
    [
        ("2026-03-29T02:30", "Europe/Berlin", "received_at", "clocks were put forward"),
        ("2026-03-02 nine", "UTC", "received_at", "is not a date and time"),
        ("", "UTC", "received_at", "is not a date and time"),
        ("2026-03-02T10:30", "Europe/Atlantis", "zone", "is not an IANA time zone"),
        ("2026-03-02T10:30", "", "zone", "is not an IANA time zone"),
        ("2026-03-02T10:30", "../etc/passwd", "zone", "is not an IANA time zone"),
    ],
    ids=["skipped-hour", "malformed", "empty", "unknown-zone", "no-zone", "path-as-zone"],
)
def test_a_wall_clock_time_that_names_no_instant_is_refused_naming_the_field(
    text: str, zone: str, field: str, words: str
) -> None:
    with pytest.raises(DeadlineInputError) as refused:
        deadlines.local_instant(text, zone, field="received_at", zone_field="zone")
    assert refused.value.field == field
    assert words in refused.value.message
