"""Localized notification texts: a subject, a plain-text body and an escaped HTML alternative.

Texts are gettext messages (catalogs in ``scheduler/locales``, compiled with pybabel); dates and
numbers go through Babel in the recipient's locale and the request's time zone (``context["tz"]``,
default UTC). Unknown locales fall back to English. Nothing from ``context`` is ever interpreted:
values are substituted into translated templates once and escaped for HTML.
"""

from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path
from typing import Final

from babel import Locale, UnknownLocaleError
from babel.support import NullTranslations, Translations

from scheduler.channels.base import Notification, RenderedMessage
from scheduler.message_texts import BUILDERS, KINDS, Text, zone

__all__ = ["KINDS", "LOCALES_DIR", "SUPPORTED_LOCALES", "render_message"]

LOCALES_DIR: Final = Path(__file__).parent / "locales"
SUPPORTED_LOCALES: Final = ("en", "de", "fr")
DEFAULT_LOCALE: Final = "en"


@lru_cache(maxsize=32)
def _translations(locale: str) -> NullTranslations:
    return Translations.load(str(LOCALES_DIR), [locale], domain="messages")


@lru_cache(maxsize=32)
def _locale(tag: str) -> Locale:
    """The recipient's locale if Docket has texts in its language, else English (no mixing)."""
    try:
        locale = Locale.parse(tag.replace("-", "_") or DEFAULT_LOCALE)
    except (ValueError, TypeError, UnknownLocaleError):
        return Locale.parse(DEFAULT_LOCALE)
    return locale if locale.language in SUPPORTED_LOCALES else Locale.parse(DEFAULT_LOCALE)


def render_message(notification: Notification) -> RenderedMessage:
    """The localized subject, plain text and HTML of a notification.

    Raises:
        ValueError: an unknown notification kind.
    """
    builder = BUILDERS.get(notification.kind)
    if builder is None:
        raise ValueError(f"unknown notification kind {notification.kind!r}")
    locale = _locale(notification.locale)
    tx = Text(_translations(str(locale)), locale, zone(notification.context.get("tz")))
    body = builder(notification, tx)
    subject = "[Docket] " + " ".join(body.subject.split())  # no header injection via newlines
    footer = tx._("This message was sent automatically by Docket.")
    open_label = tx._("Open in Docket:")
    text_parts = [*body.paragraphs]
    if body.items:
        text_parts.append("\n".join(f"- {item}" for item in body.items))
    if body.link:
        text_parts.append(f"{open_label} {body.link}")
    text_parts.append(f"-- \n{footer}")
    e = html.escape
    html_parts = [f"<p>{e(p)}</p>" for p in body.paragraphs]
    if body.items:
        html_parts.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in body.items) + "</ul>")
    if body.link.startswith(("https://", "http://")):
        html_parts.append(f'<p>{e(open_label)} <a href="{e(body.link)}">{e(body.link)}</a></p>')
    elif body.link:
        html_parts.append(f"<p>{e(open_label)} {e(body.link)}</p>")
    html_parts.append(f"<hr><p><small>{e(footer)}</small></p>")
    lang = e(str(locale).replace("_", "-"))
    document = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{e(subject)}</title></head><body>{''.join(html_parts)}</body></html>"
    )
    return RenderedMessage(subject=subject, text="\n\n".join(text_parts) + "\n", html=document)
