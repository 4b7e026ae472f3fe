"""Render a response package: a localized PDF/A-3b letter with its exhibits embedded.

The cover letter, the response text, the index of exhibits and the approval page are one HTML
document rendered by WeasyPrint; each page of an exhibit that is a PDF gets a placeholder page
there (so ``page X of Y``, the reference and the exhibit caption are on it), and pypdf then
draws the exhibit page into the placeholder. The approval page, when the organisation includes
it, is the last page, which is what :data:`SIGNATURE_FIELD` points at. Identical content gives
identical bytes.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass
from datetime import UTC
from functools import cache
from importlib import metadata
from typing import Final, TypeAlias

from jinja2 import Environment, FileSystemLoader, Template
from markupsafe import Markup
from weasyprint import HTML, Attachment

from documents import i18n
from documents.exhibit_pages import Frame, merge_exhibit_pages, pdf_page_count
from documents.fetcher import TEMPLATES, AssetFetcher, ExhibitFetcher, exhibit_url
from documents.i18n import locale_for, supported_locales
from documents.letter_frame import default_frame, paragraphs
from documents.markdown import render_markdown
from documents.package import PackageContent

__all__ = [
    "SIGNATURE_FIELD",
    "SignatureBox",
    "build_html",
    "locale_for",
    "render_package",
    "supported_locales",
]

SignatureBox: TypeAlias = tuple[int, float, float, float, float]
"""(page index, x1, y1, x2, y2) in PDF points from the bottom-left corner; -1 is the last page."""

# A4 and its margins, in PDF points; the CSS below is generated from these numbers.
PAGE_WIDTH: Final = 595.2756
PAGE_HEIGHT: Final = 841.8898
MARGIN_TOP: Final = 72.0
MARGIN_BOTTOM: Final = 72.0
MARGIN_SIDE: Final = 60.0
CAPTION_HEIGHT: Final = 28.0

SIGNATURE_FIELD: Final[SignatureBox] = (-1, 315.0, 300.0, 535.0, 390.0)
"""Where the approval page, if any, leaves room for the visible signature (the last page)."""

EXHIBIT_FRAME: Final = Frame(
    x1=MARGIN_SIDE,
    y1=MARGIN_BOTTOM,
    x2=PAGE_WIDTH - MARGIN_SIDE,
    y2=PAGE_HEIGHT - MARGIN_TOP - CAPTION_HEIGHT,
)

_FONTS: Final = {
    "ja": '"Noto Sans CJK JP", "Noto Sans", sans-serif',
    "ko": '"Noto Sans CJK KR", "Noto Sans", sans-serif',
    "zh_CN": '"Noto Sans CJK SC", "Noto Sans", sans-serif',
    "ar": '"Noto Naskh Arabic", "Noto Sans", sans-serif',
    "hi": '"Noto Sans Devanagari", "Noto Sans", sans-serif',
}
_DEFAULT_FONT: Final = '"Noto Sans", sans-serif'
_STATIC_CSS: Final = (TEMPLATES / "package.css").read_text(encoding="utf-8")
_CSS_SAFE: Final = re.compile(r"[A-Za-z0-9 _.,:;()/+-]")
_COUNTER: Final = re.compile(r"(%\((?:page|pages)\)s)")
_PROBE: Final = 65536


def _generator() -> str:
    try:
        return f"Docket {metadata.version('docket')}"
    except metadata.PackageNotFoundError:  # a source tree that was never installed
        return "Docket 0+unknown"


GENERATOR: Final = _generator()
"""Written as the PDF's XMP ``CreatorTool`` and Info ``/Creator``: which release made the file."""


def _(message: str) -> str:
    """Mark a message for extraction; it is translated where it is used."""
    return message


_PAGE_OF: Final = _("Page %(page)s of %(pages)s")
_TITLE: Final = _("Response to request %(reference)s")


def css_string(text: str) -> str:
    """Quote ``text`` as a CSS string that cannot end the string, the rule or the style element."""
    out = []
    for char in text:
        if _CSS_SAFE.fullmatch(char) or (ord(char) > 127 and char.isprintable()):  # noqa: PLR2004
            out.append(char)
        elif char.isprintable():
            out.append(f"\\{ord(char):06x}")
    return '"' + "".join(out) + '"'


@dataclass(frozen=True, slots=True)
class _Row:
    number: int
    title: str
    file_name: str
    size: str
    sha256: str
    pages: int


@dataclass(frozen=True, slots=True)
class _Placeholder:
    number: int
    title: str
    file_name: str
    page: int
    pages: int


@cache
def _template(locale: str) -> Template:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(i18n.translations(locale), newstyle=True)  # type: ignore[attr-defined]
    env.filters["isolate"] = i18n.isolate
    return env.get_template("package.html")


def _page_css(content: PackageContent) -> str:
    translate = i18n.translations(content.locale).gettext
    counters = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}
    parts = [counters.get(p) or css_string(p) for p in _COUNTER.split(translate(_PAGE_OF)) if p]
    font = _FONTS.get(content.locale, _DEFAULT_FONT)
    start, end = ("right", "left") if i18n.text_direction(content.locale) == "rtl" else (
        "left", "right"
    )  # fmt: skip
    box_left = SIGNATURE_FIELD[1] - MARGIN_SIDE
    box_top = PAGE_HEIGHT - MARGIN_TOP - SIGNATURE_FIELD[4]
    return f"""
@page {{ size: {PAGE_WIDTH}pt {PAGE_HEIGHT}pt;
  margin: {MARGIN_TOP}pt {MARGIN_SIDE}pt {MARGIN_BOTTOM}pt {MARGIN_SIDE}pt;
  font-family: {font}; font-size: 8pt; color: #555;
  @top-{start} {{ content: {css_string(content.organisation)}; }}
  @top-{end} {{ content: {css_string(content.request.reference)}; }}
  @bottom-center {{ content: {" ".join(parts)}; }} }}
html {{ font-family: {font}; }}
section.approval h2 {{ margin-top: 0; }}
.signature-label {{ position: absolute; left: {box_left}pt; top: {box_top - 18}pt;
  width: {SIGNATURE_FIELD[3] - SIGNATURE_FIELD[1]}pt; height: 14pt; overflow: hidden; }}
.signature-box {{ position: absolute; left: {box_left}pt; top: {box_top}pt;
  width: {SIGNATURE_FIELD[3] - SIGNATURE_FIELD[1]}pt;
  height: {SIGNATURE_FIELD[4] - SIGNATURE_FIELD[2]}pt; }}
"""


def safe_file_name(name: str, number: int) -> str:
    """The name an exhibit is embedded under: no directories, no control characters.

    Extractors such as ``pdfdetach -saveall`` write files under the embedded name, so a name
    like ``../../.bashrc`` must not survive.
    """
    base = re.split(r"[/\\]", name)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(".")
    return base or f"exhibit-{number}"


def _rows(content: PackageContent, page_counts: tuple[int, ...]) -> list[_Row]:
    locale = content.locale
    return [
        _Row(
            number=n,
            title=e.title,
            file_name=safe_file_name(e.file_name, n),
            size=i18n.format_size(e.size, locale=locale),
            sha256=e.sha256,
            pages=pages,
        )
        for n, (e, pages) in enumerate(zip(content.exhibits, page_counts, strict=True), start=1)
    ]


def _placeholders(rows: list[_Row]) -> list[_Placeholder]:
    return [
        _Placeholder(number=r.number, title=r.title, file_name=r.file_name, page=p, pages=r.pages)
        for r in rows
        for p in range(1, r.pages + 1)
    ]


def _build_html(content: PackageContent, page_counts: tuple[int, ...]) -> str:
    shown = content.request
    locale, zone = content.locale, shown.time_zone
    title = i18n.translations(locale).gettext(_TITLE) % {"reference": shown.reference}
    rows = _rows(content, page_counts)
    created_utc = content.created_at.astimezone(UTC)
    frame = default_frame(locale)
    return _template(locale).render(
        c=content,
        r=shown,
        lang=i18n.html_lang(locale),
        direction=i18n.text_direction(locale),
        response_direction=i18n.writing_direction(
            content.response_markdown, default=i18n.text_direction(locale)
        ),
        title=title,
        generator=GENERATOR,
        subject=f"{title} ({shown.authority_name})",
        keywords=", ".join(k for k in (shown.reference, shown.authority_reference) if k),
        created=created_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        css=Markup(_STATIC_CSS + _page_css(content)),  # noqa: S704 - ours, user text is CSS-escaped
        contact_lines=[line for line in shown.authority_contact.splitlines() if line.strip()],
        received=i18n.format_moment(shown.received_at, time_zone=zone, locale=locale),
        due=shown.due_at and i18n.format_moment(shown.due_at, time_zone=zone, locale=locale),
        dated=i18n.format_day(content.created_at, time_zone=zone, locale=locale),
        created_local=i18n.format_moment(content.created_at, time_zone=zone, locale=locale),
        version=i18n.format_integer(content.version, locale=locale),
        response_html=Markup(render_markdown(content.response_markdown)),  # noqa: S704 - inert
        greeting=paragraphs(frame.greeting if content.greeting is None else content.greeting),
        closing=paragraphs(frame.closing if content.closing is None else content.closing),
        exhibits=rows,
        placeholders=_placeholders(rows),
    )


def _page_counts(content: PackageContent) -> tuple[int, ...]:
    return tuple(pdf_page_count(e.content) for e in content.exhibits)


def build_html(content: PackageContent) -> str:
    """The complete HTML (styles inline) that WeasyPrint turns into the package's letter.

    Raises:
        ValueError: if ``content.locale`` is not one of :func:`supported_locales`.
        zoneinfo.ZoneInfoNotFoundError: if ``content.request.time_zone`` is not an IANA zone.
    """
    return _build_html(content, _page_counts(content))


def _identifier(html: str, content: PackageContent) -> bytes:
    # The HTML holds every rendered value and the exhibits' digests; add what it does not show.
    digest = hashlib.sha256(html.encode("utf-8"))
    for exhibit in content.exhibits:
        digest.update(b"\0" + exhibit.media_type.encode("utf-8"))
    return digest.hexdigest()[:32].encode("ascii")


def _finish_pdf(document: object, pdf: object) -> None:
    """WeasyPrint finisher: one ``/AF`` entry per file, and cheaper compression of exhibits.

    WeasyPrint 70 lists every embedded file twice in the catalog's ``/AF`` array (from the name
    tree and from the file specifications); PDF/A-3 wants each once. It also deflates every
    embedded file at level 9, which costs more than the whole layout for a few megabytes of
    exhibits; files that do not shrink (PDF, PNG, JPEG, ZIP …) are stored as they are and the
    rest are deflated at level 1 (measured: 1/5 of the time of level 6 for 6 % more bytes).
    """
    catalog = getattr(pdf, "catalog", {})
    if "AF" in catalog:
        catalog["AF"][:] = list(dict.fromkeys(catalog["AF"]))
    for obj in getattr(pdf, "objects", ()):
        extra = getattr(obj, "extra", None)
        if isinstance(extra, dict) and extra.get("Type") == "/EmbeddedFile" and obj.compress:
            data = b"\n".join(obj.stream)
            probe = zlib.compress(data[:_PROBE], 1)
            if len(probe) < len(data[:_PROBE]) * 0.9:
                obj.stream = [zlib.compress(data, 1)]
                extra["Filter"] = "/FlateDecode"
            obj.compress = False


def render_package(content: PackageContent) -> bytes:
    """Render ``content`` to PDF/A-3b bytes with the exhibits embedded as attachments.

    Exhibits that are PDFs are also drawn, page by page, after the letter. Rendering is
    deterministic: identical content gives byte-identical output.

    Raises:
        ValueError: if ``content.locale`` is not one of :func:`supported_locales`.
        zoneinfo.ZoneInfoNotFoundError: if ``content.request.time_zone`` is not an IANA zone.
    """
    page_counts = _page_counts(content)
    html = _build_html(content, page_counts)
    created = content.created_at.astimezone(UTC)
    fetcher = ExhibitFetcher(tuple((e.content, e.media_type) for e in content.exhibits))
    attachments = [
        Attachment(
            url=exhibit_url(i),
            url_fetcher=fetcher,
            name=safe_file_name(e.file_name, i + 1),
            description=e.title,
            created=created,
            modified=created,
            relationship="Supplement",
        )
        for i, e in enumerate(content.exhibits)
    ]
    letter: bytes = HTML(string=html, base_url=None, url_fetcher=AssetFetcher()).write_pdf(
        pdf_variant="pdf/a-3b",
        attachments=attachments,
        pdf_identifier=_identifier(html, content),
        finisher=_finish_pdf,
    )
    pdf_exhibits = [e.content for e, n in zip(content.exhibits, page_counts, strict=True) if n]
    if not pdf_exhibits:
        return letter
    return merge_exhibit_pages(letter, pdf_exhibits, frame=EXHIBIT_FRAME)
