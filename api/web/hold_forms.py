"""Draft a hold, change the draft, issue it: plain forms, the API's services and permissions.

Each form posts to the same service as ``POST /api/v1/holds`` and its issue step.

On success the browser is sent to the hold's page naming the audit entry written (``?entry=``);
a refusal shows the form again with each problem beside its field (and a summary at the top).
Issuing cannot be undone, so it is asked on a page of its own that names the hold.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from api.guards import needs
from api.settings import WebSettings
from api.web.hold_form import FormData, HoldForm, checked, form_of, read_form
from api.web.pages import page
from api.web.request_forms import FORM, PASS_THROUGH, read_version
from api.web.request_page import error_text, status_of
from domain.holds import queries as hold_queries
from domain.holds import service as holds
from domain.holds.history import hold_history
from domain.holds.model import HoldState
from domain.holds.notice_plan import HoldPolicy
from domain.holds.updates import update_draft
from domain.holds.workflow import HoldAction
from domain.identity.sessions import SessionUser
from domain.shared.clock import Clock
from domain.shared.errors import DocketError, StaleVersionError, ValidationError
from domain.shared.model import AuditAction
from domain.shared.permissions import Permission


async def back_to_hold(hold_id: UUID, viewer: SessionUser, action: AuditAction) -> Redirect:
    """Redirect-after-POST to the hold's page, naming the last entry of ``action`` about it."""
    found = [e for e in await hold_history(hold_id, actor=viewer.actor) if e.action == action]
    query = urlencode({"entry": found[-1].index}) if found else ""
    return Redirect(
        path=f"/holds/{hold_id}" + (f"?{query}" if query else ""), status_code=HTTP_303_SEE_OTHER
    )


def _refused(form: HoldForm, exc: DocketError) -> int:
    """Put a refusal beside its field (a stale draft at the top); the status the API answers."""
    if isinstance(exc, StaleVersionError):
        form.fail(
            "version",
            f"the draft changed after you opened it (you had version {exc.expected}, "
            f"it is now at {exc.actual}); nothing was saved: reload it and make your change again",
        )
    elif isinstance(exc, ValidationError):
        form.fail(exc.field, exc.message)
    else:
        form.fail("matter", error_text(exc))
    return status_of(exc)


async def _issue_page(
    hold_id: UUID,
    *,
    viewer: SessionUser,
    clock: Clock,
    web_settings: WebSettings,
    error: str = "",
    status_code: int = 200,
) -> Template:
    """The page that asks before issuing (or says why the hold cannot be issued)."""
    hold = await hold_queries.get_hold(hold_id, actor=viewer.actor)
    offered = HoldAction.ISSUE in hold_queries.available_actions(hold, viewer.user.role)
    return await page(
        "hold_issue.html",
        viewer=viewer,
        clock=clock,
        default_zone=web_settings.time_zone,
        active="holds",
        status_code=status_code if offered else 409,
        hold=hold,
        offered=offered,
        error=error,
    )


class HoldFormController(Controller):
    """Draft, edit and issue legal holds from the pages."""

    path = "/holds"
    include_in_schema = False

    async def _form_page(
        self,
        form: HoldForm,
        *,
        hold_id: UUID | None,
        viewer: SessionUser,
        clock: Clock,
        web_settings: WebSettings,
        status_code: int = 200,
    ) -> Template:
        return await page(
            "hold_form.html",
            viewer=viewer,
            clock=clock,
            default_zone=web_settings.time_zone,
            active="holds",
            status_code=status_code,
            form=form,
            hold_id=hold_id,
        )

    @get("/new", opt=needs(Permission.HOLDS_MANAGE))
    async def new(
        self,
        *,
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        preservation_request_id: FromQuery[str] = "",
    ) -> Template:
        """The empty form (with a preservation request when the link names one)."""
        form = read_form({"preservation_request_id": preservation_request_id})
        return await self._form_page(
            form, hold_id=None, viewer=viewer, clock=clock, web_settings=web_settings
        )

    @post("/new", opt=needs(Permission.HOLDS_MANAGE), status_code=HTTP_303_SEE_OTHER)
    async def create(
        self,
        *,
        data: Annotated[dict[str, str | list[str]], FORM],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Response[Any]:
        """Draft the hold; it preserves nothing until it is issued."""
        return await self._save(data, None, viewer=viewer, clock=clock, web_settings=web_settings)

    @get("/{hold_id:uuid}/edit", opt=needs(Permission.HOLDS_MANAGE))
    async def edit(
        self,
        *,
        hold_id: FromPath[UUID],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Template:
        """The draft in the form, to change it."""
        hold = await hold_queries.get_hold(hold_id, actor=viewer.actor)
        form = form_of(hold)
        status = 200
        if hold.state is not HoldState.DRAFT:
            form.fail("matter", "only a draft can be changed; this hold was issued already")
            status = 409
        return await self._form_page(
            form,
            hold_id=hold_id,
            viewer=viewer,
            clock=clock,
            web_settings=web_settings,
            status_code=status,
        )

    @post("/{hold_id:uuid}/edit", opt=needs(Permission.HOLDS_MANAGE), status_code=303)
    async def update(
        self,
        *,
        hold_id: FromPath[UUID],
        data: Annotated[dict[str, str | list[str]], FORM],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Response[Any]:
        """Save the changed draft."""
        return await self._save(
            data, hold_id, viewer=viewer, clock=clock, web_settings=web_settings
        )

    async def _save(
        self,
        data: FormData,
        hold_id: UUID | None,
        *,
        viewer: SessionUser,
        clock: Clock,
        web_settings: WebSettings,
    ) -> Response[Any]:
        form = read_form(data)
        new = None if data.get("more_rows") else checked(form)
        status = 200 if data.get("more_rows") else 422
        if new is not None:
            try:
                if hold_id is None:
                    made = await holds.create_hold(new, actor=viewer.actor, now=clock.now())
                    return await back_to_hold(made.id, viewer, AuditAction.HOLD_CREATED)
                await update_draft(
                    hold_id,
                    new,
                    expected_version=read_version(form.get("version")),
                    actor=viewer.actor,
                    now=clock.now(),
                )
                return await back_to_hold(hold_id, viewer, AuditAction.HOLD_DRAFT_UPDATED)
            except PASS_THROUGH:
                raise
            except DocketError as exc:
                status = _refused(form, exc)
        return await self._form_page(
            form,
            hold_id=hold_id,
            viewer=viewer,
            clock=clock,
            web_settings=web_settings,
            status_code=status,
        )

    @get("/{hold_id:uuid}/issue", opt=needs(Permission.HOLDS_MANAGE))
    async def confirm_issue(
        self,
        *,
        hold_id: FromPath[UUID],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
    ) -> Template:
        """Asks before issuing, naming the hold and whom its notices go to."""
        return await _issue_page(hold_id, viewer=viewer, clock=clock, web_settings=web_settings)

    @post("/{hold_id:uuid}/issue", opt=needs(Permission.HOLDS_MANAGE), status_code=303)
    async def issue(
        self,
        *,
        hold_id: FromPath[UUID],
        data: Annotated[dict[str, str], FORM],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        hold_policy: NamedDependency[HoldPolicy],
    ) -> Response[Any]:
        """Issue the draft, once confirmed: it preserves from now on; the notices are queued."""
        if data.get("confirmed") != "yes":
            return Redirect(path=f"/holds/{hold_id}/issue", status_code=HTTP_303_SEE_OTHER)
        try:
            await holds.issue_hold(
                hold_id,
                expected_version=read_version(data.get("version", "")),
                actor=viewer.actor,
                now=clock.now(),
                policy=hold_policy,
            )
        except PASS_THROUGH:
            raise
        except DocketError as exc:
            return await _issue_page(
                hold_id,
                viewer=viewer,
                clock=clock,
                web_settings=web_settings,
                error=error_text(exc),
                status_code=status_of(exc),
            )
        return await back_to_hold(hold_id, viewer, AuditAction.HOLD_ISSUED)
