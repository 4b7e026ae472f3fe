"""Organisation targets: where the law sets no period, the organisation's own, labelled as such."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from jurisdictions import RuleNotFoundError, compute_deadline, load_rulebook
from jurisdictions.errors import NotATargetError, RulePackError
from jurisdictions.model import PeriodUnit

ART16 = "EU/dsa.art16-notice"
BRUSSELS = ZoneInfo("Europe/Brussels")
RECEIVED = datetime(2026, 3, 2, 10, tzinfo=BRUSSELS)  # a Monday


def test_a_dsa_notice_runs_the_packs_target_and_says_it_is_not_the_laws(book) -> None:
    deadline = compute_deadline(book.rule(ART16), RECEIVED)
    assert deadline.due_at - RECEIVED == timedelta(hours=48)
    [label] = [s for s in deadline.steps if "no period in law" in s.text]
    assert label.text == "no period in law: the organisation's target of 48 hours applies"
    assert "organisation's target" in label.citation


def test_the_organisation_sets_its_own_target_in_hours_or_working_days(book) -> None:
    hours = book.with_targets({ART16: (24, PeriodUnit.HOURS)})
    assert compute_deadline(hours.rule(ART16), RECEIVED).due_at - RECEIVED == timedelta(hours=24)
    days = book.with_targets({ART16: (5, PeriodUnit.BUSINESS_DAYS)})
    deadline = compute_deadline(days.rule(ART16), RECEIVED)
    assert deadline.due_date == date(2026, 3, 9)  # five working days after Monday 2 March
    assert any("target of 5 business days" in s.text for s in deadline.steps)
    assert book.rule(ART16).period.amount == 48  # the book it was made from is unchanged


def test_a_period_the_law_sets_cannot_be_made_a_target(book) -> None:
    with pytest.raises(NotATargetError, match="set by law"):
        book.with_targets({"EU/tco.removal-order": (24, PeriodUnit.HOURS)})
    with pytest.raises(RuleNotFoundError):
        book.with_targets({"EU/nothing": (24, PeriodUnit.HOURS)})


def test_a_target_needs_a_length(tmp_path: Path) -> None:
    (tmp_path / "xx.toml").write_text(
        '[jurisdiction]\ncode = "XX"\nname = "X"\ndefault_tz = "UTC"\n'
        '[[rule]]\nslug = "a"\ntitle = "A"\ncitation = "c"\nsources = ["https://example.org"]\n'
        '[rule.period]\nunit = "as_specified"\ntarget = true\ncitation = "c"\n'
    )
    with pytest.raises(RulePackError) as caught:
        load_rulebook(tmp_path)
    assert caught.value.field == "rule[0].period.target"
