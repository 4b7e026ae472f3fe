"""Loading rule packs: the shipped book, look-ups, and every way a pack file can be wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from jurisdictions import (
    JurisdictionNotFoundError,
    PeriodUnit,
    RuleBook,
    RuleNotFoundError,
    RulePackError,
    UnknownSubdivisionError,
    load_rulebook,
)

REQUIRED_IDS = [
    "GB/uk-gdpr.rights-request",
    "GB/uk-gdpr.breach-notification",
    "US-CA/ccpa.request-to-know",
    "US-CA/ccpa.request-to-delete",
    "US-CA/ccpa.request-to-correct",
    "US-CA/ccpa.confirm-receipt",
    "US-CA/ccpa.opt-out",
    "US-CO/cpa.consumer-request",
    "US-CT/ctdpa.consumer-request",
    "US-TX/tdpsa.consumer-request",
    "US-UT/ucpa.consumer-request",
    "US-VA/vcdpa.consumer-request",
    "US/sca-2703f.preservation",
    "US/subpoena",
    "US/court-order",
    "US/search-warrant",
    "US/emergency-disclosure",
    "BR/lgpd.access-complete",
    "SG/pdpa.access-request",
    "CA/pipeda.access-request",
    "AU/osa.removal-notice",
    "KR/pipa.access-request",
    "KR/pipa.correction-request",
    "IN/it-rules.takedown-order",
    "EU/dsa.art9-order",
    "EU/dsa.art10-order",
]

GOOD_PACK = """
[jurisdiction]
code = "XX"
name = "Testland"
holidays_country = "DE"
default_tz = "Europe/Berlin"

[[rule]]
slug = "test.rule"
title = "A rule"
citation = "Test Act s.1"
sources = ["https://example.org/act"]
reminders = ["2d", "12h", "30m"]

[rule.period]
amount = 10
unit = "calendar_days"
citation = "Test Act s.1(1)"
"""


@pytest.mark.parametrize("rule_id", REQUIRED_IDS)
def test_every_required_rule_exists_and_is_cited(book: RuleBook, rule_id: str) -> None:
    rule = book.rule(rule_id)
    assert rule.citation
    assert rule.period.citation
    assert rule.clock.citation
    assert rule.sources
    assert all(source.startswith("https://") for source in rule.sources)


def test_the_book_covers_at_least_40_jurisdictions(book: RuleBook) -> None:
    assert len(book.jurisdictions()) >= 40
    assert all(rule.jurisdiction == j.code for j in book.jurisdictions() for rule in j.rules)
    assert len(book) == len(book.rules())


def test_every_rule_id_is_jurisdiction_slash_slug(book: RuleBook) -> None:
    for rule in book.rules():
        code, slug = rule.id.split("/")
        assert code == rule.jurisdiction
        assert slug


def test_a_jurisdiction_is_found_by_code(book: RuleBook) -> None:
    gb = book.jurisdiction("GB")
    assert gb.name == "United Kingdom"
    assert {rule.id for rule in gb.rules} >= {"GB/uk-gdpr.rights-request"}


def test_an_unknown_rule_id_is_reported(book: RuleBook) -> None:
    with pytest.raises(RuleNotFoundError) as caught:
        book.rule("XX/nothing")
    assert caught.value.rule_id == "XX/nothing"


def test_a_rule_id_in_any_letter_case_finds_the_rule_by_its_own_spelling(book: RuleBook) -> None:
    assert book.rule("gb/UK-GDPR.Rights-Request").id == "GB/uk-gdpr.rights-request"
    assert book.rule(" us-ca/ccpa.opt-out ").id == "US-CA/ccpa.opt-out"


def test_a_subdivision_code_in_any_letter_case_is_the_rules_code(book: RuleBook) -> None:
    rule = book.jurisdiction("DE").rules[0]
    assert [rule.subdivision_code(c) for c in ("by", "By", "BY", None)] == ["BY", "BY", "BY", None]
    assert rule.working_calendar("by") is rule.working_calendar("BY")
    with pytest.raises(UnknownSubdivisionError):
        rule.subdivision_code("Bavaria")


def test_only_iso_3166_2_subdivisions_are_offered(book: RuleBook) -> None:
    # holidays lists the city of Augsburg among Germany's subdivisions (a city holiday).
    german = book.jurisdiction("DE").rules[0]
    assert german.subdivisions == (
        "BB", "BE", "BW", "BY", "HB", "HE", "HH", "MV",
        "NI", "NW", "RP", "SH", "SL", "SN", "ST", "TH",
    )  # fmt: skip
    with pytest.raises(UnknownSubdivisionError):
        german.working_calendar("Augsburg")
    offered = {code for j in book.jurisdictions() for r in j.rules for code in r.subdivisions}
    assert {"Zone A", "Flemish", "Barcelona", "Andria"}.isdisjoint(offered)
    assert {"SCT", "BY", "CA", "971"} <= offered


def test_an_unknown_jurisdiction_is_reported(book: RuleBook) -> None:
    with pytest.raises(JurisdictionNotFoundError) as caught:
        book.jurisdiction("EL")
    assert caught.value.code == "EL"


def test_a_single_pack_file_loads_with_defaults(tmp_path: Path) -> None:
    file = tmp_path / "xx.toml"
    file.write_text(GOOD_PACK)
    rule = load_rulebook(file).rule("XX/test.rule")
    assert rule.period.unit is PeriodUnit.CALENDAR_DAYS
    assert [offset.total_seconds() for offset in rule.reminder_offsets] == [172800, 43200, 1800]
    assert rule.extension is None
    assert not rule.stops.allowed
    assert not rule.calendar.roll_forward


def _pack(tmp_path: Path, text: str) -> Path:
    (tmp_path / "xx.toml").write_text(text)
    return tmp_path


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('title = "A rule"\n', "", "rule[0].title"),
        ('unit = "calendar_days"', 'unit = "fortnights"', "rule[0].period.unit"),
        ('holidays_country = "DE"', 'holidays_country = "QQ"', "jurisdiction.holidays_country"),
        ('default_tz = "Europe/Berlin"', 'default_tz = "Mars/Olympus"', "jurisdiction.default_tz"),
        ('code = "XX"', 'code = "xx land"', "jurisdiction.code"),
        ('slug = "test.rule"', 'slug = "Test Rule"', "rule[0].slug"),
        ('"https://example.org/act"', '"http://example.org/act"', "rule[0].sources"),
        ("amount = 10", "amount = 0", "rule[0].period.amount"),
        ("amount = 10", 'amount = "ten"', "rule[0].period.amount"),
        ('title = "A rule"', 'title = "A rule"\ncolour = "red"', "rule[0].colour"),
        ('"30m"', '"soon"', "rule[0].reminders"),
        ('citation = "Test Act s.1"', 'citation = "  "', "rule[0].citation"),
        ('sources = ["https://example.org/act"]', "sources = []", "rule[0].sources"),
        (
            'name = "Testland"',
            'name = "Testland"\ndefault_subdivision = "ZZ"',
            "jurisdiction.default_subdivision",
        ),
        ("[rule.period]", "[rule.period]\nnope = 1", "rule[0].period.nope"),
    ],
)
def test_a_bad_pack_names_its_file_and_field(tmp_path: Path, old: str, new: str, field: str):
    assert old in GOOD_PACK
    root = _pack(tmp_path, GOOD_PACK.replace(old, new, 1))
    with pytest.raises(RulePackError) as caught:
        load_rulebook(root)
    assert caught.value.field == field
    assert caught.value.file.endswith("xx.toml")
    assert field in str(caught.value)
    assert "xx.toml" in str(caught.value)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (
            '[rule.calendar]\nnon_working_weekdays = ["caturday"]\n',
            "rule[0].calendar.non_working_weekdays",
        ),
        ('[rule.calendar]\nroll_forward = "yes"\n', "rule[0].calendar.roll_forward"),
        ('[rule.clock]\nday_counting = "sometimes"\n', "rule[0].clock.day_counting"),
        ('[rule.months]\nmissing_day = "skip"\n', "rule[0].months.missing_day"),
        (
            '[rule.extension]\namount = 5\nunit = "hours"\nconditions = "x"\ncitation = "y"\n',
            "rule[0].extension.unit",
        ),
        (
            '[rule.extension]\namount = 1\nunit = "months"\nconditions = "x"\ncitation = "y"\n',
            "rule[0].extension.unit",
        ),
        ('[rule.extension]\namount = 1\nconditions = "x"\n', "rule[0].extension.citation"),
        ("[rule.clock_stops]\nallowed = true\n", "rule[0].clock_stops.citation"),
        (
            '[rule.clock_stops]\nallowed = true\ncitation = "c"\nhow = 1\n',
            "rule[0].clock_stops.how",
        ),
        ('tz = "Nowhere/Town"\n', "rule[0].tz"),
        (
            '[rule.window]\namount = 10\nunit = "calendar_days"\ncitation = "c"\n',
            "rule[0].window.amount",
        ),
        ('[rule.window]\namount = 5\nunit = "hours"\ncitation = "c"\n', "rule[0].window.unit"),
    ],
)
def test_a_bad_rule_table_names_its_field(tmp_path: Path, extra: str, field: str) -> None:
    text = (
        GOOD_PACK + extra
        if extra.startswith("[")
        else GOOD_PACK.replace("[rule.period]", extra + "\n[rule.period]")
    )
    with pytest.raises(RulePackError) as caught:
        load_rulebook(_pack(tmp_path, text))
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("this is not toml = = =", "<file>"),
        ('[jurisdiction]\ncode = "XX"\nname = "x"\ndefault_tz = "UTC"\n', "rule"),
        ('rule = [1]\n[jurisdiction]\ncode = "XX"\nname = "x"\ndefault_tz = "UTC"\n', "rule[0]"),
        ("rule = []\n", "jurisdiction"),
        ("jurisdiction = 3\n", "jurisdiction"),
        ('[jurisdiction]\ncode = "XX"\nname = "x"\ndefault_tz = "UTC"\n[other]\n', "other"),
    ],
)
def test_a_malformed_pack_file_is_rejected(tmp_path: Path, text: str, field: str) -> None:
    with pytest.raises(RulePackError) as caught:
        load_rulebook(_pack(tmp_path, text))
    assert caught.value.field == field


def test_two_packs_for_one_jurisdiction_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(GOOD_PACK)
    (tmp_path / "b.toml").write_text(GOOD_PACK)
    with pytest.raises(RulePackError) as caught:
        load_rulebook(tmp_path)
    assert caught.value.field == "jurisdiction.code"


def test_the_same_slug_twice_in_one_pack_is_rejected(tmp_path: Path) -> None:
    second = GOOD_PACK[GOOD_PACK.index("[[rule]]") :]
    with pytest.raises(RulePackError) as caught:
        load_rulebook(_pack(tmp_path, GOOD_PACK + "\n" + second))
    assert caught.value.field == "rule.slug"


def test_an_empty_folder_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(RulePackError) as caught:
        load_rulebook(tmp_path)
    assert caught.value.field == "<folder>"
