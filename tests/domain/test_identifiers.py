"""Data source identifiers in normal form (pure), with a property: letter case never matters."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.holds.identifiers import (
    IdentifierRules,
    match_key,
    normalize_identifier,
    normalized_source,
)

STRICT = IdentifierRules(
    email_local_part_case_insensitive=False, case_sensitive_systems=frozenset({"GitHub"})
)


@pytest.mark.parametrize(
    ("system", "identifier", "expected"),
    [
        ("ACCOUNT", "12345678", "account:12345678"),
        (" email ", " SUSPECT@Example.COM ", "email:suspect@example.com"),
        ("email", "jane@Bücher.Example.", "email:jane@xn--bcher-kva.example"),
        ("email", "jane@xn--bcher-kva.example", "email:jane@xn--bcher-kva.example"),
        ("phone", "+1 (555) 010-9999", "phone:+15550109999"),
        ("url", "HTTPS://Example.com/Path", "url:https://example.com/path"),
        ("account", "@User7781", "account:@user7781"),
        ("device", "ABCDEF-01", "device:abcdef-01"),
    ],
)
def test_identifiers_take_one_normal_form_per_kind(system, identifier, expected) -> None:
    assert normalized_source(system, identifier) == expected
    assert match_key(system, identifier) == expected


def test_a_case_sensitive_system_keeps_letter_case_but_not_the_domains() -> None:
    assert normalized_source("github", "OctoCat", STRICT) == "github:OctoCat"
    assert normalized_source("GITHUB", "Octo@Example.COM", STRICT) == "github:Octo@example.com"
    assert normalized_source("account", "OctoCat", STRICT) == "account:octocat"


def test_the_local_part_of_an_address_keeps_its_case_when_the_setting_says_so() -> None:
    assert normalize_identifier("email", "Jane.Roe@EXAMPLE.com", STRICT) == "Jane.Roe@example.com"
    assert normalize_identifier("email", "Jane.Roe@EXAMPLE.com") == "jane.roe@example.com"


def test_a_domain_that_is_no_host_name_is_still_lower_cased() -> None:
    assert normalize_identifier("email", "a@Bad..Domain") == "a@bad..domain"


systems = st.sampled_from(["email", "account", "Account", "exchange", "drive", "github", "url"])
identifiers = st.one_of(
    st.from_regex(r"[A-Za-z0-9._+-]{1,20}@[A-Za-z0-9-]{1,12}\.[A-Za-z]{2,6}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9@._/:-]{1,40}", fullmatch=True),
)


def _flip(text: str, flips: list[bool]) -> str:
    padded = flips + [False] * len(text)
    return "".join((c.swapcase() if f else c) for c, f in zip(text, padded, strict=False))


@settings(max_examples=300, deadline=None)
@given(system=systems, identifier=identifiers, flips=st.lists(st.booleans(), max_size=60))
def test_any_letter_case_of_a_held_identifier_has_its_key_and_normal_form(
    system: str, identifier: str, flips: list[bool]
) -> None:
    variant = _flip(identifier, flips)
    loud_system = system.upper()
    assert match_key(loud_system, variant) == match_key(system, identifier)
    assert normalized_source(loud_system, variant) == normalized_source(system, identifier)


@settings(max_examples=300, deadline=None)
@given(system=systems, identifier=identifiers, flips=st.lists(st.booleans(), max_size=60))
def test_forms_equal_under_any_rules_have_one_key(
    system: str, identifier: str, flips: list[bool]
) -> None:
    """The stored key never keeps apart what the operator's rules take as one."""
    variant = _flip(identifier, flips)
    if normalized_source(system, variant, STRICT) == normalized_source(system, identifier, STRICT):
        assert match_key(system, variant) == match_key(system, identifier)
