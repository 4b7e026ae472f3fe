"""Administration: the authorities directory (search, correct an authority, merge duplicates).

A correction goes through the same service as ``PUT /api/v1/authorities/{id}`` and a merge
through the same as ``POST /api/v1/authorities/{id}/merge``, each one audit entry. Before a
merge the page shows what it will move (the requests of the duplicate, by reference) and asks
for confirmation naming both authorities; nothing changes until that form is sent.
"""

from __future__ import annotations

from typing import Annotated, Any, Final
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from api.errors import problem_for
from api.guards import needs
from api.settings import WebSettings
from api.web.admin_users import recorded_entry
from api.web.i18n import N_
from api.web.pages import page
from domain.identity.sessions import SessionUser
from domain.requests import authorities, authority_changes
from domain.requests.authorities import NewAuthority
from domain.requests.model import Authority, AuthorityType
from domain.shared.clock import Clock
from domain.shared.errors import DocketError, ValidationError
from domain.shared.permissions import Permission

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
MANAGE = needs(Permission.AUTHORITIES_MERGE)
FIELDS: Final = ("name", "country", "type", "contact")
MAX_SEARCH: Final = 200
DONE: Final = {
    "updated": (N_("Saved the changes to %(name)s."), "authority.updated"),
    "merged": (N_("Merged the duplicate into %(name)s."), "authority.merged"),
}


def _status(exc: DocketError) -> int:
    problem = problem_for(exc)
    return problem.status if problem else 422


def _uuid_or_none(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


class AdminAuthoritiesController(Controller):
    """Administration of the authorities directory."""

    path = "/admin/authorities"
    include_in_schema = False

    @get("/", opt=MANAGE)
    async def list_authorities(
        self,
        request: Request[object, object, State],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Template:
        """The directory, searched by name or country code as the request form's search is."""
        q = request.query_params.get("q", "").strip()
        errors = {
            k: f"{k!r} is not a parameter of the authorities list"
            for k in request.query_params
            if k != "q"
        }
        if len(q) > MAX_SEARCH:
            errors["q"] = f"the search is longer than {MAX_SEARCH} characters"
            q = ""
        found = await authorities.search_authorities(q, actor=viewer.actor)
        return await page(
            "admin_authorities.html",
            viewer=viewer,
            clock=clock,
            default_zone=web_settings.time_zone,
            active="admin",
            status_code=422 if errors else 200,
            tab="authorities",
            found=found,
            q=q,
            errors=errors,
        )

    async def _authority_page(
        self,
        authority: Authority,
        viewer: SessionUser,
        clock: Clock,
        web_settings: WebSettings,
        *,
        status_code: int = 200,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        done: tuple[str, str, int | None] | None = None,
    ) -> Template:
        everyone = await authorities.list_authorities(actor=viewer.actor)
        # the likeliest duplicates (same country) first, then the rest of the directory
        others = sorted(
            (a for a in everyone if a.id != authority.id),
            key=lambda a: (a.country != authority.country, a.country, a.name.casefold()),
        )
        shown = values or {
            "name": authority.name,
            "country": authority.country,
            "type": authority.type.value,
            "contact": authority.contact,
            "verified": "on" if authority.verified else "",
        }
        return await page(
            "admin_authority.html",
            viewer=viewer,
            clock=clock,
            default_zone=web_settings.time_zone,
            active="admin",
            status_code=status_code,
            tab="authorities",
            authority=authority,
            others=others,
            types=list(AuthorityType),
            values=shown,
            errors=errors or {},
            done=done,
        )

    @get("/{authority_id:uuid}", opt=MANAGE)
    async def show(
        self,
        request: Request[object, object, State],
        authority_id: FromPath[UUID],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Template:
        """One authority: the form to correct it, and the choice of the one to merge it into."""
        authority = await authorities.get_authority(authority_id, actor=viewer.actor)
        done = None
        outcome = request.query_params.get("done", "")
        subject = _uuid_or_none(request.query_params.get("from", "")) or authority_id
        if outcome in DONE:
            message, action = DONE[outcome]
            entry = await recorded_entry(("authority", str(subject)), action, viewer.actor)
            done = (message, authority.name, entry)
        return await self._authority_page(authority, viewer, clock, web_settings, done=done)

    @post("/{authority_id:uuid}", opt=MANAGE, status_code=HTTP_303_SEE_OTHER)
    async def update(
        self,
        authority_id: FromPath[UUID],
        data: Annotated[dict[str, str], FORM],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Response[Any]:
        """Correct the authority's fields."""
        authority = await authorities.get_authority(authority_id, actor=viewer.actor)
        values = {k: data.get(k, "") for k in FIELDS}
        values["verified"] = "on" if data.get("verified") else ""
        try:
            kind = AuthorityType(values["type"])
        except ValueError:
            errors = {"type": "choose one of the types"}
            return await self._authority_page(
                authority,
                viewer,
                clock,
                web_settings,
                status_code=422,
                errors=errors,
                values=values,
            )
        changed = NewAuthority(
            name=values["name"],
            country=values["country"],
            type=kind,
            contact=values["contact"],
            verified=bool(values["verified"]),
        )
        try:
            await authority_changes.update_authority(
                authority_id, changed, actor=viewer.actor, now=clock.now()
            )
        except DocketError as exc:
            field = exc.field if isinstance(exc, ValidationError) else "name"
            message = exc.message if isinstance(exc, ValidationError) else str(exc)
            return await self._authority_page(
                authority,
                viewer,
                clock,
                web_settings,
                status_code=_status(exc),
                errors={field: message},
                values=values,
            )
        return Redirect(
            path=f"/admin/authorities/{authority_id}?done=updated", status_code=HTTP_303_SEE_OTHER
        )

    @get("/{authority_id:uuid}/merge", opt=MANAGE)
    async def confirm_merge(
        self,
        request: Request[object, object, State],
        authority_id: FromPath[UUID],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Template:
        """What merging this duplicate into the chosen authority would move, to confirm."""
        duplicate = await authorities.get_authority(authority_id, actor=viewer.actor)
        kept_id = _uuid_or_none(request.query_params.get("kept_id", ""))
        if kept_id is None:
            errors = {"kept_id": "choose the authority to keep"}
            return await self._authority_page(
                duplicate, viewer, clock, web_settings, status_code=422, errors=errors
            )
        try:
            plan = await authority_changes.plan_merge(authority_id, kept_id, actor=viewer.actor)
        except DocketError as exc:
            message = exc.message if isinstance(exc, ValidationError) else str(exc)
            return await self._authority_page(
                duplicate,
                viewer,
                clock,
                web_settings,
                status_code=_status(exc),
                errors={"kept_id": message},
            )
        return await page(
            "admin_authority_merge.html",
            viewer=viewer,
            clock=clock,
            default_zone=web_settings.time_zone,
            active="admin",
            tab="authorities",
            plan=plan,
        )

    @post("/{authority_id:uuid}/merge", opt=MANAGE, status_code=HTTP_303_SEE_OTHER)
    async def merge(
        self,
        authority_id: FromPath[UUID],
        data: Annotated[dict[str, str], FORM],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Response[Any]:
        """Merge this duplicate into the authority kept: its requests move, it is removed."""
        duplicate = await authorities.get_authority(authority_id, actor=viewer.actor)
        kept_id = _uuid_or_none(data.get("kept_id", ""))
        if kept_id is None:
            errors = {"kept_id": "choose the authority to keep"}
            return await self._authority_page(
                duplicate, viewer, clock, web_settings, status_code=422, errors=errors
            )
        try:
            merged = await authority_changes.merge_authorities(
                authority_id, kept_id, actor=viewer.actor, now=clock.now()
            )
        except DocketError as exc:
            message = exc.message if isinstance(exc, ValidationError) else str(exc)
            return await self._authority_page(
                duplicate,
                viewer,
                clock,
                web_settings,
                status_code=_status(exc),
                errors={"kept_id": message},
            )
        query = urlencode({"done": "merged", "from": str(authority_id)})
        return Redirect(
            path=f"/admin/authorities/{merged.kept.id}?{query}", status_code=HTTP_303_SEE_OTHER
        )
