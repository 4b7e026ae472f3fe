"""Properties every deadline must have, whatever the rule, the receipt time or the pauses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from jurisdictions import PeriodUnit, Rule, compute_deadline, load_rulebook

BOOK = load_rulebook()
TIMED = [rule for rule in BOOK.rules() if rule.period.unit is not PeriodUnit.AS_SPECIFIED]
ROLLING = [
    rule
    for rule in TIMED
    if rule.calendar.roll_forward and rule.period.unit is not PeriodUnit.HOURS
]
PAUSABLE = [rule for rule in TIMED if rule.stops.allowed]

instants = st.datetimes(  # hypothesis takes naive bounds and adds the zone itself
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001
    max_value=datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)
rules = st.sampled_from(TIMED)


def _starting(rule: Rule, received_at: datetime) -> dict[str, datetime]:
    """The event the rule's clock starts on (awareness, a removal …), at the receipt."""
    return {rule.clock.event: received_at}


def _due(rule: Rule, received_at: datetime, **kwargs: object) -> datetime:
    events = _starting(rule, received_at)
    deadline = compute_deadline(rule, received_at, events=events, **kwargs)  # type: ignore[arg-type]
    assert deadline.due_at is not None
    return deadline.due_at


@settings(max_examples=300, deadline=None)
@given(rule=rules, received_at=instants)
def test_the_due_date_never_precedes_receipt(rule: Rule, received_at: datetime) -> None:
    deadline = compute_deadline(rule, received_at, events=_starting(rule, received_at))
    assert deadline.due_at is not None
    assert deadline.due_date is not None
    assert deadline.due_at > received_at
    assert deadline.due_date >= deadline.received_at.astimezone(deadline.due_at.tzinfo).date()
    if deadline.extended_due_at is not None:
        assert deadline.extended_due_at >= deadline.due_at


@settings(max_examples=300, deadline=None)
@given(rule=st.sampled_from(ROLLING), received_at=instants)
def test_with_roll_forward_the_due_date_is_a_working_day(rule: Rule, received_at: datetime) -> None:
    deadline = compute_deadline(rule, received_at, events=_starting(rule, received_at))
    assert deadline.due_date is not None
    assert rule.working_calendar().is_working_day(deadline.due_date)
    if deadline.extended_due_date is not None:
        assert rule.working_calendar().is_working_day(deadline.extended_due_date)


@settings(max_examples=300, deadline=None)
@given(
    rule=rules,
    first=instants,
    gap=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)),
)
def test_a_later_receipt_never_gives_an_earlier_deadline(
    rule: Rule, first: datetime, gap: timedelta
) -> None:
    assert _due(rule, first + gap) >= _due(rule, first)


@settings(max_examples=200, deadline=None)
@given(
    rule=st.sampled_from(PAUSABLE),
    received_at=instants,
    offsets=st.lists(
        st.tuples(
            st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)),
            st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10)),
        ),
        max_size=4,
    ),
    still_open=st.booleans(),
)
def test_pauses_never_shorten_the_deadline(
    rule: Rule,
    received_at: datetime,
    offsets: list[tuple[timedelta, timedelta]],
    still_open: bool,
) -> None:
    pauses: list[tuple[datetime, datetime | None]] = []
    cursor = received_at - timedelta(days=3)  # pauses may begin before the clock starts
    for gap, length in offsets:
        start = cursor + gap
        pauses.append((start, start + length))
        cursor = start + length + timedelta(seconds=1)
    if still_open and pauses:
        pauses[-1] = (pauses[-1][0], None)
    assert _due(rule, received_at, pauses=pauses) >= _due(rule, received_at)


WINDOWED = [rule for rule in TIMED if rule.earliest is not None]


@settings(max_examples=200, deadline=None)
@given(rule=st.sampled_from(WINDOWED), received_at=instants)
def test_a_window_never_opens_after_it_closes(rule: Rule, received_at: datetime) -> None:
    deadline = compute_deadline(rule, received_at, events=_starting(rule, received_at))
    assert deadline.earliest_at is not None
    assert deadline.due_at is not None
    assert deadline.earliest_date is not None
    assert deadline.due_date is not None
    assert received_at < deadline.earliest_at < deadline.due_at
    assert deadline.earliest_date <= deadline.due_date
