"""The holds list: free-text search, and keyset pages forwards and back."""

from __future__ import annotations

import pytest

from domain.holds import queries as hold_queries
from domain.holds.model import Custodian, HoldState
from domain.shared.errors import ValidationError
from tests.conftest import ROOT
from tests.web.holds_helpers import JANE, OMAR, given_hold

pytestmark = pytest.mark.usefixtures("db")
ZOE = Custodian(email="zoe.brandt@example.org", name="Zoë Brandt", manager_email="")


async def matters(**filters: object) -> list[str]:
    page = await hold_queries.list_holds(actor=ROOT, **filters)  # type: ignore[arg-type]
    return sorted(h.matter for h in page.items)


async def test_the_text_finds_a_matter_a_title_or_a_custodians_address_or_name() -> None:
    await given_hold("MAT-1 Acme v. Roe", custodians=(JANE,))
    await given_hold("MAT-2 Beta merger", custodians=(OMAR,), issued=False)
    await given_hold("MAT-3 100% audit", custodians=(ZOE,))
    assert await matters(q="acme") == ["MAT-1 Acme v. Roe"]
    assert await matters(q="MERGER") == ["MAT-2 Beta merger"]
    assert await matters(q="records") == sorted(  # every title ends in ": records"
        ["MAT-1 Acme v. Roe", "MAT-2 Beta merger", "MAT-3 100% audit"]
    )
    assert await matters(q="haddad") == ["MAT-2 Beta merger"]  # a custodian's name
    assert await matters(q="zoe.brandt@") == ["MAT-3 100% audit"]  # a custodian's address
    assert await matters(q="100%") == ["MAT-3 100% audit"]  # % is the text, not a wildcard
    assert await matters(q="1_0") == []  # and so is _
    assert await matters(q="nothing like it") == []


async def test_the_text_narrows_within_the_other_filters() -> None:
    await given_hold("MAT-1 Acme v. Roe", custodians=(JANE,))
    await given_hold("MAT-2 Acme draft", custodians=(JANE,), issued=False)
    # the search's ORs stay inside their parentheses: the state filter still applies to all
    assert await matters(q="acme", state=HoldState.DRAFT) == ["MAT-2 Acme draft"]
    assert await matters(q="roe", state=HoldState.DRAFT) == ["MAT-2 Acme draft"]
    assert await matters(q="acme", custodian=OMAR.email) == []


async def test_pages_back_from_a_cursor_give_the_same_pages_as_forwards() -> None:
    for n in range(7):  # all made at the same instant: the id breaks the ties
        await given_hold(f"MAT-{n}", custodians=(JANE,), issued=False)
    forwards, cursor = [], None
    while True:
        page = await hold_queries.list_holds(actor=ROOT, limit=3, cursor=cursor)
        forwards.append([h.id for h in page.items])
        assert (page.prev_cursor is None) is (cursor is None)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert [len(p) for p in forwards] == [3, 3, 1]
    last = await hold_queries.list_holds(actor=ROOT, limit=3, cursor=cursor)
    back = await hold_queries.list_holds(actor=ROOT, limit=3, before=last.prev_cursor)
    assert [h.id for h in back.items] == forwards[1]
    assert back.next_cursor is not None
    first = await hold_queries.list_holds(actor=ROOT, limit=3, before=back.prev_cursor)
    assert [h.id for h in first.items] == forwards[0]
    assert first.prev_cursor is None  # nothing before the first page
    again = await hold_queries.list_holds(actor=ROOT, limit=3, cursor=first.next_cursor)
    assert [h.id for h in again.items] == forwards[1]


async def test_a_cursor_the_list_did_not_hand_out_is_refused() -> None:
    with pytest.raises(ValidationError):
        await hold_queries.list_holds(actor=ROOT, before="garbage")
