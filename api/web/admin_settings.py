"""Administration: the settings Docket runs with, read only, area by area.

Each ``DOCKET_*`` variable is shown with the value in effect (its default when unset). A secret
(``Secret``) is shown only as "set" or "not set", and a password inside a URL (the database's,
say) is replaced by ``***``: what this page renders must be safe to paste into a ticket.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from enum import Enum
from typing import Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.response import Template

from api.guards import needs
from api.settings import Secret, Settings, WebSettings
from api.web.i18n import N_
from api.web.pages import page
from domain.identity.sessions import SessionUser
from domain.shared.clock import Clock
from domain.shared.permissions import Permission

HIDDEN: Final = "***"
AREAS: Final = {
    "storage": N_("Files and storage"),
    "database": N_("Database"),
    "server": N_("Server"),
    "auth": N_("Sign-in and tokens"),
    "web": N_("Web pages"),
    "audit": N_("Audit log"),
    "packages": N_("Response packages"),
    "holds": N_("Legal holds"),
    "reminders": N_("Reminders and alerts"),
    "mail": N_("Mail"),
    "webhooks": N_("Webhooks"),
}
_VARIABLE: Final = "docket.variable"  # the metadata key api.settings.setting() writes


@dataclass(frozen=True, slots=True)
class SettingRow:
    """One variable: its name, the value in effect as text, and how it was arrived at."""

    variable: str
    value: str
    secret: bool
    is_default: bool


def without_password(url: str) -> str:
    """``url`` with the password of its user part and of a ``password`` parameter hidden."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.split(':', 1)[0]}:{HIDDEN}@{host}"
    query = parts.query
    pairs = parse_qsl(query, keep_blank_values=True)
    if any("password" in k.lower() for k, _ in pairs):
        query = urlencode([(k, HIDDEN if "password" in k.lower() else v) for k, v in pairs])
    if (netloc, query) == (parts.netloc, parts.query):
        return url  # urlunsplit would turn sqlite:/// into sqlite:/
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def shown(value: object) -> str:
    """A setting's value as the page shows it (never a secret's)."""
    if isinstance(value, Secret):
        return N_("set") if value.value else N_("not set")
    if value is None:
        return ""
    if isinstance(value, bool):
        return N_("yes") if value else N_("no")
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, tuple):
        return ", ".join(shown(v) for v in value)
    text = str(value)  # a Path, a number, a text
    return without_password(text) if "://" in text else text


def settings_rows(settings: Settings) -> list[tuple[str, list[SettingRow]]]:
    """Every area's label and its variables, in the order ``Settings`` declares them."""
    areas = []
    for area in fields(settings):
        group = getattr(settings, area.name)
        rows = []
        for f in fields(group):
            value = getattr(group, f.name)
            default = f.default if f.default is not MISSING else None
            rows.append(
                SettingRow(
                    variable=str(f.metadata[_VARIABLE]),
                    value=shown(value),
                    secret=isinstance(value, Secret),
                    is_default=value == default,
                )
            )
        areas.append((AREAS.get(area.name, area.name), rows))
    return areas


class AdminSettingsController(Controller):
    """The settings, read only."""

    path = "/admin/settings"
    include_in_schema = False

    @get("/", opt=needs(Permission.SETTINGS_READ))
    async def show(
        self,
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        settings: NamedDependency[Settings],
    ) -> Template:
        """Each ``DOCKET_*`` variable and the value in effect; secrets only as set or not."""
        return await page(
            "admin_settings.html",
            viewer=viewer,
            clock=clock,
            default_zone=web_settings.time_zone,
            active="admin",
            tab="settings",
            areas=settings_rows(settings),
        )
