"""Sealed requests on the pages: the queue shows others an outline, the request page refuses."""

from __future__ import annotations

import pytest

from domain.requests.model import Confidentiality
from domain.shared.model import Role
from tests.conftest import make_user
from tests.factories import given_authority, given_request
from tests.web.helpers import sign_in, signed_in

pytestmark = pytest.mark.usefixtures("db")
SECRET_TEXT = "Sealed order about suspect@example.com"


async def _sealed(rulebook, assignee=None):
    authority = await given_authority(name="Secret Court")
    return await given_request(
        rulebook,
        authority=authority,
        summary=SECRET_TEXT,
        confidentiality=Confidentiality.SEALED,
        assignee=None if assignee is None else assignee.id,
    )


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.AUDITOR])
async def test_the_queue_shows_others_a_sealed_request_without_link_authority_or_checkbox(
    client, rulebook, role
) -> None:
    sealed = await _sealed(rulebook, await make_user(Role.SPECIALIST))
    await signed_in(client, role)
    page = await client.get("/queue?tab=open")
    assert page.status_code == 200
    assert sealed.reference in page.text
    assert f'href="/requests/{sealed.id}"' not in page.text
    assert f'value="{sealed.id}"' not in page.text
    row = page.text.split(sealed.reference, 1)[1].split("</tr>", 1)[0]
    assert "Secret Court" not in row
    assert "sealed" in row
    assert "GB" not in row


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.AUDITOR])
async def test_a_search_on_the_queue_does_not_find_a_sealed_request_for_others(
    client, rulebook, role
) -> None:
    sealed = await _sealed(rulebook)
    await signed_in(client, role)
    page = await client.get("/queue?tab=open&q=suspect")
    assert sealed.reference not in page.text


@pytest.mark.parametrize("role", [Role.LEGAL, Role.ADMIN])
async def test_legal_and_admins_see_a_sealed_request_in_full_on_the_pages(
    client, rulebook, role
) -> None:
    sealed = await _sealed(rulebook)
    await signed_in(client, role)
    queue = await client.get("/queue?tab=open&q=suspect")
    assert f'href="/requests/{sealed.id}"' in queue.text
    page = await client.get(f"/requests/{sealed.id}")
    assert page.status_code == 200
    assert SECRET_TEXT in page.text


async def test_the_assignee_reads_their_sealed_request_page(client, rulebook) -> None:
    assignee = await make_user(Role.SPECIALIST)
    sealed = await _sealed(rulebook, assignee)
    assert (await sign_in(client, assignee)).status_code == 303
    queue = await client.get("/queue?tab=mine")
    assert f'href="/requests/{sealed.id}"' in queue.text
    page = await client.get(f"/requests/{sealed.id}")
    assert page.status_code == 200
    assert SECRET_TEXT in page.text


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.AUDITOR])
async def test_the_request_page_of_a_sealed_request_is_refused_to_others(
    client, rulebook, role
) -> None:
    sealed = await _sealed(rulebook, await make_user(Role.SPECIALIST))
    await signed_in(client, role)
    page = await client.get(f"/requests/{sealed.id}")
    assert page.status_code == 403
    assert SECRET_TEXT not in page.text
    assert "sealed" in page.text
