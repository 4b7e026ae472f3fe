"""Every supported locale, read back from the PDF: its strings, its fonts, its direction."""

from __future__ import annotations

import re
from functools import cache
from io import BytesIO
from pathlib import Path

import pytest
from babel.support import Translations
from pypdf import PdfReader

from documents.i18n import LOCALES_DIR
from documents.render import build_html, render_package, supported_locales
from tests.documents.conftest import REFERENCE, make_content, page_texts, pdffonts, squash

# Poppler wraps right-to-left runs in directional embeddings; they are not part of the text.
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")

FONTS = {
    "ja": "Noto-Sans-CJK-JP",
    "ko": "Noto-Sans-CJK-KR",
    "zh_CN": "Noto-Sans-CJK-SC",
    "hi": "Noto-Sans-Devanagari",
    "ar": "Noto-Naskh-Arabic",
}


@cache
def rendered(locale: str) -> bytes:
    return render_package(make_content(locale=locale))


def catalog(locale: str) -> Translations:
    loaded = Translations.load(str(LOCALES_DIR), [locale], "messages")
    assert isinstance(loaded, Translations)
    return loaded


def expected_strings(locale: str) -> list[str]:
    t = catalog(locale)
    return [
        t.gettext("Response to request %(reference)s") % {"reference": REFERENCE},
        t.gettext("Our reference"),
        t.gettext("Dear Sir or Madam,"),
        t.gettext("Index of exhibits"),
        t.ngettext(
            "This response encloses %(num)d exhibit.", "This response encloses %(num)d exhibits.", 2
        )
        % {"num": 2},
        t.gettext("Approval"),
        t.gettext("Approved by / signature"),
    ]


def readable(text: str, locale: str = "") -> str:
    # Poppler drops or moves spaces where Arabic meets digits or Latin; compare Arabic without them.
    text = squash(_BIDI_CONTROLS.sub("", text))
    return text.replace(" ", "") if locale == "ar" else text


@pytest.mark.parametrize("locale", supported_locales())
def test_the_html_carries_the_locale_strings_language_and_direction(locale: str) -> None:
    html = build_html(make_content(locale=locale))
    lang = locale.replace("_", "-")
    direction = "rtl" if locale == "ar" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in html
    for expected in expected_strings(locale):
        assert expected in html


@pytest.mark.parametrize("locale", [loc for loc in supported_locales() if loc != "hi"])
def test_the_pdf_text_is_in_the_locale(locale: str) -> None:
    pages = [readable(text, locale) for text in page_texts(rendered(locale))]
    whole = " ".join(pages)
    for expected in expected_strings(locale):
        assert readable(expected, locale) in whole
    page_of = catalog(locale).gettext("Page %(page)s of %(pages)s")
    assert len(pages) == 4
    for number, text in enumerate(pages, start=1):
        assert REFERENCE in text
        shown = page_of % {"page": number, "pages": len(pages)}
        # a right-to-left line may come back in visual order: the same words, reversed
        forms = {readable(shown, locale), readable(" ".join(shown.split()[::-1]), locale)}
        assert any(form in text for form in forms), (forms, text)


def test_hindi_text_in_bold_headings_reads_back_exactly() -> None:
    # WeasyPrint writes one ToUnicode entry per glyph, so a Devanagari glyph that is reused
    # inside a conjunct reads back with the first cluster's text; regular-weight text is
    # therefore not compared letter by letter. The bold headings use few glyphs and do.
    t = catalog("hi")
    whole = readable(" ".join(page_texts(rendered("hi"))))
    assert t.gettext("Response to request %(reference)s") % {"reference": REFERENCE} in whole
    assert t.gettext("Index of exhibits") in whole


@pytest.mark.parametrize("locale", supported_locales())
def test_fonts_are_embedded_and_match_the_script(locale: str, tmp_path: Path) -> None:
    fonts = pdffonts(rendered(locale), tmp_path)
    assert fonts
    assert all(emb == "yes" for _, emb in fonts), fonts
    names = [name.split("+", 1)[-1] for name, _ in fonts]
    if locale in FONTS:
        assert any(name.startswith(FONTS[locale]) for name in names), names
    else:
        assert any(name.startswith("Noto-Sans") for name in names), names


@pytest.mark.parametrize("locale", supported_locales())
def test_pdf_language_tag_follows_the_locale(locale: str) -> None:
    catalog_ = PdfReader(BytesIO(rendered(locale))).trailer["/Root"]
    assert catalog_["/Lang"] == locale.replace("_", "-")
