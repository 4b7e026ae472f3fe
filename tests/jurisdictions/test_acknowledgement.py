"""Rule packs: `acknowledgement` names the rule giving a receipt-acknowledgement deadline."""

from __future__ import annotations

from pathlib import Path

import pytest

from jurisdictions import RuleBook, RulePackError, load_rulebook

PACK = """
[jurisdiction]
code = "XX"
name = "Testland"
holidays_country = "DE"
default_tz = "Europe/Berlin"

[[rule]]
slug = "test.respond"
title = "Respond"
citation = "Test Act s.1"
sources = ["https://example.org/act"]
acknowledgement = "{ack}"

[rule.period]
amount = 30
unit = "calendar_days"
citation = "Test Act s.1(1)"

[[rule]]
slug = "test.confirm"
title = "Confirm receipt"
citation = "Test Act s.2"
sources = ["https://example.org/act"]

[rule.period]
amount = 5
unit = "business_days"
citation = "Test Act s.2(1)"
"""


def _write(tmp_path: Path, ack: str) -> Path:
    file = tmp_path / "xx.toml"
    file.write_text(PACK.replace("{ack}", ack))
    return file


@pytest.mark.parametrize(
    "rule_id",
    ["US-CA/ccpa.request-to-know", "US-CA/ccpa.request-to-delete", "US-CA/ccpa.request-to-correct"],
)
def test_ccpa_requests_are_acknowledged_under_confirm_receipt(book: RuleBook, rule_id: str) -> None:
    rule = book.rule(rule_id)
    assert rule.acknowledgement_rule_id == "US-CA/ccpa.confirm-receipt"
    ack = book.rule(rule.acknowledgement_rule_id)
    assert ack.citation == "11 CCR § 7021(a)"
    assert (ack.period.amount, ack.period.unit.value) == (10, "business_days")


def test_rules_without_the_key_have_no_acknowledgement(book: RuleBook) -> None:
    assert book.rule("GB/uk-gdpr.rights-request").acknowledgement_rule_id is None
    assert book.rule("US-CA/ccpa.confirm-receipt").acknowledgement_rule_id is None


def test_every_acknowledgement_names_a_rule_of_the_book(book: RuleBook) -> None:
    for rule in book.rules():
        if rule.acknowledgement_rule_id is not None:
            assert book.rule(rule.acknowledgement_rule_id).id != rule.id


def test_a_pack_may_name_a_rule_of_its_own(tmp_path: Path) -> None:
    rule = load_rulebook(_write(tmp_path, "XX/test.confirm")).rule("XX/test.respond")
    assert rule.acknowledgement_rule_id == "XX/test.confirm"


@pytest.mark.parametrize(
    ("ack", "problem"),
    [
        ("XX/test.nothing", "no rule with id 'XX/test.nothing'"),
        ("XX/test.respond", "its own acknowledgement"),
    ],
)
def test_a_bad_acknowledgement_names_file_and_field(tmp_path: Path, ack: str, problem: str) -> None:
    file = _write(tmp_path, ack)
    with pytest.raises(RulePackError) as caught:
        load_rulebook(tmp_path)
    assert caught.value.file == str(file)
    assert caught.value.field == "rule[0].acknowledgement"
    assert problem in caught.value.problem


def test_an_acknowledgement_must_run_from_receipt(tmp_path: Path) -> None:
    text = PACK.replace("{ack}", "XX/test.confirm").replace(
        'amount = 5\nunit = "business_days"', 'unit = "as_specified"'
    )
    (tmp_path / "xx.toml").write_text(text)
    with pytest.raises(RulePackError) as caught:
        load_rulebook(tmp_path)
    assert caught.value.field == "rule[0].acknowledgement"
    assert "does not run a period from receipt" in caught.value.problem


def test_an_acknowledgement_must_be_a_string(tmp_path: Path) -> None:
    file = tmp_path / "xx.toml"
    file.write_text(PACK.replace('"{ack}"', "3"))
    with pytest.raises(RulePackError) as caught:
        load_rulebook(file)
    assert caught.value.field == "rule[0].acknowledgement"
