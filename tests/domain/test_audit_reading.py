"""Searching the audit log: filters the log's index lacks (action, time) are checked entry by
entry, a bounded stretch per page, and the page says where to go on."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain import audit_reading
from domain.audit_reading import EntryFilters, read_note
from domain.shared.model import Actor, ActorKind, Role
from tests.conftest import T0, make_user

pytestmark = pytest.mark.usefixtures("db")
AUDITOR = Actor(kind=ActorKind.CLI, id=None, role=Role.AUDITOR, name="cli:auditor")


@pytest.fixture
async def five_users(db: str) -> None:
    for role in (Role.LEGAL, Role.SPECIALIST, Role.AUDITOR, Role.LEGAL, Role.ADMIN):
        await make_user(role)


@pytest.mark.usefixtures("five_users")
async def test_a_search_stops_after_its_stretch_and_says_where_to_go_on(monkeypatch) -> None:
    monkeypatch.setattr(audit_reading, "MAX_PAGE", 2)
    monkeypatch.setattr(audit_reading, "SCAN_LIMIT", 4)
    nothing = EntryFilters(action="user.never_done")
    first = await audit_reading.search_entries(nothing, start=0, limit=10, actor=AUDITOR)
    assert (first.items, first.next_start) == ([], 4)
    rest = await audit_reading.search_entries(nothing, start=4, limit=10, actor=AUDITOR)
    assert (rest.items, rest.next_start) == ([], None)  # the log ends within the stretch


@pytest.mark.usefixtures("five_users")
async def test_a_full_page_goes_on_after_its_last_entry() -> None:
    created = EntryFilters(action="user.created")
    page = await audit_reading.search_entries(created, start=0, limit=2, actor=AUDITOR)
    assert [f.item.entry.index for f in page.items] == [0, 1]
    assert page.next_start == 2


@pytest.mark.usefixtures("five_users")
async def test_time_filters_keep_since_and_drop_until() -> None:
    at = T0
    kept = EntryFilters(since=at, until=at + timedelta(seconds=1))
    assert (
        len((await audit_reading.search_entries(kept, start=0, limit=10, actor=AUDITOR)).items) == 5
    )
    before = EntryFilters(until=at)
    assert (
        await audit_reading.search_entries(before, start=0, limit=10, actor=AUDITOR)
    ).items == []


def test_a_signed_note_is_read_into_its_fields() -> None:
    root = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
    note = f"example.com/log\n3\n{root}\n\n\u2014 example.com/log AAAA\n".encode()
    read = read_note(note)
    assert (read.origin, read.size, read.signatures) == (
        "example.com/log",
        3,
        ("\u2014 example.com/log AAAA",),
    )
    assert read.root.hex().startswith("e3b0c442")
