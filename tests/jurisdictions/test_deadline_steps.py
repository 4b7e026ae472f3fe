"""Steps are recorded as notes while computing and written out only when read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from jurisdictions import RuleBook, compute_deadline, load_rulebook

RECEIVED = datetime(2026, 2, 2, 9, 40, tzinfo=UTC)

HOUR_PACK = """
[jurisdiction]
code = "XX"
name = "Testland"
default_tz = "Europe/London"

[[rule]]
slug = "hours"
title = "t"
citation = "c"
sources = ["https://example.org"]
[rule.period]
amount = 24
unit = "hours"
citation = "p"
[rule.clock_stops]
allowed = true
citation = "s"
"""


def test_the_same_inputs_give_equal_deadlines_and_equal_steps(book: RuleBook) -> None:
    rule = book.rule("GB/uk-gdpr.rights-request")
    first, second = compute_deadline(rule, RECEIVED), compute_deadline(rule, RECEIVED)
    assert first == second
    assert hash(first) == hash(second)
    assert first.steps == second.steps


def test_json_steps_are_the_written_out_steps(book: RuleBook) -> None:
    deadline = compute_deadline(book.rule("US-CA/ccpa.opt-out"), RECEIVED)
    steps = deadline.to_json()["steps"]
    assert steps == [{"text": step.text, "citation": step.citation} for step in deadline.steps]
    assert len(deadline.steps) == len(deadline.notes)
    # Monday 2 Feb 2026 09:40 UTC is 01:40 in Los Angeles: the receipt reads in the rule's zone.
    assert steps[0]["text"] == "received Mon 2 Feb 2026 01:40 (America/Los_Angeles, -08:00)"


def test_a_tz_override_writes_every_instant_in_that_zone(book: RuleBook) -> None:
    deadline = compute_deadline(book.rule("DE/gdpr.rights-request"), RECEIVED, tz="Asia/Tokyo")
    assert deadline.steps[0].text == "received Mon 2 Feb 2026 18:40 (Asia/Tokyo, +09:00)"
    assert any(step.text.endswith("(Asia/Tokyo)") for step in deadline.steps)


def test_an_hour_clock_stop_is_written_as_a_duration(tmp_path: Path) -> None:
    (tmp_path / "xx.toml").write_text(HOUR_PACK)
    rule = load_rulebook(tmp_path).rule("XX/hours")
    pause = (RECEIVED + timedelta(hours=1), RECEIVED + timedelta(hours=3, minutes=30))
    deadline = compute_deadline(rule, RECEIVED, pauses=[pause])
    assert deadline.due_at == RECEIVED + timedelta(hours=26, minutes=30)
    texts = [step.text for step in deadline.steps]
    assert texts[2] == "clock stopped for 2 h 30 min → Tue 3 Feb 2026 12:10 (Europe/London, +00:00)"
    assert [step.citation for step in deadline.steps] == ["c", "p", "s", "c"]


def test_a_date_set_by_the_authority_is_explained_with_who_set_it_and_where(
    book: RuleBook,
) -> None:
    order = book.rule("EU/dsa.art9-order")
    set_at = RECEIVED + timedelta(days=3)
    sourced = compute_deadline(
        order, RECEIVED, events={"specified_due": set_at}, specified_source="Arcom in order 17"
    )
    bare = compute_deadline(order, RECEIVED, events={"specified_due": set_at})
    assert sourced.due_at == bare.due_at == set_at
    assert any(s.text.startswith("due as set by Arcom in order 17: ") for s in sourced.steps)
    assert not any("Arcom" in s.text for s in bare.steps)


def test_a_longer_period_allowed_by_the_authority_names_who_allowed_it(book: RuleBook) -> None:
    # Online Safety Act 2021 (Cth): 24 hours, or such longer period as the Commissioner allows
    notice = book.rule("AU/osa.removal-notice")
    later = RECEIVED + timedelta(hours=48)
    sourced = compute_deadline(
        notice, RECEIVED, events={"specified_due": later}, specified_source="eSafety in notice 9"
    )
    assert sourced.due_at == later
    assert any(s.text.startswith("longer period set by eSafety in notice 9") for s in sourced.steps)
