"""Localized notification texts: a subject, a plain-text body and an escaped HTML alternative.

Texts are gettext messages (catalogs in ``scheduler/locales``, compiled with pybabel, one per
locale of response packages); dates and numbers go through Babel in the recipient's locale and
time zone (``Notification.time_zone``: the person's, or the organisation's for a webhook; a
notification recorded without one falls back to the request's ``context["tz"]``, then UTC).
Unknown locales fall back to English. Nothing from ``context`` is ever interpreted: values are
substituted into translated templates once and escaped for HTML.
"""

from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path
from typing import Final

from babel import Locale, UnknownLocaleError
from babel.support import NullTranslations, Translations

from documents.i18n import SUPPORTED, locale_for, text_direction
from scheduler.channels.base import Notification, RenderedMessage
from scheduler.message_texts import BUILDERS, KINDS, Body, Text, zone

__all__ = ["KINDS", "LOCALES_DIR", "SUPPORTED_LOCALES", "render_message"]

LOCALES_DIR: Final = Path(__file__).parent / "locales"
SUPPORTED_LOCALES: Final = SUPPORTED


@lru_cache(maxsize=32)
def _translations(locale: str) -> NullTranslations:
    return Translations.load(str(LOCALES_DIR), [locale], domain="messages")


@lru_cache(maxsize=64)
def _locale(tag: str) -> tuple[Locale, str]:
    """The recipient's locale and the catalog Docket has for it, else English (no mixing).

    The catalog is chosen as for response packages (``de_AT`` reads ``de``, ``pt-PT`` reads
    ``pt_BR``); dates and numbers keep the region of the tag when it is of the same language.
    """
    catalog = locale_for(tag)
    chosen = Locale.parse(catalog)
    try:
        asked = Locale.parse(tag.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return chosen, catalog
    return (asked if asked.language == chosen.language else chosen), catalog


def _sections(body: Body) -> tuple[list[str], list[str]]:
    """The grouped items (a digest's days) as plain-text and HTML paragraphs."""
    e = html.escape
    text = [f"{title}\n" + "\n".join(f"- {i}" for i in items) for title, items in body.groups]
    markup = [
        f"<h2>{e(title)}</h2><ul>" + "".join(f"<li>{e(i)}</li>" for i in items) + "</ul>"
        for title, items in body.groups
    ]
    return text, markup


def render_message(notification: Notification) -> RenderedMessage:
    """The localized subject, plain text and HTML of a notification.

    Raises:
        ValueError: an unknown notification kind.
    """
    builder = BUILDERS.get(notification.kind)
    if builder is None:
        raise ValueError(f"unknown notification kind {notification.kind!r}")
    locale, catalog = _locale(notification.locale)
    tz = zone(notification.time_zone or notification.context.get("tz"))
    tx = Text(_translations(catalog), locale, tz)
    body = builder(notification, tx)
    subject = "[Docket] " + " ".join(body.subject.split())  # no header injection via newlines
    footer = tx._("This message was sent automatically by Docket.")
    open_label = tx._("Open in Docket:")
    text_parts = [*body.paragraphs]
    if body.items:
        text_parts.append("\n".join(f"- {item}" for item in body.items))
    group_text, group_html = _sections(body)
    text_parts += group_text
    if body.link:
        text_parts.append(f"{open_label} {body.link}")
    text_parts.append(f"-- \n{footer}")
    e = html.escape
    html_parts = [f"<p>{e(p)}</p>" for p in body.paragraphs]
    if body.items:
        html_parts.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in body.items) + "</ul>")
    html_parts += group_html
    if body.link.startswith(("https://", "http://")):
        html_parts.append(f'<p>{e(open_label)} <a href="{e(body.link)}">{e(body.link)}</a></p>')
    elif body.link:
        html_parts.append(f"<p>{e(open_label)} {e(body.link)}</p>")
    html_parts.append(f"<hr><p><small>{e(footer)}</small></p>")
    lang = e("-".join(filter(None, (locale.language, locale.territory))))
    document = (
        f'<!DOCTYPE html><html lang="{lang}" dir="{text_direction(catalog)}">'
        '<head><meta charset="utf-8">'
        f"<title>{e(subject)}</title></head><body>{''.join(html_parts)}</body></html>"
    )
    return RenderedMessage(subject=subject, text="\n\n".join(text_parts) + "\n", html=document)
