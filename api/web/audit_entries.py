"""The audit log's entries, filtered by subject, actor, action and time, each with its proof.

Filters live in the query string; an unknown filter or a value it cannot take is reported on
the page, never ignored (as on the queue). The entries come through the same service as
``GET /api/v1/audit/entries``, which refuses a sealed request's trail to whoever may not read
that request; the page shows that refusal as the API does (403).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.response import Template

from api.errors import problem_for
from api.guards import needs
from api.query_params import SHORT_TEXT
from api.settings import WebSettings
from api.web.i18n import N_
from api.web.list_links import list_link
from api.web.pages import page, zone_of
from domain import audit_reading
from domain.audit_log import LogIdentity
from domain.audit_reading import EntryFilters
from domain.identity import users
from domain.identity.sessions import SessionUser
from domain.requests.errors import SealedRequestError
from domain.shared.clock import Clock
from domain.shared.permissions import Permission

FILTER_NAMES: Final = frozenset(
    {"subject_type", "subject_id", "actor", "action", "since", "until", "start", "back"}
)
PER_PAGE: Final = 100
MAX_BACK: Final = 50
"""How many earlier pages the "Previous" link can walk back through (then: "First entries")."""
ACTION: Final = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
SEALED: Final = N_("This request is sealed: its trail is shown only to those who may read it.")


@dataclass
class EntriesQuery:
    """The entries page's query string, read strictly: every problem named, by parameter."""

    values: dict[str, str]
    filters: EntryFilters = field(default_factory=EntryFilters)
    start: int = 0
    back: tuple[int, ...] = ()
    """Where the pages before this one started, the nearest last (the log is read forwards
    only, entry by entry through the filters, so the way back is remembered in the URL)."""
    errors: dict[str, str] = field(default_factory=dict)

    def next_link(self, next_start: int) -> str:
        """The page from ``next_start`` on, which can come back here."""
        back = (*self.back, self.start)[-MAX_BACK:]
        return link(self.values, start=str(next_start), back=",".join(map(str, back)))

    def previous_link(self) -> str | None:
        """The page before this one, when the URL remembers where it started."""
        if not self.back:
            return None
        *earlier, start = self.back
        return link(
            self.values,
            start=str(start) if start else None,
            back=",".join(map(str, earlier)) or None,
        )


def _day(name: str, raw: str, errors: dict[str, str]) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = f"{raw!r} is not a date (YYYY-MM-DD)"
        return None


def _indexes(raw: str, errors: dict[str, str]) -> tuple[int, ...]:
    parts = raw.split(",")
    if len(parts) > MAX_BACK or not all(p.isdigit() and len(p) <= 18 for p in parts):  # noqa: PLR2004 - BIGINT
        errors["back"] = f"{raw!r} is not a list of entry indexes"
        return ()
    return tuple(int(p) for p in parts)


def read_query(params: Mapping[str, str], *, zone: str) -> EntriesQuery:
    """The filters of an entries URL; days are read in ``zone``, ``until`` included."""
    values = {k: v.strip() for k, v in params.items() if v.strip()}
    errors = {k: f"{k!r} is not a filter of the audit log" for k in values if k not in FILTER_NAMES}
    errors |= {
        k: f"must be at most {SHORT_TEXT} characters"
        for k, v in values.items()
        if k in FILTER_NAMES and len(v) > SHORT_TEXT
    }
    get = values.get
    if get("subject_id") and not get("subject_type"):
        errors["subject_type"] = "give the subject's type as well as its id"
    action = get("action")
    if action and "action" not in errors and not ACTION.fullmatch(action):
        errors["action"] = f"{action!r} is not an action (noun.verb, as in request.created)"
    tz = ZoneInfo(zone)
    since_day = _day("since", get("since", ""), errors) if get("since") else None
    until_day = _day("until", get("until", ""), errors) if get("until") else None
    if since_day and until_day and until_day < since_day:
        errors["until"] = "must not be before the first day"
    start = 0
    if get("start"):
        if get("start", "").isdigit() and len(get("start", "")) <= 18:  # noqa: PLR2004 - BIGINT
            start = int(get("start", ""))
        else:
            errors["start"] = f"{get('start')!r} is not an entry index"
    back = _indexes(get("back", ""), errors) if get("back") else ()
    subject_type = get("subject_type")
    filters = EntryFilters(
        subject=(subject_type, get("subject_id", "")) if subject_type else None,
        actor_ref=get("actor"),
        action=action,
        since=datetime.combine(since_day, time(), tz) if since_day else None,
        until=datetime.combine(until_day + timedelta(days=1), time(), tz) if until_day else None,
    )
    return EntriesQuery(values=values, filters=filters, start=start, back=back, errors=errors)


def link(values: Mapping[str, str], **changes: str | None) -> str:
    """The entries URL with ``values`` changed (None drops a parameter)."""
    return list_link("/audit/entries", values, changes)


class AuditEntriesController(Controller):
    """The audit log's entries for auditors and admins."""

    path = "/audit/entries"
    include_in_schema = False

    @get("/", opt=needs(Permission.AUDIT_READ))
    async def entries(
        self,
        request: Request[object, object, State],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        audit_identity: NamedDependency[LogIdentity],
    ) -> Template:
        """Entries from ``start`` on that pass the filters, oldest first."""
        query = read_query(dict(request.query_params), zone=zone_of(viewer, web_settings.time_zone))
        checkpoint = await audit_reading.signed_checkpoint(
            audit_identity.signer, audit_identity.origin, actor=viewer.actor, now=clock.now()
        )
        found, status = None, 422 if query.errors else 200
        if not query.errors:
            try:
                found = await audit_reading.search_entries(
                    query.filters, start=query.start, limit=PER_PAGE, actor=viewer.actor
                )
            except SealedRequestError as exc:
                problem = problem_for(exc)
                status = problem.status if problem else 403
                query.errors["subject_id"] = SEALED
        people = await users.colleagues(actor=viewer.actor)
        return await page(
            "audit_entries.html",
            viewer=viewer,
            clock=clock,
            default_zone=web_settings.time_zone,
            active="audit",
            status_code=status,
            query=query,
            found=found,
            checkpoint=checkpoint,
            names={f"user:{p.id}": p.display_name for p in people},
            people=people,
            link=link,
        )
