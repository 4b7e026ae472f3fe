"""The preservation check on the real database: letter case never makes held data look free."""

from __future__ import annotations

import importlib
from itertools import product

import pytest

from domain.holds import queries as hold_queries
from domain.holds import service as holds
from domain.holds.identifiers import IdentifierRules
from domain.holds.model import DataSource, LegalHold
from domain.holds.service import NewHold
from domain.holds.tables import HoldDataSourceTable
from tests.conftest import ROOT, T0

pytestmark = pytest.mark.usefixtures("db")

HELD = (
    DataSource(system="email", identifier="suspect@example.com"),
    DataSource(system="account", identifier="12345678"),
    DataSource(system="Exchange", identifier="Jane.Roe@Example.com"),
    DataSource(system="github", identifier="OctoCat"),
)
BACKFILL = "domain.piccolo_migrations.domain_2026_12_07t15_43_55_046571_backfill"


async def _active(*sources: DataSource) -> LegalHold:
    new = NewHold(matter="MAT-7", title="Preserve", data_sources=sources or HELD)
    hold = await holds.create_hold(new, actor=ROOT, now=T0)
    return await holds.issue_hold(hold.id, expected_version=hold.version, actor=ROOT, now=T0)


def _variants(text: str) -> set[str]:
    return {text, text.upper(), text.lower(), text.swapcase(), text.title(), f"  {text.upper()} "}


@pytest.mark.parametrize("source", HELD, ids=lambda s: s.key)
async def test_every_letter_case_of_a_held_data_source_is_preserved(source: DataSource) -> None:
    hold = await _active()
    for system, identifier in product(_variants(source.system), _variants(source.identifier)):
        found = await hold_queries.check_preservation(None, f"{system}:{identifier}", actor=ROOT)
        assert [c.id for c in found] == [hold.id], f"{system}:{identifier}"


async def test_the_answer_says_which_normal_form_matched() -> None:
    hold = await _active()
    found = await hold_queries.check_preservation(
        "Custodian@Nowhere.example", "EMAIL:SUSPECT@Example.com", actor=ROOT
    )
    assert [(c.id, c.matched) for c in found] == [(hold.id, ("email:suspect@example.com",))]
    assert hold_queries.asked_forms("A@B.example", " ACCOUNT : 12 ") == [
        "custodian:a@b.example",
        "account:12",
    ]


async def test_system_names_are_stored_in_lower_case() -> None:
    hold = await _active()
    assert {d.key for d in hold.data_sources} >= {"exchange:Jane.Roe@Example.com"}


async def test_a_system_said_to_be_case_sensitive_keeps_letter_case_apart() -> None:
    hold = await _active()
    strict = IdentifierRules(case_sensitive_systems=frozenset({"GitHub"}))
    same = await hold_queries.check_preservation(None, "GITHUB:OctoCat", actor=ROOT, rules=strict)
    assert [c.id for c in same] == [hold.id]
    other = await hold_queries.check_preservation(None, "github:octocat", actor=ROOT, rules=strict)
    assert other == []
    assert await hold_queries.check_preservation(None, "github:octocat", actor=ROOT) != []


async def test_the_local_part_keeps_its_case_only_when_the_setting_says_so() -> None:
    await _active()
    strict = IdentifierRules(email_local_part_case_insensitive=False)
    asked = "exchange:JANE.ROE@EXAMPLE.COM"
    assert await hold_queries.check_preservation(None, asked, actor=ROOT) != []
    assert await hold_queries.check_preservation(None, asked, actor=ROOT, rules=strict) == []
    exact = "exchange:Jane.Roe@EXAMPLE.COM"
    assert await hold_queries.check_preservation(None, exact, actor=ROOT, rules=strict) != []


async def test_data_sources_held_before_are_found_once_the_backfill_ran() -> None:
    hold = await _active()
    # as the rows were before the migration: system as typed, no key
    await (
        HoldDataSourceTable.update(
            {HoldDataSourceTable.match_key: "", HoldDataSourceTable.system: "ACCOUNT"}
        )
        .where(HoldDataSourceTable.identifier == "12345678")
        .run()
    )
    assert await hold_queries.check_preservation(None, "account:12345678", actor=ROOT) == []
    manager = await importlib.import_module(BACKFILL).forwards()
    for fill in manager.raw:
        await fill()
    found = await hold_queries.check_preservation(None, "ACCOUNT:12345678", actor=ROOT)
    assert [c.id for c in found] == [hold.id]
    stored = await HoldDataSourceTable.select(HoldDataSourceTable.system).run()
    assert all(r["system"] == r["system"].lower() for r in stored)
