"""The organisation's letter templates: defaults, changes with their audit entry, refusals."""

from __future__ import annotations

import subprocess

import pytest

from audit import store
from domain.packages import letter_templates
from domain.packages import service as packages
from domain.shared.errors import PermissionDeniedError, ValidationError
from domain.shared.model import Role
from tests.conftest import ROOT, T0
from tests.documents.conftest import need
from tests.domain.test_packages_service import ORG, Desk, desk, write
from tests.domain.test_requests_service import actor_with

pytestmark = pytest.mark.usefixtures("db")
__all__ = ["desk"]  # the fixture, used by name


def pdf_text(pdf: bytes) -> str:
    done = subprocess.run([need("pdftotext"), "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(done.stdout.decode("utf-8").split())


GERMAN = "Sehr geehrte Damen und Herren,\n\nauf Ihr Ersuchen teilen wir Folgendes mit."


async def test_a_locale_without_a_template_has_the_catalog_text() -> None:
    found = await letter_templates.get_letter_template("de", actor=await actor_with(Role.AUDITOR))
    assert not found.customised
    assert found.greeting.startswith("Sehr geehrte Damen und Herren,")
    assert "\n\n" in found.greeting  # the greeting and the sentence that leads into the body
    assert found.closing == "Mit freundlichen Grüßen"


async def test_an_admin_words_a_template_and_one_audit_entry_records_before_and_after() -> None:
    admin = await actor_with(Role.ADMIN)
    changed = await letter_templates.set_letter_template(
        "de", greeting=f"  {GERMAN}\r\n", closing="Hochachtungsvoll", actor=admin, now=T0
    )
    assert (changed.greeting, changed.closing, changed.customised) == (
        GERMAN,
        "Hochachtungsvoll",
        True,
    )
    assert changed.updated_by == f"user:{admin.id}"
    assert changed.updated_at == T0
    again = await letter_templates.set_letter_template(
        "de", greeting=GERMAN, closing="Hochachtungsvoll", actor=admin, now=T0
    )
    assert again == changed
    entries = await store.entries(subject=("letter_template", "de"), limit=10)
    assert [e.action for e in entries] == ["letter_template.changed"]  # the repeat wrote none
    record = await store.changes_for(entries[0].index)
    assert record is not None
    change = record.change()
    assert isinstance(change, dict)
    assert change["after"] == {"greeting": GERMAN, "closing": "Hochachtungsvoll"}
    assert change["before"]["customised"] is False  # type: ignore[index]
    assert (await letter_templates.get_letter_template("de", actor=ROOT)) == changed
    english = await letter_templates.get_letter_template("en", actor=ROOT)
    assert not english.customised  # one locale's template leaves the others alone


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.LEGAL, Role.AUDITOR])
async def test_only_an_admin_changes_a_template(role: Role) -> None:
    with pytest.raises(PermissionDeniedError):
        await letter_templates.set_letter_template(
            "de", greeting="Hallo", closing="Tschüss", actor=await actor_with(role), now=T0
        )
    assert await store.entries(subject=("letter_template", "de"), limit=10) == []


@pytest.mark.parametrize(
    ("locale", "greeting", "closing", "field"),
    [
        ("xx", "Hi", "Bye", "locale"),
        ("de", "Hallo\x07", "Tschüss", "greeting"),
        ("de", "Hallo", "x" * 2001, "closing"),
    ],
    ids=["unknown locale", "control character", "too long"],
)
async def test_bad_input_is_refused_and_records_nothing(
    locale: str, greeting: str, closing: str, field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        await letter_templates.set_letter_template(
            locale, greeting=greeting, closing=closing, actor=ROOT, now=T0
        )
    assert refused.value.field == field
    assert await store.entries(subject=("letter_template", locale), limit=10) == []


async def test_a_package_prints_the_organisations_greeting_and_closing_once(desk: Desk) -> None:
    await letter_templates.set_letter_template(
        "en",
        greeting="Dear Colleagues,\n\nPlease find our answer below.",
        closing="Kind regards,",
        actor=ROOT,
        now=T0,
    )
    await write(desk, "We hold the requested data.", locale="en")
    built = await packages.build_version(
        desk.reg_request.id, organisation=ORG, store=desk.blobs, actor=desk.specialist, now=T0
    )
    text = pdf_text(desk.blobs.path(built.version.sha256).read_bytes())
    assert text.count("Dear Colleagues,") == 1
    assert "Please find our answer below. We hold the requested data. Kind regards," in text
    assert "Dear Sir or Madam" not in text
    assert "Yours faithfully" not in text
