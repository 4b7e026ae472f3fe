"""The queue: open requests, soonest binding deadline first, with tabs, filters and paging.

Filters live in the query string so a view can be bookmarked and shared; a filter that is
unknown or has a value it cannot take is reported on the page, never ignored. The rows come
from the same list query as ``GET /api/v1/requests``; the tab counts come in a second request
(htmx), so that the list itself is served as fast as the JSON list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Annotated, Final, TypeVar
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from api.guards import needs
from api.query_params import SHORT_TEXT
from api.settings import WebSettings
from api.web.i18n import N_
from api.web.list_links import list_link
from api.web.pages import page, zone_of
from api.web.queue_rows import outline_row_of, row_of, rows_html
from api.web.templating import Clockface
from domain.identity import users
from domain.identity.sessions import SessionUser
from domain.requests import authorities, queries
from domain.requests import service as requests
from domain.requests.model import Instrument, RequestKind
from domain.requests.repo import RequestFilters
from domain.requests.sealing import SealedOutline
from domain.requests.workflow import RequestState
from domain.shared.clock import Clock
from domain.shared.errors import DocketError, StaleVersionError
from domain.shared.model import Role
from domain.shared.permissions import Permission

PAGE_SIZES: Final = (50, 100, 200)


class Tab(StrEnum):
    """The queue's tabs: each a preset of filters."""

    MINE = "mine"
    OPEN = "open"
    UNASSIGNED = "unassigned"
    WEEK = "week"
    OVERDUE = "overdue"
    CLARIFICATION = "clarification"


TAB_LABELS: Final = {
    Tab.MINE: N_("Mine"),
    Tab.OPEN: N_("All open"),
    Tab.UNASSIGNED: N_("Unassigned"),
    Tab.WEEK: N_("Due this week"),
    Tab.OVERDUE: N_("Overdue"),
    Tab.CLARIFICATION: N_("Awaiting clarification"),
}
FILTER_NAMES: Final = frozenset(
    {
        "tab",
        "state",
        "jurisdiction",
        "authority",
        "assignee",
        "kind",
        "instrument",
        "overdue",
        "due_within",
        "q",
        "after",
        "before",
        "done",
        "per_page",
    }
)


@dataclass
class QueueQuery:
    """The queue's query string, read strictly: every problem named, by parameter."""

    tab: Tab
    base: RequestFilters
    """The filters of the form, before the tab's own."""
    filters: RequestFilters
    """What the list shows: the form's filters and the tab's."""
    values: dict[str, str]
    """The filters as given (to fill the form and build links)."""
    errors: dict[str, str] = field(default_factory=dict)
    after: str | None = None
    before: str | None = None
    per_page: int = PAGE_SIZES[0]

    @property
    def narrowed(self) -> bool:
        """Whether the form's filters (beyond the tab and search) narrow the list, or are wrong."""
        plain = {"tab", "q", "after", "before", "done", "per_page"}
        return bool(self.errors) or bool(set(self.values) - plain)


E = TypeVar("E", bound=StrEnum)


def _enum(kind: type[E], name: str, raw: str, errors: dict[str, str]) -> E | None:
    try:
        return kind(raw)
    except ValueError:
        choices = ", ".join(k.value for k in kind)
        errors[name] = f"{raw!r} is not one of: {choices}"
        return None


def _uuid(name: str, raw: str, errors: dict[str, str]) -> UUID | None:
    try:
        return UUID(raw)
    except ValueError:
        errors[name] = f"{raw!r} is not an id"
        return None


def _days(raw: str, errors: dict[str, str]) -> int | None:
    if raw.isdigit() and int(raw) <= 3660:  # noqa: PLR2004 - ten years, as the API allows
        return int(raw)
    errors["due_within"] = f"{raw!r} is not a number of days (0 to 3660)"
    return None


def read_query(params: Mapping[str, str], *, viewer: SessionUser) -> QueueQuery:
    """The tab and filters of a queue URL; unknown names and bad values become errors."""
    values = {k: v.strip() for k, v in params.items() if v.strip()}
    errors = {k: f"{k!r} is not a filter of the queue" for k in values if k not in FILTER_NAMES}
    default = Tab.MINE if viewer.user.role is Role.SPECIALIST else Tab.OPEN
    tab = _enum(Tab, "tab", values["tab"], errors) if "tab" in values else default
    get = values.get
    filters = RequestFilters(
        open_only=True,
        state=_enum(RequestState, "state", get("state", ""), errors) if get("state") else None,
        jurisdiction=get("jurisdiction", "").upper() or None,
        authority_id=_uuid("authority", get("authority", ""), errors) if get("authority") else None,
        assignee=_uuid("assignee", get("assignee", ""), errors) if get("assignee") else None,
        kind=_enum(RequestKind, "kind", get("kind", ""), errors) if get("kind") else None,
        instrument=(
            _enum(Instrument, "instrument", get("instrument", ""), errors)
            if get("instrument")
            else None
        ),
        overdue=get("overdue") in {"on", "true", "1"},
        due_within_days=_days(get("due_within", ""), errors) if get("due_within") else None,
        q=get("q"),
    )
    if len(get("q", "")) > SHORT_TEXT:
        errors["q"] = f"must be at most {SHORT_TEXT} characters"
    per_page = PAGE_SIZES[0]
    if get("per_page"):
        if get("per_page", "") in {str(n) for n in PAGE_SIZES}:
            per_page = int(get("per_page", ""))
        else:
            errors["per_page"] = f"must be one of {', '.join(map(str, PAGE_SIZES))}"
    return QueueQuery(
        tab=tab or default,
        base=filters,
        filters=with_tab(filters, tab or default, viewer),
        values=values,
        errors=errors,
        after=get("after"),
        before=get("before"),
        per_page=per_page,
    )


def with_tab(
    filters: RequestFilters, tab: Tab, viewer: NamedDependency[SessionUser]
) -> RequestFilters:
    """``filters`` narrowed to what ``tab`` shows."""
    if tab is Tab.MINE:
        return replace(filters, assignee=viewer.user.id)
    if tab is Tab.UNASSIGNED:
        return replace(filters, unassigned=True)
    if tab is Tab.WEEK:
        return replace(filters, due_within_days=7)
    if tab is Tab.OVERDUE:
        return replace(filters, overdue=True)
    if tab is Tab.CLARIFICATION:
        return replace(filters, state=RequestState.AWAITING_CLARIFICATION)
    return filters


def link(values: Mapping[str, str], **changes: str | None) -> str:
    """The queue URL with ``values`` changed (None drops a parameter; paging always resets)."""
    return list_link("/queue", values, changes, resets=("after", "before", "done"))


class QueueController(Controller):
    """The specialist's queue."""

    path = "/queue"
    include_in_schema = False

    @get("/", opt=needs(Permission.REQUESTS_READ))
    async def queue(
        self,
        request: Request[object, object, State],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Template:
        """The queue page (htmx swaps only its results when the filters change)."""
        query = read_query(dict(request.query_params), viewer=viewer)
        now = clock.now()
        result = None
        if not query.errors:
            result = await queries.list_requests(
                query.filters,
                actor=viewer.actor,
                now=now,
                limit=query.per_page,
                cursor=query.after,
                before=query.before,
            )
        names = {a.id: a.name for a in await authorities.list_authorities(actor=viewer.actor)}
        people = await users.colleagues(actor=viewer.actor)
        who: dict[UUID | None, str] = {p.id: p.display_name for p in people}
        face = Clockface(zone_of(viewer, web_settings.time_zone), now)
        rows = [
            outline_row_of(r, face)
            if isinstance(r, SealedOutline)
            else row_of(
                r, face, authority=names.get(r.authority_id, ""), assignee=who.get(r.assignee, "")
            )
            for r in (result.items if result else [])
        ]
        return await page(
            "queue.html",
            viewer=viewer,
            clock=clock,
            default_zone=web_settings.time_zone,
            active="queue",
            status_code=422 if query.errors else 200,
            query=query,
            rows=rows,
            result=result,
            tabs=TAB_LABELS,
            link=link,
            authorities=sorted(names.items(), key=lambda item: item[1].casefold()),
            people=[p for p in people if p.active],
            states=list(RequestState),
            kinds=list(RequestKind),
            instruments=list(Instrument),
            done=_done_message(query.values.get("done", "")),
            rows_html=rows_html,
        )

    @get("/tabs", opt=needs(Permission.REQUESTS_READ))
    async def tabs(
        self,
        request: Request[object, object, State],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
    ) -> Template:
        """The tabs with how many requests each holds, under the current filters."""
        query = read_query(dict(request.query_params), viewer=viewer)
        counts: dict[Tab, int] = {}
        if not query.errors:
            for tab in Tab:
                counts[tab] = await queries.count_requests(
                    with_tab(query.base, tab, viewer), actor=viewer.actor, now=clock.now()
                )
        return Template(
            template_name="queue_tabs.html",
            context={"query": query, "tabs": TAB_LABELS, "counts": counts, "link": link},
        )

    @post("/assign", opt=needs(Permission.REQUESTS_WRITE), status_code=HTTP_303_SEE_OTHER)
    async def assign(
        self,
        request: Request[object, object, State],
        data: Annotated[
            dict[str, str | list[str]], Body(media_type=RequestEncodingType.URL_ENCODED)
        ],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
    ) -> Redirect:
        """Assign the selected requests to one person, all or none."""
        selected = data.get("ids", [])
        ids = [selected] if isinstance(selected, str) else list(selected)
        back = str(data.get("back", "/queue"))
        back = back if back.startswith("/queue") else "/queue"
        raw_assignee = str(data.get("assignee", ""))
        try:
            # each ticked box says "id:version": the version the reader saw, for the stale check
            versions = {UUID(i.partition(":")[0]): int(i.partition(":")[2]) for i in ids}
            assignee = UUID(raw_assignee) if raw_assignee else None
        except ValueError:
            return Redirect(path=_with_done(back, "invalid"), status_code=HTTP_303_SEE_OTHER)
        if not versions:
            return Redirect(path=_with_done(back, "none"), status_code=HTTP_303_SEE_OTHER)
        try:
            done = await requests.assign_many(
                versions, assignee=assignee, actor=viewer.actor, now=clock.now()
            )
        except StaleVersionError:
            return Redirect(path=_with_done(back, "stale"), status_code=HTTP_303_SEE_OTHER)
        except DocketError:
            return Redirect(path=_with_done(back, "refused"), status_code=HTTP_303_SEE_OTHER)
        return Redirect(
            path=_with_done(back, f"assigned-{len(done)}"), status_code=HTTP_303_SEE_OTHER
        )


def _with_done(back: str, outcome: str) -> str:
    return back + ("&" if "?" in back else "?") + urlencode({"done": outcome})


def _done_message(outcome: str) -> tuple[str, str, int] | None:
    """What the last bulk assignment did, as (kind, sentence, count).

    A success has no sentence: the page words it from the count, in the plural its language needs.
    """
    if outcome.startswith("assigned-") and outcome.removeprefix("assigned-").isdigit():
        return "success", "", int(outcome.removeprefix("assigned-"))
    refused = {
        "stale": N_(
            "Nothing was assigned: a selected request changed since the queue "
            "was loaded. Reload the queue and try again."
        ),
        "none": N_("Nothing was assigned: select at least one request."),
        "invalid": N_("Nothing was assigned: the form was not complete."),
        "refused": N_("Nothing was assigned: that person cannot take requests."),
    }.get(outcome)
    return None if refused is None else ("error", refused, 0)
