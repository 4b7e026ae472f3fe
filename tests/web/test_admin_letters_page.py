"""The letter templates admin page over HTTP: every locale listed, one edited through the same
service as the API (one audit entry), bad text shown beside its field."""

from __future__ import annotations

import pytest

from audit import store
from documents.render import supported_locales
from domain.packages import letter_templates
from domain.shared.model import Role
from tests.conftest import ROOT
from tests.web.helpers import post_form, signed_in

pytestmark = pytest.mark.usefixtures("db")
URL = "/admin/letter-templates"
GERMAN = "Sehr geehrte Damen und Herren,\n\nwir antworten wie folgt."


async def test_every_locale_is_listed_with_its_default_text_and_a_link(client) -> None:
    await signed_in(client, Role.ADMIN)
    page = await client.get(URL)
    assert page.status_code == 200
    for locale in supported_locales():
        assert f'href="{URL}/{locale}"' in page.text
    assert "Portuguese (Brazil)" in page.text
    assert "Mit freundlichen Grüßen" in page.text
    assert page.text.count("Default text") == len(supported_locales())
    assert f'<a href="{URL}" aria-current="page">Letter templates</a>' in page.text


async def test_saving_a_locale_changes_it_with_one_audit_entry_and_says_so(client) -> None:
    admin = await signed_in(client, Role.ADMIN)
    form = await client.get(f"{URL}/de")
    assert form.status_code == 200
    assert "Mit freundlichen Grüßen</textarea>" in form.text
    data = {"greeting": GERMAN.replace("\n", "\r\n"), "closing": "Hochachtungsvoll"}
    done = await post_form(client, f"{URL}/de", data, page=f"{URL}/de")
    assert done.status_code == 303, done.text
    saved = await letter_templates.get_letter_template("de", actor=ROOT)
    assert (saved.greeting, saved.closing, saved.customised) == (GERMAN, "Hochachtungsvoll", True)
    entries = await store.entries(subject=("letter_template", "de"), limit=10)
    assert [e.action for e in entries] == ["letter_template.changed"]
    page = await client.get(done.headers["location"])
    assert "Saved the letter template for German" in page.text
    assert f"Last changed by {admin.display_name} at" in page.text
    assert f"Recorded as audit entry #{entries[0].index}." in page.text
    listed = await client.get(URL)
    assert listed.text.count("Default text") == len(supported_locales()) - 1


async def test_an_unchanged_save_writes_no_second_entry(client) -> None:
    await signed_in(client, Role.ADMIN)
    data = {"greeting": GERMAN, "closing": "Hochachtungsvoll"}
    for _ in range(2):
        done = await post_form(client, f"{URL}/de", data, page=f"{URL}/de")
        assert done.status_code == 303
    entries = await store.entries(subject=("letter_template", "de"), limit=10)
    assert len(entries) == 1


async def test_a_text_too_long_is_refused_beside_its_field_and_kept(client) -> None:
    await signed_in(client, Role.ADMIN)
    data = {"greeting": "x" * 2001, "closing": "Typed closing"}
    page = await post_form(client, f"{URL}/de", data, page=f"{URL}/de")
    assert page.status_code == 422
    assert 'id="error-greeting"' in page.text
    assert "longer than 2000 characters" in page.text
    assert "Typed closing</textarea>" in page.text
    assert not (await letter_templates.get_letter_template("de", actor=ROOT)).customised


async def test_an_unknown_locale_is_a_page_that_names_the_known_ones(client) -> None:
    await signed_in(client, Role.ADMIN)
    page = await client.get(f"{URL}/xx")
    assert page.status_code == 422
    assert "text/html" in page.headers["content-type"]
    assert "pt_BR" in page.text
