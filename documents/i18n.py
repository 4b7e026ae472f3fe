"""Locales of response packages: which exist, how a request's language maps to one, formatting.

Catalogs live in ``documents/locales/<locale>/LC_MESSAGES/messages.{po,mo}``; they are extracted
and compiled with Babel's ``pybabel`` (see ``babel.cfg``). Loaded catalogs are cached per locale.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from babel.support import Translations
from babel.units import format_unit

LOCALES_DIR: Final = Path(__file__).parent / "locales"
DOMAIN: Final = "messages"

SUPPORTED: Final = (
    "en", "de", "fr", "es", "pt_BR", "it", "nl", "pl", "ja", "ko", "zh_CN", "ar", "hi",
)  # fmt: skip
_RTL: Final = frozenset({"ar"})
_KILO: Final = 1000
_MEGA: Final = 1_000_000

# A language subtag (or language + region/script) to our locale. Any region of a language we
# support maps to it, except Chinese, where only Simplified script/regions map to zh_CN.
_BY_LANGUAGE: Final = {
    "en": "en", "de": "de", "fr": "fr", "es": "es", "pt": "pt_BR", "it": "it", "nl": "nl",
    "pl": "pl", "ja": "ja", "ko": "ko", "ar": "ar", "hi": "hi",
}  # fmt: skip
_CHINESE_SIMPLIFIED: Final = frozenset({"", "hans", "cn", "sg", "my", "hans_cn", "hans_sg"})

# Jurisdiction (ISO 3166-1 country, optionally "-subdivision") to the language authorities there
# expect when the request names none. Multilingual states get their most common administrative
# language; India and Singapore use English for regulatory correspondence.
_BY_COUNTRY: Final = {
    "DE": "de", "AT": "de", "LI": "de", "CH": "de", "FR": "fr", "LU": "fr", "MC": "fr",
    "BE": "nl", "NL": "nl", "ES": "es", "MX": "es", "AR": "es", "CL": "es", "CO": "es",
    "BR": "pt_BR", "PT": "pt_BR", "IT": "it", "SM": "it", "PL": "pl", "JP": "ja", "KR": "ko",
    "CN": "zh_CN", "SA": "ar", "AE": "ar", "EG": "ar", "QA": "ar",
}  # fmt: skip


def supported_locales() -> tuple[str, ...]:
    """The locales a response package can be rendered in."""
    return SUPPORTED


def _from_tag(tag: str) -> str | None:
    parts = tag.strip().replace("-", "_").lower().split("_", 1)
    language, rest = parts[0], (parts[1] if len(parts) > 1 else "")
    if language == "zh":
        return "zh_CN" if rest in _CHINESE_SIMPLIFIED else None
    return _BY_LANGUAGE.get(language)


def locale_for(tag: str | None, *, jurisdiction: str | None = None) -> str:
    """Map a response language tag (``de-DE``, ``pt-BR``, ``zh-Hans`` …) to a supported locale.

    When the tag is absent or unsupported, the jurisdiction's language is used (``DE`` → ``de``,
    ``US-CA`` → ``en``), and English otherwise.
    """
    if tag and (found := _from_tag(tag)):
        return found
    if jurisdiction:
        return _BY_COUNTRY.get(jurisdiction.strip().upper().split("-")[0], "en")
    return "en"


def html_lang(locale: str) -> str:
    """The BCP 47 tag for ``<html lang>``: ``pt_BR`` → ``pt-BR``."""
    return locale.replace("_", "-")


def text_direction(locale: str) -> str:
    """``rtl`` for right-to-left scripts, else ``ltr``."""
    return "rtl" if locale in _RTL else "ltr"


def writing_direction(text: str, *, default: str) -> str:
    """``rtl`` or ``ltr`` after the first strongly directional character of ``text`` (UAX #9 P2).

    Untrusted text keeps its own direction: English in an Arabic letter stays left-to-right.
    """
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in {"R", "AL"}:
            return "rtl"
    return default


@cache
def translations(locale: str) -> Translations:
    """The compiled catalog for ``locale``, loaded once per process.

    Raises:
        ValueError: if ``locale`` is not supported.
    """
    if locale not in SUPPORTED:
        raise ValueError(f"unsupported locale {locale!r}; expected one of {SUPPORTED}")
    loaded = Translations.load(str(LOCALES_DIR), [locale], DOMAIN)
    if not isinstance(loaded, Translations):  # pragma: no cover - a missing .mo is a packaging bug
        raise TypeError(f"no compiled catalog for {locale!r} in {LOCALES_DIR}")
    return loaded


def format_moment(moment: datetime, *, time_zone: str, locale: str) -> str:
    """A date and time in ``time_zone`` with the zone shown, e.g. ``5. März 2026, 15:30:00 MEZ``."""
    return format_datetime(moment, "long", tzinfo=ZoneInfo(time_zone), locale=locale)


def format_day(moment: datetime, *, time_zone: str, locale: str) -> str:
    """The calendar date of ``moment`` in ``time_zone``, e.g. ``5. März 2026``."""
    return format_date(moment.astimezone(ZoneInfo(time_zone)).date(), "long", locale=locale)


def format_size(size: int, *, locale: str) -> str:
    """A byte count in CLDR units (decimal multiples): ``512 B``, ``12,3 kB``, ``1.5 MB``."""
    if size < _KILO:
        return format_unit(size, "digital-byte", "short", locale=locale)
    unit, scaled = "digital-kilobyte", round(size / _KILO, 1)
    if scaled >= _KILO:
        unit, scaled = "digital-megabyte", round(size / _MEGA, 1)
    return format_unit(scaled, unit, "short", format="#,##0.#", locale=locale)


def format_integer(number: int, *, locale: str) -> str:
    """An integer with the locale's digits and grouping."""
    return format_decimal(number, locale=locale)


def isolate(text: str) -> str:
    """``text`` as its own bidirectional run (FSI … PDI), its direction from its first letter.

    Pango (WeasyPrint's text layout) honours the Unicode isolates but WeasyPrint 70 ignores
    ``unicode-bidi: isolate``, so ``<bdi>`` alone does not keep a right-to-left date from
    merging with the label beside it.
    """
    return f"\u2068{text}\u2069"  # Unicode Bidirectional Algorithm (UAX #9) §2.4
