"""The queue page over HTTP: order, bands, tabs, strict filters, search, paging, assignment."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from audit import store
from domain.requests import queries
from domain.requests import service as requests
from domain.requests.repo import RequestFilters
from domain.requests.workflow import RequestAction
from domain.shared.model import Role
from tests.conftest import ROOT, T0, make_user
from tests.factories import given_authority, given_request
from tests.web.helpers import csrf_of, signed_in

pytestmark = pytest.mark.usefixtures("db")
REFS = re.compile(r'<a href="/requests/[0-9a-f-]+">(REQ-\d{4}-\d{6})</a>')


def references(html: str) -> list[str]:
    return REFS.findall(html)


async def test_open_requests_come_soonest_deadline_first_with_their_band(
    client, clock, rulebook
) -> None:
    authority = await given_authority()
    later = await given_request(rulebook, authority=authority, received_at=T0)
    sooner = await given_request(rulebook, authority=authority, received_at=T0 - timedelta(days=29))
    overdue = await given_request(
        rulebook, authority=authority, received_at=T0 - timedelta(days=60)
    )
    await signed_in(client, Role.LEGAL)
    page = await client.get("/queue?tab=open")
    assert page.status_code == 200
    assert references(page.text) == [overdue.reference, sooner.reference, later.reference]
    assert 'class="row-overdue"' in page.text
    assert "overdue by" in page.text
    assert 'class="band band-urgent"' in page.text  # a day of a month left
    assert 'class="band band-normal"' in page.text
    assert "Ofcom" in page.text


async def test_a_paused_clock_is_grey_and_says_so(client, rulebook) -> None:
    reg = await given_request(rulebook)
    for action in (RequestAction.TRIAGE, RequestAction.START, RequestAction.REQUEST_CLARIFICATION):
        reg = await requests.transition(
            rulebook, reg.id, action, expected_version=reg.version, actor=ROOT, now=T0
        )
    await signed_in(client, Role.SPECIALIST)
    page = await client.get("/queue?tab=clarification")
    assert references(page.text) == [reg.reference]
    assert "Clock stopped" in page.text
    assert 'class="row-paused"' in page.text


async def test_a_specialist_starts_on_their_own_requests(client, rulebook) -> None:
    me = await signed_in(client, Role.SPECIALIST)
    mine = await given_request(rulebook, assignee=me.id)
    await given_request(rulebook)
    page = await client.get("/queue")
    assert references(page.text) == [mine.reference]
    tabs = await client.get("/queue/tabs")
    assert 'Mine <span class="tab-count">(1)</span>' in tabs.text
    assert 'Unassigned <span class="tab-count">(1)</span>' in tabs.text
    assert 'All open <span class="tab-count">(2)</span>' in tabs.text


async def test_filters_live_in_the_url_and_unknown_ones_are_reported(client, rulebook) -> None:
    await given_request(rulebook)
    await signed_in(client, Role.LEGAL)
    page = await client.get("/queue?tab=open&jurisdiction=gb&kind=user_data")
    assert page.status_code == 200
    assert len(references(page.text)) == 1
    assert (await client.get("/queue?tab=open&jurisdiction=FR")).text.count("REQ-") == 0
    bad = await client.get("/queue?tab=open&sate=received&kind=letter")
    assert bad.status_code == 422
    assert "&#39;sate&#39; is not a filter of the queue" in bad.text
    assert "&#39;letter&#39; is not one of:" in bad.text
    assert references(bad.text) == []


async def test_search_finds_a_request_by_an_identifier_it_names(client, rulebook) -> None:
    from domain.requests.fields import Identifier, IdentifierType, RequestRecord

    named = RequestRecord(
        identifiers=(Identifier(type=IdentifierType.EMAIL, value="jane@example.org"),)
    )
    found = await given_request(rulebook, record=named)
    await given_request(rulebook)
    await signed_in(client, Role.SPECIALIST)
    page = await client.get("/queue?tab=open&q=jane%40example")
    assert references(page.text) == [found.reference]


async def test_keyset_pages_go_forward_and_back_without_repeats(client, rulebook) -> None:
    authority = await given_authority()
    logged = [
        await given_request(rulebook, authority=authority, received_at=T0 - timedelta(hours=i))
        for i in range(55)
    ]
    await signed_in(client, Role.LEGAL)
    first = await client.get("/queue?tab=open")
    page_one = references(first.text)
    assert len(page_one) == 50
    next_link = re.search(r'href="([^"]+)" rel="next"', first.text)
    assert next_link is not None
    second = await client.get(next_link.group(1).replace("&amp;", "&"))
    page_two = references(second.text)
    assert len(page_two) == 5
    assert set(page_one).isdisjoint(page_two)
    assert set(page_one) | set(page_two) == {r.reference for r in logged}
    prev_link = re.search(r'href="([^"]+)" rel="prev"', second.text)
    assert prev_link is not None
    back = await client.get(prev_link.group(1).replace("&amp;", "&"))
    assert references(back.text) == page_one
    assert 'rel="prev"' not in back.text


async def test_selected_rows_are_assigned_in_one_step_with_an_entry_each(client, rulebook) -> None:
    first, second = await given_request(rulebook), await given_request(rulebook)
    lawyer = await make_user(Role.LEGAL)
    await signed_in(client, Role.SPECIALIST)
    page = await client.get("/queue?tab=unassigned")
    before = await store.size()
    response = await client.post(
        "/queue/assign",
        data={
            "_csrf_token": csrf_of(page),
            "ids": [f"{first.id}:{first.version}", f"{second.id}:{second.version}"],
            "assignee": str(lawyer.id),
            "back": "/queue?tab=unassigned",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/queue?tab=unassigned&done=assigned-2"
    assert "Assigned 2 requests." in (await client.get(response.headers["location"])).text
    entries = await store.entries(before, None)
    assert [e.action for e in entries] == ["request.assigned", "request.assigned"]
    page = await queries.list_requests(
        RequestFilters(assignee=lawyer.id), actor=ROOT, now=T0, limit=10
    )
    assert {r.id for r in page.items} == {first.id, second.id}


async def test_a_stale_row_assigns_nothing_and_says_why(client, rulebook) -> None:
    first, second = await given_request(rulebook), await given_request(rulebook)
    await signed_in(client, Role.SPECIALIST)
    page = await client.get("/queue?tab=unassigned")
    await requests.assign(
        second.id, expected_version=second.version, assignee=None, actor=ROOT, now=T0
    )
    before = await store.size()
    response = await client.post(
        "/queue/assign",
        data={
            "_csrf_token": csrf_of(page),
            "ids": [f"{first.id}:{first.version}", f"{second.id}:{second.version}"],
            "assignee": "",
        },
    )
    assert response.headers["location"].endswith("done=stale")
    assert await store.size() == before
    again = await client.get(response.headers["location"])
    assert "changed since the queue was loaded" in again.text


async def test_roles_without_write_see_no_assignment_controls(client, rulebook) -> None:
    await given_request(rulebook)
    await signed_in(client, Role.AUDITOR)
    page = await client.get("/queue?tab=open")
    assert page.status_code == 200
    assert "Assign selected" not in page.text
    assert 'name="ids"' not in page.text
