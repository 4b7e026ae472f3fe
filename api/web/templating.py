"""The web pages' Jinja environment: autoescaped, strict, every string through gettext.

Strings in templates are marked with ``_()`` / ``{% trans %}`` so that the pages can be
translated through Babel catalogs like the response packages and the mail, without touching the
templates. English is the only language so far, so the marked strings are shown as written.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, format_timedelta
from babel.support import NullTranslations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from api.static_assets import static_url, vendor_url

TEMPLATES: Final = Path(__file__).resolve().parent.parent / "templates" / "web"
LOCALE: Final = "en"


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
        tz = ZoneInfo(zone) if zone else self.tz
        return format_datetime(instant, "d MMM y, HH:mm zzz", tzinfo=tz, locale=LOCALE)

    def iso(self, instant: datetime | None) -> str:
        """The instant as ISO 8601 with its offset, for ``<time datetime>``."""
        return "" if instant is None else instant.astimezone(self.tz).isoformat(timespec="minutes")

    def relative(self, instant: datetime | None) -> str:
        """``in 3 days`` or ``overdue by 5 hours``; "" for none."""
        if instant is None:
            return ""
        delta = instant - self.now
        if delta < timedelta(0):
            ago = format_timedelta(-delta, threshold=1.1, locale=LOCALE)
            return f"overdue by {ago}"
        return format_timedelta(delta, threshold=1.1, add_direction=True, locale=LOCALE)


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
    env.globals["static_url"] = static_url
    env.globals["vendor_url"] = vendor_url
    return env


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    """The Litestar template configuration of the pages."""
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment()))
