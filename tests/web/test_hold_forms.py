"""Drafting, changing and issuing a hold from the pages, over HTTP: each a plain form that
redirects to the hold's page naming its audit entry, or comes back with errors beside fields."""

from __future__ import annotations

import re
from uuid import UUID

import pytest

from audit import store
from domain.holds import notices as hold_notices
from domain.holds import queries as hold_queries
from domain.holds.model import HoldState
from domain.shared.model import Role
from tests.conftest import ROOT
from tests.web.helpers import csrf_of, post_form, signed_in
from tests.web.holds_helpers import given_hold

pytestmark = pytest.mark.usefixtures("db")

FILLED = {
    "matter": "MAT-9 Roe v. Acme",
    "title": "Roe v. Acme: chat",
    "custodian_email": ["Jane.Roe@Example.com", "omar@example.com", ""],
    "custodian_name": ["Jane Roe", "Omar", ""],
    "custodian_manager_email": ["boss@example.com", "", ""],
    "data_sources": "Slack:C0123\nexchange:jane.roe@example.com\n",
    "scope_start": "2026-01-01",
    "scope_end": "2026-03-31",
    "keywords": "merger, Acme",
    "scope_description": "Chat about the merger.",
    "notice_text": "Keep all chat about the merger.",
    "questions": "Where else do you chat?\nDo you use a personal phone?",
}


def hold_id_of(location: str) -> UUID:
    found = re.fullmatch(r"/holds/([0-9a-f-]{36})\?entry=(\d+)", location)
    assert found is not None, location
    return UUID(found.group(1))


async def holds_made() -> int:
    return len((await hold_queries.list_holds(actor=ROOT)).items)


async def test_legal_drafts_a_hold_from_the_form(client) -> None:
    await signed_in(client, Role.LEGAL)
    form = await client.get("/holds/new")
    assert form.status_code == 200
    assert 'aria-current="page">Holds</a>' in form.text
    response = await post_form(client, "/holds/new", FILLED, page="/holds/new")
    assert response.status_code == 303, response.text[:2000]
    hold_id = hold_id_of(response.headers["location"])
    hold = await hold_queries.get_hold(hold_id, actor=ROOT)
    assert hold.state is HoldState.DRAFT
    assert hold.matter == "MAT-9 Roe v. Acme"
    assert [(c.email, c.name, c.manager_email) for c in hold.custodians] == [
        ("jane.roe@example.com", "Jane Roe", "boss@example.com"),
        ("omar@example.com", "Omar", ""),
    ]
    assert [d.key for d in hold.data_sources] == ["exchange:jane.roe@example.com", "slack:C0123"]
    assert hold.keywords == ("merger", "Acme")
    assert str(hold.scope_start) == "2026-01-01"
    assert str(hold.scope_end) == "2026-03-31"
    assert hold.questions == ("Where else do you chat?", "Do you use a personal phone?")
    entries = await store.entries(subject=("legal_hold", str(hold_id)))
    assert [e.action for e in entries] == ["hold.created"]
    page = await client.get(response.headers["location"])
    assert "Drafted." in page.text
    assert f"#{entries[0].index}" in page.text


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"matter": " "}, "matter", "The field matter must be text of at least 1 characters."),
        (
            {"custodian_email": ["jane.roe", "", ""]},
            "custodians-0-email",
            "An email address must have an @-sign.",
        ),
        (
            {"custodian_manager_email": ["", "boss@", ""]},
            "custodians-1-manager_email",
            "There must be something after the @-sign.",
        ),
        ({"data_sources": "slack:C1\nno-colon"}, "data_sources", "Line 2 (no-colon) must be"),
        ({"scope_end": "2025-12-31"}, "scope_end", "Is before scope_start."),
        ({"scope_start": "2026-02-30"}, "scope_start", "must be a date such as 2026-03-02"),
        ({"questions": "\n".join(f"q{n}" for n in range(21))}, "questions", "at most 20 items"),
        (
            {"preservation_request_id": "7b1c7e4e-0000-4000-8000-000000000000"},
            "preservation_request_id",
            "No such request.",
        ),
        (
            {
                "custodian_email": ["", "", ""],
                "custodian_name": ["", "", ""],
                "custodian_manager_email": ["", "", ""],
                "data_sources": "",
            },
            "custodians",
            "A hold needs a custodian or a data source.",
        ),
    ],
)
async def test_bad_input_is_shown_beside_its_field_and_nothing_is_drafted(
    client, changes, field, words
) -> None:
    await signed_in(client, Role.LEGAL)
    response = await post_form(client, "/holds/new", {**FILLED, **changes}, page="/holds/new")
    assert response.status_code == 422, response.text[:500]
    assert f'href="#field-{field}"' in response.text  # the summary links to it
    assert f'id="error-{field}"' in response.text
    assert words in response.text.replace("&#39;", "'")
    assert 'value="Roe v. Acme: chat"' in response.text  # what was typed stays
    assert await holds_made() == 0


async def test_more_rows_keeps_what_was_typed_and_saves_nothing(client) -> None:
    await signed_in(client, Role.LEGAL)
    response = await post_form(
        client, "/holds/new", {**FILLED, "more_rows": "custodians"}, page="/holds/new"
    )
    assert response.status_code == 200
    assert response.text.count('name="custodian_email"') == 6  # two typed, four blank
    assert 'value="Jane.Roe@Example.com"' in response.text
    assert await holds_made() == 0


async def test_legal_changes_a_draft_and_a_stale_change_is_refused(client) -> None:
    hold = await given_hold(issued=False)
    await signed_in(client, Role.LEGAL)
    form = await client.get(f"/holds/{hold.id}/edit")
    assert form.status_code == 200
    assert 'value="jane.roe@example.com"' in form.text
    assert "exchange:jane.roe@example.com</textarea>" in form.text
    changed = {
        **FILLED,
        "version": str(hold.version),
        "custodian_email": ["priya@example.com"],
        "custodian_name": ["Priya"],
        "custodian_manager_email": [""],
    }
    path = f"/holds/{hold.id}/edit"
    response = await post_form(client, path, changed, page=path)
    assert response.status_code == 303, response.text[:2000]
    saved = await hold_queries.get_hold(hold.id, actor=ROOT)
    assert [c.email for c in saved.custodians] == ["priya@example.com"]
    assert saved.matter == "MAT-9 Roe v. Acme"
    assert saved.version == hold.version + 1
    entries = await store.entries(subject=("legal_hold", str(hold.id)))
    assert [e.action for e in entries] == ["hold.created", "hold.draft_updated"]
    stale = await post_form(client, path, changed, page=path)  # still the old version
    assert stale.status_code == 409
    assert "the draft changed after you opened it" in stale.text.lower()
    assert (await hold_queries.get_hold(hold.id, actor=ROOT)).version == saved.version


async def test_an_issued_hold_cannot_be_changed(client) -> None:
    hold = await given_hold()
    await signed_in(client, Role.LEGAL)
    assert (await client.get(f"/holds/{hold.id}/edit")).status_code == 409
    path = f"/holds/{hold.id}/edit"
    response = await post_form(
        client, path, {**FILLED, "version": str(hold.version)}, page="/holds"
    )
    assert response.status_code == 409
    assert "Cannot edit a legal hold that is issued." in response.text


async def test_issuing_asks_first_then_queues_the_notices(client) -> None:
    hold = await given_hold(issued=False)
    await signed_in(client, Role.LEGAL)
    path = f"/holds/{hold.id}/issue"
    confirm = await client.get(path)
    assert confirm.status_code == 200
    assert f"Issue {hold.title}?" in confirm.text
    assert "This cannot be undone." in confirm.text
    assert "2 custodians are notified:" in confirm.text
    assert "Omar Haddad" in confirm.text
    token = csrf_of(confirm)
    unconfirmed = await client.post(path, data={"_csrf_token": token, "version": hold.version})
    assert unconfirmed.status_code == 303
    assert unconfirmed.headers["location"] == path
    assert (await hold_queries.get_hold(hold.id, actor=ROOT)).state is HoldState.DRAFT
    done = await client.post(
        path, data={"_csrf_token": token, "version": hold.version, "confirmed": "yes"}
    )
    assert done.status_code == 303
    assert hold_id_of(done.headers["location"]) == hold.id
    issued = await hold_queries.get_hold(hold.id, actor=ROOT)
    assert issued.state is HoldState.ISSUED
    assert await hold_notices.notices_of(hold.id, actor=ROOT)
    page = await client.get(done.headers["location"])
    assert "Issued." in page.text
    again = await client.post(
        path, data={"_csrf_token": token, "version": issued.version, "confirmed": "yes"}
    )
    assert again.status_code == 409
    assert "cannot be issued by you while it is issued" in again.text


async def test_a_specialist_may_not_draft_or_issue(client) -> None:
    hold = await given_hold(issued=False)
    await signed_in(client, Role.SPECIALIST)
    assert (await client.get("/holds/new")).status_code == 403
    assert (await client.get(f"/holds/{hold.id}/issue")).status_code == 403
    assert (await client.get(f"/holds/{hold.id}/edit")).status_code == 403
