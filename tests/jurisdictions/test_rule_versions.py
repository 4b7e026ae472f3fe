"""Rules that change over time: the version in force when the clock starts applies."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jurisdictions import compute_deadline, load_rulebook
from jurisdictions.errors import RulePackError

KOLKATA = ZoneInfo("Asia/Kolkata")
AMENDED = date(2026, 2, 20)

VERSIONED_PACK = """
[jurisdiction]
code = "XX"
name = "Testland"
default_tz = "Europe/Berlin"

[[rule]]
slug = "breach"
title = "Report a breach"
citation = "Test Act s.1"
sources = ["https://example.org/act"]
reminders = ["1h"]

[rule.period]
amount = 72
unit = "hours"
citation = "Test Act s.1(1)"

[rule.clock]
starts_on = "aware"
required = true
citation = "Test Act s.1(2)"

[[rule.version]]
effective_from = 2026-07-01
citation = "Test Act s.1 as amended in 2026"
sources = ["https://example.org/amendment"]

[rule.version.period]
amount = 24
unit = "hours"
citation = "Test Act s.1(1) as amended"
"""


def _pack(tmp_path: Path, text: str) -> Path:
    (tmp_path / "xx.toml").write_text(text)
    return tmp_path


def _ist(*args: int) -> datetime:
    return datetime(*args, tzinfo=KOLKATA)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("rule_id", "received", "hours", "version"),
    [
        pytest.param(
            "IN/it-rules.takedown-order",
            _ist(2026, 2, 19, 23, 30),
            36,
            date(2021, 2, 25),
            id="order the evening before: 36 hours",
        ),
        pytest.param(
            "IN/it-rules.takedown-order",
            _ist(2026, 2, 20, 0, 30),
            3,
            AMENDED,
            id="order after midnight IST: 3 hours",
        ),
        pytest.param(
            "IN/it-rules.ncii-takedown",
            _ist(2026, 2, 19, 12),
            24,
            date(2021, 2, 25),
            id="complaint before: 24 hours",
        ),
        pytest.param(
            "IN/it-rules.ncii-takedown", _ist(2026, 3, 1, 12), 2, AMENDED, id="complaint after: 2h"
        ),
    ],
)
def test_each_receipt_gets_the_version_in_force_when_its_clock_started(
    book, rule_id, received, hours, version
) -> None:
    deadline = compute_deadline(book.rule(rule_id), received)
    assert deadline.due_at - received == timedelta(hours=hours)
    assert deadline.rule_version == version
    assert deadline.to_json()["rule_version"] == version.isoformat()


def test_the_explanation_names_the_version_and_cites_it(book) -> None:
    deadline = compute_deadline(book.rule("IN/it-rules.takedown-order"), _ist(2026, 3, 2, 9))
    version_step = next(step for step in deadline.steps if "as in force from" in step.text)
    assert "Fri 20 Feb 2026" in version_step.text
    assert "clock started Mon 2 Mar 2026 09:00" in version_step.text
    assert "Amendment Rules, 2026" in version_step.citation
    assert deadline.citation == version_step.citation
    assert deadline.reminder_offsets == (
        timedelta(hours=2),
        timedelta(hours=1),
        timedelta(minutes=30),
    )


def test_as_of_picks_the_version_in_force_at_that_time(book) -> None:
    rule = book.rule("IN/it-rules.takedown-order")
    received = _ist(2026, 3, 2, 9)
    deadline = compute_deadline(rule, received, as_of=_ist(2026, 1, 31, 12))
    assert deadline.due_at - received == timedelta(hours=36)
    assert any("as of Sat 31 Jan 2026" in step.text for step in deadline.steps)


def test_a_rule_with_one_version_names_none(book) -> None:
    deadline = compute_deadline(book.rule("GB/uk-gdpr.rights-request"), datetime.now(UTC))
    assert deadline.rule_version is None
    assert not any("as in force from" in step.text for step in deadline.steps)


def test_the_event_that_starts_the_clock_decides_the_version_not_receipt(tmp_path) -> None:
    rule = load_rulebook(_pack(tmp_path, VERSIONED_PACK)).rule("XX/breach")
    berlin = ZoneInfo("Europe/Berlin")
    received = datetime(2026, 7, 2, 9, tzinfo=berlin)
    aware_before = datetime(2026, 6, 30, 23, tzinfo=berlin)
    early = compute_deadline(rule, received, events={"aware": aware_before})
    assert early.due_at - aware_before == timedelta(hours=72)
    aware_after = datetime(2026, 7, 1, 0, 30, tzinfo=berlin)
    late = compute_deadline(rule, received, events={"aware": aware_after})
    assert late.due_at - aware_after == timedelta(hours=24)
    assert late.reminder_offsets == (timedelta(hours=1),)  # not given: taken from the rule


@settings(max_examples=200, deadline=None)
@given(
    first=st.datetimes(  # hypothesis takes naive bounds and adds the zone itself
        min_value=datetime(2025, 1, 1),  # noqa: DTZ001
        max_value=datetime(2027, 12, 31),  # noqa: DTZ001
        timezones=st.just(KOLKATA),
    ),
    gap=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)),
)
def test_a_later_receipt_never_gets_an_older_version(book, first, gap) -> None:
    rule = book.rule("IN/it-rules.ncii-takedown")
    one, two = compute_deadline(rule, first), compute_deadline(rule, first + gap)
    assert one.rule_version is not None
    assert two.rule_version is not None
    assert two.rule_version >= one.rule_version
    assert (one.rule_version == AMENDED) == (first.date() >= AMENDED)


@pytest.mark.parametrize(
    ("old", "new", "field", "says"),
    [
        ("effective_from = 2026-07-01\n", "", "rule[0].version[0].effective_from", "missing"),
        (
            "effective_from = 2026-07-01",
            'effective_from = "2026-07-01"',
            "rule[0].version[0].effective_from",
            "must be a date",
        ),
        (
            "effective_from = 2026-07-01",
            "effective_from = 2026-07-01T00:00:00",
            "rule[0].version[0].effective_from",
            "without a time",
        ),
        (
            'citation = "Test Act s.1 as amended in 2026"\n',
            "",
            "rule[0].version[0].citation",
            "missing",
        ),
        (
            "[rule.version.period]",
            '[rule.version.clock]\nstarts_on = "received"\n[rule.version.period]',
            "rule[0].version[0].clock",
            "same events",
        ),
        (
            "effective_from = 2026-07-01",
            'effective_from = 2026-07-01\nslug = "other"',
            "rule[0].version[0].slug",
            "unknown field",
        ),
        (
            'reminders = ["1h"]',
            'reminders = ["1h"]\neffective_from = 2026-08-01',
            "rule[0].version[0].effective_from",
            "after 2026-08-01",
        ),
    ],
)
def test_a_bad_version_names_its_field(tmp_path, old: str, new: str, field: str, says: str) -> None:
    assert old in VERSIONED_PACK
    with pytest.raises(RulePackError) as caught:
        load_rulebook(_pack(tmp_path, VERSIONED_PACK.replace(old, new, 1)))
    assert caught.value.field == field
    assert says in str(caught.value)
