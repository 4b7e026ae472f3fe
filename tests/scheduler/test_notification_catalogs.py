"""The notification catalogs: one per locale of response packages, every message translated.

Mirrors ``tests/documents/test_locales.py`` for ``scheduler/locales``: the catalogs on disk are
exactly the supported locales, no message is untranslated, fuzzy, a copy of the English or missing
a placeholder, and rendering every kind in every locale asks no message that falls back to
English (``tests/scheduler/test_messages.py`` checks the template and the compiled ``.mo``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.support import NullTranslations

from documents.i18n import SUPPORTED
from scheduler import messages
from scheduler.messages import KINDS, LOCALES_DIR, SUPPORTED_LOCALES, render_message
from tests.scheduler.test_messages import make

PLACEHOLDER = re.compile(r"\{(\w+)\}")
TRANSLATED = [locale for locale in SUPPORTED_LOCALES if locale != "en"]
SAME_AS_ENGLISH = {("nl", "Later")}
"""Translations that are rightly the English word."""
ITEMS = [
    {"reference": "REQ-1", "due": "2026-03-12T20:00:00+00:00", "title": "A"},
    {"reference": "REQ-2", "due": "2026-03-13"},
    {"reference": "REQ-3", "due": "2026-03-11T08:00:00+00:00"},
    {"reference": "REQ-4", "due": "2026-03-16T09:00:00+00:00"},
]


def po(locale: str) -> Catalog:
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=locale)


def test_every_package_locale_has_a_notification_catalog_and_no_other() -> None:
    on_disk = {p.parent.parent.name for p in LOCALES_DIR.glob("*/LC_MESSAGES/messages.po")}
    assert on_disk == set(SUPPORTED) == set(SUPPORTED_LOCALES)
    assert len(on_disk) == 13


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_message_is_translated_not_fuzzy_with_its_placeholders(locale: str) -> None:
    catalog = po(locale)
    assert not catalog.fuzzy
    for message in (m for m in catalog if m.id):
        assert not message.fuzzy, message.id
        if isinstance(message.id, tuple):
            forms = message.string
            assert isinstance(forms, tuple), message.id
            assert len(forms) == catalog.num_plurals, message.id
            wanted = set(PLACEHOLDER.findall(message.id[1]))
            for form in forms:
                assert form.strip(), message.id
                assert set(PLACEHOLDER.findall(form)) == wanted, (message.id, form)
        else:
            assert isinstance(message.string, str)
            assert message.string.strip(), message.id
            assert sorted(PLACEHOLDER.findall(message.string)) == sorted(
                PLACEHOLDER.findall(message.id)
            ), (message.id, message.string)


@pytest.mark.parametrize("locale", TRANSLATED)
def test_catalogs_are_translations_not_copies_of_english(locale: str) -> None:
    same = set()
    for message in (m for m in po(locale) if m.id):
        english = {message.id} if isinstance(message.id, str) else set(message.id)
        forms = {message.string} if isinstance(message.string, str) else set(message.string)
        same |= {(locale, form) for form in forms & english}
    assert same <= SAME_AS_ENGLISH, same


class _Spy:
    """The real translations, noting each message that came back untranslated."""

    def __init__(self, real: NullTranslations, fallbacks: list[str]) -> None:
        self.real, self.fallbacks = real, fallbacks

    def gettext(self, message: str) -> str:
        found = self.real.gettext(message)
        if found == message:
            self.fallbacks.append(message)
        return found

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        found = self.real.ngettext(singular, plural, n)
        if found in {singular, plural}:
            self.fallbacks.append(singular)
        return found


def _contexts() -> Iterator[dict[str, object]]:
    yield {"items": ITEMS, "source": "BaFin", "count": 12, "average": 2.5}
    yield {"items": ITEMS[:1], "count": 1, "custodian": "kim@example.com"}
    yield {"items": [], "due": "2026-04-01", "notice_text": ""}


@pytest.mark.parametrize("locale", TRANSLATED)
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_no_message_falls_back_to_english_where_a_translation_exists(
    kind: str, locale: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fallbacks: list[str] = []
    real = messages._translations
    monkeypatch.setattr(messages, "_translations", lambda tag: _Spy(real(tag), fallbacks))
    texts = [render_message(make(kind, locale, **context)).text for context in _contexts()]
    assert [m for m in fallbacks if (locale, m) not in SAME_AS_ENGLISH] == []
    # and nothing went around the catalog: no English words of the template show in the text
    fragments = _english_fragments()
    for text in texts:
        leaked = [f for f in fragments if f in text and (locale, f) not in SAME_AS_ENGLISH]
        assert leaked == [], leaked


def _english_fragments() -> set[str]:
    """The words of each English message between its placeholders (four letters or more)."""
    with (LOCALES_DIR / "messages.pot").open("rb") as f:
        template = read_po(f)
    found: set[str] = set()
    for message in (m for m in template if m.id):
        for text in [message.id] if isinstance(message.id, str) else message.id:
            for raw in PLACEHOLDER.split(text)[::2]:
                part = raw.strip(" .:()")
                if sum(c.isalpha() for c in part) >= 4 and part != "Docket":
                    found.add(part)
    return found
