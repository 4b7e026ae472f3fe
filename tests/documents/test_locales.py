"""The gettext catalogs and the choice of locale.

The .mo files are committed; they must say what the .po files say (every message, plural form
and plural rule; not their bytes, which carry the compiler's version), every message must be
translated in every locale, and the catalogs must hold exactly the messages that
``pybabel extract -F babel.cfg`` finds in the sources.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from documents.i18n import LOCALES_DIR, format_size, locale_for, supported_locales
from tests.catalogs import catalog_differences

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def po(locale: str) -> Catalog:
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=locale)


def ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {message.id for message in catalog if message.id}


def extracted() -> set[str | tuple[str, ...]]:
    method_map, options_map = parse_mapping_cfg((ROOT / "babel.cfg").open(encoding="utf-8"))
    found: set[str | tuple[str, ...]] = set()
    for _, _, message, _, _ in extract_from_dir(ROOT, method_map, options_map):
        found.add(message)
    return found


def test_every_supported_locale_has_a_catalog_and_no_catalog_is_unsupported() -> None:
    on_disk = {p.parent.parent.name for p in LOCALES_DIR.glob("*/LC_MESSAGES/messages.po")}
    assert on_disk == set(supported_locales())
    assert len(supported_locales()) == 13


def test_the_template_holds_exactly_the_messages_in_the_sources() -> None:
    with (LOCALES_DIR / "messages.pot").open("rb") as f:
        template = read_po(f)
    assert ids(template) == extracted()


@pytest.mark.parametrize("locale", supported_locales())
def test_the_catalog_has_exactly_the_template_messages(locale: str) -> None:
    with (LOCALES_DIR / "messages.pot").open("rb") as f:
        template = read_po(f)
    assert ids(po(locale)) == ids(template)


@pytest.mark.parametrize("locale", supported_locales())
def test_every_message_is_translated_with_the_right_placeholders(locale: str) -> None:
    catalog = po(locale)
    assert not catalog.fuzzy
    messages: list[Message] = [m for m in catalog if m.id]
    assert messages
    for message in messages:
        assert not message.fuzzy, message.id
        if isinstance(message.id, tuple):
            forms = message.string
            assert isinstance(forms, tuple)
            assert len(forms) == catalog.num_plurals, message.id
            assert all(form.strip() for form in forms), message.id
            allowed = set(PLACEHOLDER.findall(message.id[1]))
            for form in forms:
                # a form may spell the number out ("one exhibit"), never invent a placeholder
                assert set(PLACEHOLDER.findall(form)) <= allowed, (message.id, form)
            assert any(PLACEHOLDER.findall(form) for form in forms), message.id
        else:
            assert isinstance(message.string, str)
            assert message.string.strip(), message.id
            assert sorted(PLACEHOLDER.findall(message.string)) == sorted(
                PLACEHOLDER.findall(message.id)
            ), (message.id, message.string)


@pytest.mark.parametrize("locale", [loc for loc in supported_locales() if loc != "en"])
def test_catalogs_are_translations_not_copies_of_english(locale: str) -> None:
    same = [m.id for m in po(locale) if m.id and not isinstance(m.id, tuple) and m.string == m.id]
    # "SHA-256" and, in some languages, "Version"/"Date" are the same word
    assert set(same) <= {"SHA-256", "Version", "Date", "Title", "No."}, same


@pytest.mark.parametrize("locale", supported_locales())
def test_committed_mo_says_what_the_po_says(locale: str) -> None:
    differences = catalog_differences(LOCALES_DIR / locale / "LC_MESSAGES", locale)
    assert differences == [], (
        f"documents/locales/{locale}: run `pybabel compile -d documents/locales -D messages`"
    )


@pytest.mark.parametrize(
    ("tag", "jurisdiction", "expected"),
    [
        ("de", None, "de"),
        ("de-DE", None, "de"),
        ("de_AT", None, "de"),
        ("DE-ch", None, "de"),
        ("pt-BR", None, "pt_BR"),
        ("pt-PT", None, "pt_BR"),
        ("pt", None, "pt_BR"),
        ("zh-Hans", None, "zh_CN"),
        ("zh-CN", None, "zh_CN"),
        ("zh-Hans-CN", None, "zh_CN"),
        ("zh", None, "zh_CN"),
        ("zh-Hant", "TW", "en"),
        ("zh-TW", "CN", "zh_CN"),
        ("ja-JP", "US", "ja"),
        ("ar-EG", None, "ar"),
        ("hi-IN", None, "hi"),
        ("fr-CA", None, "fr"),
        ("es-419", None, "es"),
        ("en-GB", "DE", "en"),
        (None, "DE", "de"),
        ("", "FR", "fr"),
        ("xx", "JP", "ja"),
        (None, "BR", "pt_BR"),
        (None, "IN", "en"),
        (None, "US-CA", "en"),
        (None, "us-ca", "en"),
        (None, "KR", "ko"),
        (None, "BE", "nl"),
        (None, "EU", "en"),
        (None, None, "en"),
        ("tlh", None, "en"),
    ],
)
def test_locale_for_maps_tags_then_jurisdictions_then_english(
    tag: str | None, jurisdiction: str | None, expected: str
) -> None:
    assert locale_for(tag, jurisdiction=jurisdiction) == expected
    assert expected in supported_locales()


@pytest.mark.parametrize(
    ("size", "locale", "expected"),
    [
        (0, "en", "0 byte"),
        (999, "en", "999 byte"),
        (12_345, "en", "12.3 kB"),
        (12_345, "de", "12,3 kB"),
        (999_949, "en", "999.9 kB"),
        (999_999, "en", "1 MB"),  # rounds up into the next unit, never "1,000 kB"
        (1_534_567, "fr", "1,5\u202fMo"),
        (1_534_567, "ja", "1.5 MB"),
    ],
)
def test_sizes_use_cldr_units_and_the_locale_number_format(
    size: int, locale: str, expected: str
) -> None:
    assert format_size(size, locale=locale) == expected
