"""The holds list: every legal hold, newest first, with how far its custodians acknowledged.

Filters live in the query string (the API's: state, matter, custodian e-mail), so a view can be
bookmarked and shared; a filter that is unknown or has a value it cannot take is reported on the
page, never ignored. The rows come from the same list query as ``GET /api/v1/holds``, a keyset
page at a time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.response import Template

from api.guards import needs
from api.query_params import SHORT_TEXT
from api.settings import WebSettings
from api.web.list_links import list_link
from api.web.pages import page
from domain.holds import queries as hold_queries
from domain.holds.model import HoldState, ack_progress
from domain.identity.sessions import SessionUser
from domain.shared.clock import Clock
from domain.shared.errors import ValidationError
from domain.shared.permissions import Permission

PAGE_SIZE: Final = 50
FILTER_NAMES: Final = frozenset({"state", "matter", "custodian", "q", "after", "before"})
PAGING: Final = ("after", "before")


@dataclass
class HoldsQuery:
    """The list's query string, read strictly: every problem named, by parameter."""

    values: dict[str, str]
    state: HoldState | None = None
    errors: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str:
        """The value of filter ``name`` as given ("" when absent)."""
        return self.values.get(name, "")

    @property
    def narrowed(self) -> bool:
        """Whether a filter narrows the list (or is wrong)."""
        return bool(self.errors) or bool(set(self.values) - set(PAGING))


def read_query(params: Mapping[str, str]) -> HoldsQuery:
    """The filters of a holds-list URL; unknown names and bad values become errors."""
    values = {k: v.strip() for k, v in params.items() if v.strip()}
    query = HoldsQuery(values)
    for name in values:
        if name not in FILTER_NAMES:
            query.errors[name] = f"{name!r} is not a filter of the holds list"
    if "state" in values:
        try:
            query.state = HoldState(values["state"])
        except ValueError:
            choices = ", ".join(s.value for s in HoldState)
            query.errors["state"] = f"{values['state']!r} is not one of: {choices}"
    for name in ("matter", "custodian", "q"):
        if len(values.get(name, "")) > SHORT_TEXT:
            query.errors[name] = f"must be at most {SHORT_TEXT} characters"
    return query


def link(values: Mapping[str, str], **changes: str | None) -> str:
    """The list's URL with ``values`` changed (None drops a parameter; paging resets)."""
    return list_link("/holds", values, changes, resets=PAGING)


class HoldsListController(Controller):
    """The legal holds, for those who may read them."""

    path = "/holds"
    include_in_schema = False

    @get("/", opt=needs(Permission.HOLDS_READ))
    async def holds(
        self,
        request: Request[object, object, State],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Template:
        """The holds list page."""
        query = read_query(dict(request.query_params))
        result = None
        if not query.errors:
            try:
                result = await hold_queries.list_holds(
                    actor=viewer.actor,
                    state=query.state,
                    matter=query.get("matter") or None,
                    custodian=query.get("custodian") or None,
                    q=query.get("q") or None,
                    limit=PAGE_SIZE,
                    cursor=query.get("after") or None,
                    before=query.get("before") or None,
                )
            except ValidationError as exc:
                # a cursor this list did not hand out, or a custodian that is not an address
                paging = "before" if query.get("before") else "after"
                name = paging if exc.field == "cursor" else exc.field
                query.errors[name if name in FILTER_NAMES else "custodian"] = exc.message
        rows = [] if result is None else [(h, ack_progress(h)) for h in result.items]
        return await page(
            "holds.html",
            viewer=viewer,
            clock=clock,
            default_zone=web_settings.time_zone,
            active="holds",
            status_code=422 if query.errors else 200,
            query=query,
            result=result,
            rows=rows,
            states=list(HoldState),
            link=link,
        )
