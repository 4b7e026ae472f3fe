"""Keyset pages of the holds list: ties broken by id, and a deep page read from the
``(created_at, id)`` index (a plan that sorts every hold after the cursor would come back
unnoticed)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from piccolo.querystring import QueryString

from domain.holds import listing
from domain.holds import queries as hold_queries
from domain.holds import service as holds
from domain.holds.model import Custodian
from domain.holds.service import NewHold
from domain.shared import database
from domain.shared.keyset import decode_cursor
from tests.conftest import ENGINE, ROOT, T0

pytestmark = pytest.mark.usefixtures("db")


def _new(matter: str) -> NewHold:
    return NewHold(
        matter=matter,
        title="Preserve",
        custodians=(
            Custodian(
                email="jane.roe@example.com", name="Jane Roe", manager_email="boss@example.com"
            ),
        ),
        data_sources=(),
        keywords=(),
        scope_description="Q1 trading",
        notice_text="Do not delete anything.",
    )


async def given_ties() -> None:
    """Nine holds in three groups, each created in one instant."""
    for group, size in enumerate((4, 3, 2)):
        for n in range(size):
            await holds.create_hold(
                _new(f"MAT-{group}-{n}"), actor=ROOT, now=T0 - timedelta(minutes=group)
            )


async def test_pages_split_ties_by_id() -> None:
    await given_ties()
    whole = await hold_queries.list_holds(actor=ROOT, limit=100)
    expected = [h.id for h in whole.items]
    assert len(expected) == 9
    assert [h.created_at for h in whole.items] == sorted(
        (h.created_at for h in whole.items), reverse=True
    )
    for limit in (1, 2, 4):
        page = await hold_queries.list_holds(actor=ROOT, limit=limit)
        walked = [h.id for h in page.items]
        while page.next_cursor is not None:
            page = await hold_queries.list_holds(actor=ROOT, limit=limit, cursor=page.next_cursor)
            walked.extend(h.id for h in page.items)
        assert walked == expected, limit


async def plan_of_a_deep_page() -> str:
    """The database's plan of a page after a cursor, as text."""
    first = await hold_queries.list_holds(actor=ROOT, limit=2)
    assert first.next_cursor is not None
    query = listing.page_query(None, limit=50, after=decode_cursor(first.next_cursor))
    engine = database.current_engine()
    if ENGINE == "postgres":
        # a table of a few rows is cheaper to scan and sort: ask whether the index can serve
        # the page at all, with scans and sorts priced out, inside one transaction
        async with engine.transaction():
            await engine.run_ddl("SET LOCAL enable_seqscan = off")
            await engine.run_ddl("SET LOCAL enable_sort = off")
            rows = await engine.run_querystring(QueryString("EXPLAIN {}", query.querystrings[0]))
        return "\n".join(str(r["QUERY PLAN"]) for r in rows)
    await engine.run_ddl("ANALYZE")
    rows = await engine.run_querystring(QueryString("EXPLAIN QUERY PLAN {}", query.querystrings[0]))
    return "\n".join(str(r["detail"]) for r in rows)


async def test_a_deep_page_is_read_from_the_order_index_without_a_sort() -> None:
    await given_ties()
    plan = await plan_of_a_deep_page()
    # the page starts where the cursor points, found in the index (a seek on the row value);
    # a scan from the start of the index also avoids a sort but reads every newer hold
    assert listing.ORDER_INDEX in plan, plan
    if ENGINE == "postgres":
        assert "ROW(" in plan, plan
        assert not any(line.strip(" ->").startswith("Sort") for line in plan.splitlines()), plan
    else:
        assert f"SEARCH legal_hold USING INDEX {listing.ORDER_INDEX} ((" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
