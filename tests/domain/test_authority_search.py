"""Finding an authority in the directory as one types: by name, without case or accents."""

from __future__ import annotations

import pytest

from audit import store
from domain.requests import authorities
from domain.shared.errors import PermissionDeniedError
from domain.shared.model import Actor, ActorKind, Role
from tests.factories import given_authority

pytestmark = pytest.mark.usefixtures("db")
SPECIALIST = Actor(kind=ActorKind.USER, id=None, role=Role.SPECIALIST, name="specialist")
SYSTEM = Actor(kind=ActorKind.TOKEN, id=None, role=Role.SYSTEM, name="pipeline")


async def names(text: str, limit: int | None = None) -> list[str]:
    found = await authorities.search_authorities(text, actor=SPECIALIST, limit=limit)
    return [a.name for a in found]


async def test_names_that_start_with_the_text_come_first_then_words_then_the_rest() -> None:
    for name in ("Polizei Berlin", "Bundespolizei", "Police nationale", "Landespolizei Bayern"):
        await given_authority(name, "DE")
    await given_authority("Garda Síochána", "IE")
    assert await names("poli") == [
        "Police nationale",
        "Polizei Berlin",
        "Bundespolizei",
        "Landespolizei Bayern",
    ]
    assert await names("  POLIZEI ") == ["Polizei Berlin", "Bundespolizei", "Landespolizei Bayern"]
    assert await names("poli", limit=2) == ["Police nationale", "Polizei Berlin"]


async def test_accents_and_case_are_ignored_both_ways() -> None:
    await given_authority("Coimisiún na Meán", "IE")
    await given_authority("Garda Siochana", "IE")
    assert await names("COIMISIUN") == ["Coimisiún na Meán"]
    assert await names("síochána") == ["Garda Siochana"]


async def test_a_country_code_finds_that_countrys_authorities_after_names() -> None:
    await given_authority("Ofcom", "GB")
    await given_authority("Information Commissioner's Office", "GB")
    await given_authority("Arcom", "FR")
    await given_authority("Serious Fraud Office", "GB")
    assert await names("gb") == [
        "Information Commissioner's Office",
        "Ofcom",
        "Serious Fraud Office",
    ]
    assert await names("fr") == ["Serious Fraud Office", "Arcom"]  # a name first, then FR


async def test_an_empty_text_finds_everyone_by_country_and_nothing_finds_nobody() -> None:
    await given_authority("Ofcom", "GB")
    await given_authority("Arcom", "FR")
    assert await names("") == ["Arcom", "Ofcom"]
    assert await names("zzz") == []


async def test_searching_records_nothing_and_needs_the_directory() -> None:
    await given_authority("Ofcom", "GB")
    size = await store.size()
    await names("of")
    assert await store.size() == size
    with pytest.raises(PermissionDeniedError):
        await authorities.search_authorities("of", actor=SYSTEM)
