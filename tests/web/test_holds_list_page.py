"""The holds list over HTTP: each hold's matter, state and acknowledgement progress, filters in
the URL (unknown ones reported on the page), keyset pages."""

from __future__ import annotations

import re

import pytest

from api.web.holds_list import PAGE_SIZE
from domain.holds.ack_links import ack_key
from domain.shared.model import Role
from tests.web.helpers import signed_in
from tests.web.holds_helpers import JANE, OMAR, acknowledged, given_hold

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def key(settings) -> bytes:
    return ack_key(settings.auth.secret_key.value)


def rows_of(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body, flags=re.DOTALL)


async def test_each_hold_shows_its_matter_state_and_who_has_not_acknowledged(client, key) -> None:
    hold = await given_hold()
    await acknowledged(hold, JANE.email, key)
    await given_hold("MAT-2 Draft matter", issued=False)
    await signed_in(client, Role.LEGAL)
    page = await client.get("/holds")
    assert page.status_code == 200
    rows = rows_of(page.text)
    assert len(rows) == 2
    issued = next(r for r in rows if "MAT-1 Acme v. Roe" in r)
    assert f'href="/holds/{hold.id}"' in issued
    assert "issued" in issued
    assert "1 of 2 acknowledged" in issued
    assert "Not yet:" in issued
    assert "Omar Haddad" in issued
    assert "Jane Roe" not in issued
    draft = next(r for r in rows if "MAT-2 Draft matter" in r)
    assert "draft" in draft
    assert "not issued" in draft
    assert "Not yet:" not in draft
    assert 'href="/holds/new"' in page.text  # legal may draft one
    assert 'aria-current="page">Holds</a>' in page.text


async def test_a_specialist_reads_the_list_without_the_draft_button(client) -> None:
    await given_hold()
    await signed_in(client, Role.SPECIALIST)
    page = await client.get("/holds")
    assert page.status_code == 200
    assert "1 of 2 acknowledged" not in page.text
    assert "0 of 2 acknowledged" in page.text
    assert 'href="/holds/new"' not in page.text


async def test_filters_in_the_url_narrow_the_list(client, key) -> None:
    first = await given_hold("MAT-1")
    await given_hold("MAT-2", custodians=(JANE,), issued=False)
    await signed_in(client, Role.AUDITOR)
    by_state = rows_of((await client.get("/holds?state=draft")).text)
    assert len(by_state) == 1
    assert "MAT-2" in by_state[0]
    by_matter = rows_of((await client.get("/holds?matter=MAT-1")).text)
    assert len(by_matter) == 1
    assert str(first.id) in by_matter[0]
    by_custodian = rows_of((await client.get("/holds?custodian=Omar.Haddad@example.com")).text)
    assert len(by_custodian) == 1
    assert "MAT-1" in by_custodian[0]
    empty = await client.get("/holds?matter=nothing")
    assert "No hold matches these filters." in empty.text


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("colour=red", "colour", "&#39;colour&#39; is not a filter of the holds list"),
        ("state=frozen", "state", "&#39;frozen&#39; is not one of: draft, issued"),
        ("after=garbage", "after", "not a cursor this list handed out"),
        ("custodian=not-an-address", "custodian", "An email address must have an @-sign."),
    ],
)
async def test_a_bad_filter_is_reported_on_the_page(client, query, field, words) -> None:
    await given_hold()
    await signed_in(client, Role.LEGAL)
    page = await client.get(f"/holds?{query}")
    assert page.status_code == 422
    assert 'class="error-summary"' in page.text
    assert f'href="#field-{field}"' in page.text
    assert words in page.text
    assert "<tbody>" not in page.text


async def test_the_list_pages_by_keyset(client) -> None:
    made = {
        str((await given_hold(f"MAT-{n:03}", custodians=(JANE,), issued=False)).id)
        for n in range(PAGE_SIZE + 1)
    }
    await signed_in(client, Role.LEGAL)
    first = await client.get("/holds")
    assert len(rows_of(first.text)) == PAGE_SIZE
    found = re.search(r'href="(/holds\?after=[^"]+)" rel="next"', first.text)
    assert found is not None
    second = await client.get(found.group(1).replace("&amp;", "&"))
    assert second.status_code == 200
    assert len(rows_of(second.text)) == 1
    shown = re.findall(r'href="/holds/([0-9a-f-]{36})"', first.text + second.text)
    assert sorted(shown) == sorted(made)  # every hold once, none twice
    assert 'rel="next"' not in second.text
    assert ">First page</a>" in second.text


async def test_previous_links_walk_back_to_the_first_page(client) -> None:
    for n in range(2 * PAGE_SIZE + 1):
        await given_hold(f"MAT-{n:03}", custodians=(JANE,), issued=False)
    await signed_in(client, Role.LEGAL)
    first = await client.get("/holds")
    assert 'rel="prev"' not in first.text
    pages = [first.text]
    for _ in range(2):
        found = re.search(r'href="(/holds\?after=[^"]+)" rel="next"', pages[-1])
        assert found is not None
        pages.append((await client.get(found.group(1).replace("&amp;", "&"))).text)
    assert len(rows_of(pages[2])) == 1
    back = re.search(r'href="(/holds\?before=[^"]+)" rel="prev"', pages[2])
    assert back is not None
    second = await client.get(back.group(1).replace("&amp;", "&"))
    assert second.status_code == 200
    assert rows_of(second.text) == rows_of(pages[1])
    back = re.search(r'href="(/holds\?before=[^"]+)" rel="prev"', second.text)
    assert back is not None
    again = await client.get(back.group(1).replace("&amp;", "&"))
    assert rows_of(again.text) == rows_of(first.text)
    assert 'rel="prev"' not in again.text


async def test_the_search_box_finds_matter_and_custodians_and_stays_in_the_url(client) -> None:
    await given_hold("MAT-1 Acme v. Roe", custodians=(JANE,))
    await given_hold("MAT-2 Beta merger", custodians=(OMAR,))
    await signed_in(client, Role.LEGAL)
    by_matter = await client.get("/holds", params={"q": "acme"})
    assert by_matter.status_code == 200
    assert [m for m in ("MAT-1", "MAT-2") if m in by_matter.text] == ["MAT-1"]
    assert 'name="q" type="search" value="acme"' in by_matter.text
    by_name = await client.get("/holds", params={"q": "Haddad"})
    assert [m for m in ("MAT-1", "MAT-2") if m in by_name.text] == ["MAT-2"]
    none = await client.get("/holds", params={"q": "zzz"})
    assert "No hold matches these filters." in none.text
    too_long = await client.get("/holds", params={"q": "x" * 1000})
    assert too_long.status_code == 422
    assert 'href="#field-q"' in too_long.text
