"""Keyset pages of the request lists: ties broken by id in every order, and an index that
serves the page (a plan that sorts every row after the cursor would come back unnoticed)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from piccolo.querystring import QueryString

from domain.requests import listing
from domain.requests import service as requests
from domain.requests.model import RequestSort
from domain.requests.repo import RequestFilters
from domain.shared import database
from tests.conftest import ENGINE, ROOT, T0
from tests.factories import given_authority, given_request

pytestmark = pytest.mark.usefixtures("db")

ORDERS = {
    "queue": RequestFilters(open_only=True),
    "due": RequestFilters(),
    "received": RequestFilters(sort=RequestSort.RECEIVED),
    "reference": RequestFilters(sort=RequestSort.REFERENCE),
    "due soon": RequestFilters(due_within_days=60),
}


async def given_ties(rulebook) -> None:
    """Eleven requests in three groups that share their receipt and so their deadline."""
    authority = await given_authority()
    for group, size in enumerate((4, 5, 2)):
        for _ in range(size):
            await given_request(
                rulebook, authority=authority, received_at=T0 - timedelta(days=group)
            )


async def walk(filters: RequestFilters, limit: int) -> tuple[list[str], list[str]]:
    """Every id, page by page forward, then page by page back from the last page."""
    forward, pages = [], []
    page = await requests.list_requests(filters, actor=ROOT, now=T0, limit=limit)
    while True:
        pages.append(page)
        forward.extend(str(r.id) for r in page.items)
        if page.next_cursor is None:
            break
        page = await requests.list_requests(
            filters, actor=ROOT, now=T0, limit=limit, cursor=page.next_cursor
        )
    backward = [str(r.id) for r in pages[-1].items]
    page = pages[-1]
    while page.prev_cursor is not None:
        page = await requests.list_requests(
            filters, actor=ROOT, now=T0, limit=limit, before=page.prev_cursor
        )
        backward = [str(r.id) for r in page.items] + backward
    return forward, backward


@pytest.mark.parametrize("order", ORDERS)
async def test_pages_split_ties_by_id_forward_and_back(rulebook, order: str) -> None:
    await given_ties(rulebook)
    filters = ORDERS[order]
    whole = await requests.list_requests(filters, actor=ROOT, now=T0, limit=200)
    expected = [str(r.id) for r in whole.items]
    assert len(expected) == 11
    for limit in (1, 3, 4):
        forward, backward = await walk(filters, limit)
        assert forward == expected, (order, limit)
        assert backward == expected, (order, limit)


async def plan_of(filters: RequestFilters) -> str:
    """The database's plan of a deep page (one with a cursor) of ``filters``, as text."""
    first = await requests.list_requests(filters, actor=ROOT, now=T0, limit=2)
    assert first.next_cursor is not None
    key = listing.decode_cursor(first.next_cursor, filters.sort)
    query = await listing.page_query(filters, now=T0, limit=50, after=key)
    assert query is not None
    engine = database.current_engine()
    if ENGINE == "postgres":
        # a table of a few rows is cheaper to scan and sort: ask whether the index can serve
        # the page at all, with scans and sorts priced out, inside one transaction
        async with engine.transaction():
            await engine.run_ddl("SET LOCAL enable_seqscan = off")
            await engine.run_ddl("SET LOCAL enable_sort = off")
            rows = await engine.run_querystring(QueryString("EXPLAIN {}", query.querystrings[0]))
        return "\n".join(str(r["QUERY PLAN"]) for r in rows)
    rows = await engine.run_querystring(QueryString("EXPLAIN QUERY PLAN {}", query.querystrings[0]))
    return "\n".join(str(r["detail"]) for r in rows)


@pytest.mark.parametrize(
    ("order", "index"),
    [
        ("queue", "regulatory_request_queue_order"),
        ("due", "regulatory_request_due_order"),
        ("received", "regulatory_request_received_order"),
        ("reference", "regulatory_request_reference_order"),
    ],
)
async def test_a_deep_page_is_read_from_its_order_index_without_a_sort(
    rulebook, order: str, index: str
) -> None:
    await given_ties(rulebook)
    if ENGINE != "postgres":
        await database.current_engine().run_ddl("ANALYZE")
    plan = await plan_of(ORDERS[order])
    # the page starts where the cursor points, found in the index (a seek on the row value);
    # a scan from the start of the index also avoids a sort but reads every earlier row
    assert index in plan, plan
    if ENGINE == "postgres":
        assert "ROW(" in plan, plan
        assert not any(line.strip(" ->").startswith("Sort") for line in plan.splitlines()), plan
    else:
        assert f"SEARCH regulatory_request USING INDEX {index} ((" in plan, plan
        assert "TEMP B-TREE" not in plan, plan


async def test_a_due_soon_list_is_read_from_the_queue_index_without_a_sort(rulebook) -> None:
    # owed requests only: one index gives both the range and the order, so the page stops at
    # its last row instead of reading and sorting every request in the range
    await given_ties(rulebook)
    if ENGINE != "postgres":
        await database.current_engine().run_ddl("ANALYZE")
    plan = await plan_of(ORDERS["due soon"])
    assert "regulatory_request_queue_order" in plan, plan
    if ENGINE == "postgres":
        assert not any(line.strip(" ->").startswith("Sort") for line in plan.splitlines()), plan
    else:
        assert "SEARCH regulatory_request USING INDEX regulatory_request_queue_order" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
