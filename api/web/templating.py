"""The web pages' Jinja environment: autoescaped, strict, every string through gettext.

Strings in templates are marked with ``_()`` / ``{% trans %}`` so that the pages can be
translated through Babel catalogs like the response packages and the mail, without touching the
templates. English is the only language so far, so the marked strings are shown as written.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import TIMEDELTA_UNITS, format_timedelta, parse_pattern
from babel.support import NullTranslations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from api.static_assets import static_url, vendor_url
from api.web.i18n import N_

TEMPLATES: Final = Path(__file__).resolve().parent.parent / "templates" / "web"
LOCALE: Final = Locale.parse("en")
_DAY: Final = parse_pattern("d MMM y")
_TIME: Final = parse_pattern("HH:mm")


@lru_cache(maxsize=4096)
def _day(day: date) -> str:
    return str(_DAY.apply(day, LOCALE))


@lru_cache(maxsize=2048)
def _time(clock: time) -> str:
    return str(_TIME.apply(clock, LOCALE))


THRESHOLD: Final = 1.1
MAX_SPANS: Final = 10_000
"""A few hundred keys cover every span up to years; the bound only guards memory."""
_SPANS: dict[tuple[str, int, bool], str] = {}


def _span_key(seconds: float) -> tuple[str, int, bool]:
    """What Babel's ``format_timedelta`` shows for ``seconds``: unit, rounded count, direction.

    It follows Babel's own choice of unit. Two spans with one key read the same, so a list of
    hundreds of deadlines formats each key once.
    """
    for unit, per_unit in TIMEDELTA_UNITS:
        value = abs(seconds) / per_unit
        if value >= THRESHOLD or unit == "second":
            if unit == "second" and value > 0:
                value = max(1, value)
            return unit, round(value), seconds < 0
    return "second", 0, seconds < 0  # pragma: no cover - the loop ends on seconds


def _span(seconds: float) -> str:
    """``in 3 days`` / ``overdue by 5 hours``."""
    key = _span_key(seconds)
    text = _SPANS.get(key)
    if text is None:
        if seconds < 0:
            ago = format_timedelta(timedelta(seconds=-seconds), threshold=THRESHOLD, locale=LOCALE)
            text = f"overdue by {ago}"
        else:
            delta = timedelta(seconds=seconds)
            text = format_timedelta(delta, threshold=THRESHOLD, add_direction=True, locale=LOCALE)
        if len(_SPANS) < MAX_SPANS:
            _SPANS[key] = text
    return text


BAND_WORDS: Final = {
    "normal": N_("On track"),
    "attention": N_("Attention"),
    "urgent": N_("Urgent"),
    "overdue": N_("Overdue"),
    "paused": N_("Clock stopped"),
    "answered": N_("Answered"),
    "undated": N_("No deadline yet"),
}
"""What each deadline band says in words (translated where shown, through ``_()``)."""


class Clockface:
    """Times as one reader sees them: in their zone, and relative to now."""

    def __init__(self, zone: str, now: datetime) -> None:
        self.zone = zone
        self.tz = ZoneInfo(zone)
        self.now = now

    def absolute(self, instant: datetime | None, zone: str | None = None) -> str:
        """``7 Mar 2026, 17:00 CET`` in the reader's zone (or ``zone``); "" for none."""
        if instant is None:
            return ""
        local = instant.astimezone(ZoneInfo(zone) if zone else self.tz)
        minute = local.time().replace(second=0, microsecond=0)
        return f"{_day(local.date())}, {_time(minute)} {local.tzname()}"

    def iso(self, instant: datetime | None) -> str:
        """The instant as ISO 8601 with its offset, for ``<time datetime>``."""
        return "" if instant is None else instant.astimezone(self.tz).isoformat(timespec="minutes")

    def relative(self, instant: datetime | None) -> str:
        """``in 3 days`` or ``overdue by 5 hours``; "" for none."""
        if instant is None:
            return ""
        return _span((instant - self.now).total_seconds())


def environment() -> Environment:
    """The pages' Jinja environment."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(NullTranslations(), newstyle=True)  # type: ignore[attr-defined]
    env.globals["band_words"] = BAND_WORDS
    env.globals["static_url"] = static_url
    env.globals["vendor_url"] = vendor_url
    return env


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    """The Litestar template configuration of the pages."""
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment()))
