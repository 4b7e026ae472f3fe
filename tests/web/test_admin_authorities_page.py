"""The authorities admin page over HTTP: search, correct an authority, merge a duplicate after
seeing what moves; each change one audit entry, bad input beside its field."""

from __future__ import annotations

import uuid

import pytest

from audit import store
from domain import deadlines
from domain.requests import repo
from domain.requests.errors import AuthorityNotFoundError
from domain.shared.model import Role
from tests.factories import given_authority, given_request
from tests.web.helpers import post_form, signed_in

pytestmark = pytest.mark.usefixtures("db")
URL = "/admin/authorities"


async def test_the_list_searches_by_name_and_country_and_links_each_authority(client) -> None:
    ofcom = await given_authority("Ofcom", "GB")
    await given_authority("Arcom", "FR")
    await signed_in(client, Role.ADMIN)
    everyone = await client.get(URL)
    assert everyone.status_code == 200
    assert "Ofcom" in everyone.text
    assert "Arcom" in everyone.text
    assert f'href="{URL}/{ofcom.id}"' in everyone.text
    assert f'<a href="{URL}" aria-current="page">Authorities</a>' in everyone.text
    found = await client.get(URL, params={"q": "ofc"})
    assert "Ofcom" in found.text
    assert "Arcom" not in found.text
    assert 'value="ofc"' in found.text
    by_country = await client.get(URL, params={"q": "fr"})
    assert "Arcom" in by_country.text
    assert "Ofcom" not in by_country.text
    nothing = await client.get(URL, params={"q": "zzz"})
    assert "No authority matches zzz." in nothing.text


async def test_an_unknown_parameter_is_named_not_ignored(client) -> None:
    await signed_in(client, Role.ADMIN)
    page = await client.get(URL, params={"country": "GB"})
    assert page.status_code == 422
    assert "&#39;country&#39; is not a parameter of the authorities list" in page.text


async def test_correcting_an_authority_writes_one_entry_and_says_which(client) -> None:
    ofcom = await given_authority("OFCOM", "GB")
    await signed_in(client, Role.ADMIN)
    data = {"name": " Ofcom ", "country": "gb", "type": "regulator", "contact": "osa@ofcom.org.uk"}
    data["verified"] = "on"
    done = await post_form(client, f"{URL}/{ofcom.id}", data, page=f"{URL}/{ofcom.id}")
    assert done.status_code == 303, done.text
    changed = await repo.get_authority(ofcom.id)
    assert (changed.name, changed.contact, changed.verified) == ("Ofcom", "osa@ofcom.org.uk", True)
    entries = await store.entries(subject=("authority", str(ofcom.id)), limit=10)
    assert [e.action for e in entries] == ["authority.created", "authority.updated"]
    page = await client.get(done.headers["location"])
    assert "Saved the changes to Ofcom." in page.text
    assert f"Recorded as audit entry #{entries[-1].index}." in page.text


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"name": "  "}, "name", "must be 1 to 300 characters"),
        ({"country": "UK"}, "country", "GB in ISO 3166-1"),
        ({"type": "emperor"}, "type", "choose one of the types"),
    ],
)
async def test_a_bad_correction_is_shown_beside_its_field_and_keeps_the_input(
    client, changes, field, words
) -> None:
    ofcom = await given_authority("Ofcom", "GB")
    await signed_in(client, Role.ADMIN)
    data = {"name": "Ofcom", "country": "GB", "type": "regulator", "contact": "typed", **changes}
    page = await post_form(client, f"{URL}/{ofcom.id}", data, page=f"{URL}/{ofcom.id}")
    assert page.status_code == 422
    assert f'id="error-{field}"' in page.text
    assert words in page.text
    assert ">typed</textarea>" in page.text
    assert await repo.get_authority(ofcom.id) == ofcom


async def test_the_merge_shows_what_moves_then_moves_it_with_one_entry(
    client, rulebook: deadlines.RuleBook
) -> None:
    kept = await given_authority("Ofcom", "GB")
    duplicate = await given_authority("OFCOM", "GB")
    moved = [await given_request(rulebook, authority=duplicate) for _ in range(2)]
    await signed_in(client, Role.ADMIN)
    choice = await client.get(f"{URL}/{duplicate.id}")
    assert f'<option value="{kept.id}">Ofcom (GB, regulator)</option>' in choice.text
    plan = await client.get(f"{URL}/{duplicate.id}/merge", params={"kept_id": str(kept.id)})
    assert plan.status_code == 200
    assert "2 requests will move to the authority kept." in plan.text
    assert all(r.reference in plan.text for r in moved)
    assert (await repo.get_request(moved[0].id)).authority_id == duplicate.id  # nothing yet
    done = await post_form(
        client, f"{URL}/{duplicate.id}/merge", {"kept_id": str(kept.id)}, page=URL
    )
    assert done.status_code == 303, done.text
    assert done.headers["location"].startswith(f"{URL}/{kept.id}?")
    assert [(await repo.get_request(r.id)).authority_id for r in moved] == [kept.id, kept.id]
    with pytest.raises(AuthorityNotFoundError):
        await repo.get_authority(duplicate.id)
    entries = await store.entries(subject=("authority", str(duplicate.id)), limit=10)
    assert [e.action for e in entries] == ["authority.created", "authority.merged"]
    page = await client.get(done.headers["location"])
    assert "Merged the duplicate into Ofcom." in page.text
    assert f"Recorded as audit entry #{entries[-1].index}." in page.text


async def test_a_merge_without_a_choice_or_into_itself_is_refused_on_the_page(client) -> None:
    ofcom = await given_authority("Ofcom", "GB")
    await signed_in(client, Role.ADMIN)
    unchosen = await client.get(f"{URL}/{ofcom.id}/merge", params={"kept_id": ""})
    assert unchosen.status_code == 422
    assert "choose the authority to keep" in unchosen.text
    itself = await post_form(
        client, f"{URL}/{ofcom.id}/merge", {"kept_id": str(ofcom.id)}, page=URL
    )
    assert itself.status_code == 422
    assert "an authority cannot be merged into itself" in itself.text
    assert await repo.get_authority(ofcom.id) == ofcom


async def test_an_unknown_authority_is_a_page_that_says_so(client) -> None:
    await signed_in(client, Role.ADMIN)
    page = await client.get(f"{URL}/{uuid.uuid4()}")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
