"""The request page's changes to the request: steps, extension, assignee, reminder offsets.

Each form posts the version of the request the page showed and calls the same service as the
API under the same permission. On success it redirects to the page with the audit entry that
recorded the change (``?entry=``); a stale version shows who changed what since; any other
refusal is shown beside the control that caused it. Consequential steps ask again first: on a
page of their own without JavaScript, in a dialog with it.
"""

from __future__ import annotations

import re
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
from api.web import request_view as view
from api.web.pages import page
from api.web.request_forms import (
    FORM,
    AssignForm,
    ExtensionForm,
    RemindersForm,
    StepForm,
    read_action,
    read_date,
    read_uuid,
    read_version,
    recorded,
)
from api.web.request_page import changed_or_refused, stale_edit
from domain import deadlines
from domain.identity.sessions import SessionUser
from domain.notifications import reminder_settings
from domain.requests import queries
from domain.requests import service as requests
from domain.requests.trail import request_trail
from domain.shared import audit_trail
from domain.shared.clock import Clock
from domain.shared.permissions import Permission


class RequestStepController(Controller):
    """Workflow steps, extension, assignment and reminder offsets from the request page."""

    path = "/requests/{request_id:uuid}"
    include_in_schema = False

    @get("/actions/{action:str}/confirm", opt=needs(Permission.REQUESTS_WRITE))
    async def confirm(
        self,
        *,
        request_id: FromPath[UUID],
        action: FromPath[str],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        rulebook: NamedDependency[deadlines.RuleBook],
        version: FromQuery[int | None] = None,
    ) -> Template:
        """The page that asks again before a consequential step, naming the request."""
        step = read_action(action)
        reg = await queries.get_request(request_id, actor=viewer.actor)
        shown = version if version is not None else reg.version
        stale = None
        if shown != reg.version:
            stale = await stale_edit(request_id, expected=shown, actual=reg.version, viewer=viewer)
        offered = step in queries.available_actions(rulebook, reg, viewer.user.role)
        return await page(
            "request_confirm.html",
            viewer=viewer,
            clock=clock,
            default_zone=web_settings.time_zone,
            active="queue",
            status_code=200 if offered else 409,
            reg=reg,
            step=view.steps_of([step])[0],
            offered=offered,
            version=shown,
            stale=stale,
            view=view,
        )

    @post("/actions/{action:str}", opt=needs(Permission.REQUESTS_WRITE), status_code=303)
    async def take_step(
        self,
        *,
        request_id: FromPath[UUID],
        action: FromPath[str],
        data: Annotated[StepForm, FORM],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        rulebook: NamedDependency[deadlines.RuleBook],
    ) -> Response[Any]:
        """Take a workflow step (a consequential one only once confirmed)."""
        step = read_action(action)
        values = {"note": data.note}
        if step in view.CONFIRMATIONS and data.confirmed != "yes":
            query = urlencode({"version": data.version})
            return Redirect(
                path=f"/requests/{request_id}/actions/{step.value}/confirm?{query}",
                status_code=HTTP_303_SEE_OTHER,
            )

        async def change() -> list[int]:
            changed = await requests.transition(
                rulebook,
                request_id,
                step,
                expected_version=read_version(data.version),
                note=data.note,
                actor=viewer.actor,
                now=clock.now(),
            )
            return await recorded(request_id, viewer, changed.version)

        return await changed_or_refused(
            request_id,
            change,
            key=f"action-{step.value}",
            values=values,
            viewer=viewer,
            clock=clock,
            web_settings=web_settings,
            rulebook=rulebook,
        )

    @post("/extension", opt=needs(Permission.REQUESTS_WRITE), status_code=303)
    async def take_extension(
        self,
        *,
        request_id: FromPath[UUID],
        data: Annotated[ExtensionForm, FORM],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        rulebook: NamedDependency[deadlines.RuleBook],
    ) -> Response[Any]:
        """Take the rule's extension, with its reason and the day the authority was told."""

        async def change() -> list[int]:
            changed = await requests.take_extension(
                rulebook,
                request_id,
                expected_version=read_version(data.version),
                reason=data.reason,
                notified_on=read_date("notified_on", data.notified_on),
                actor=viewer.actor,
                now=clock.now(),
            )
            return await recorded(request_id, viewer, changed.version)

        return await changed_or_refused(
            request_id,
            change,
            key="extension",
            values={"reason": data.reason, "notified_on": data.notified_on},
            viewer=viewer,
            clock=clock,
            web_settings=web_settings,
            rulebook=rulebook,
        )

    @post("/assign", opt=needs(Permission.REQUESTS_WRITE), status_code=303)
    async def assign(
        self,
        *,
        request_id: FromPath[UUID],
        data: Annotated[AssignForm, FORM],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        rulebook: NamedDependency[deadlines.RuleBook],
    ) -> Response[Any]:
        """Give the request to someone (or to nobody)."""

        async def change() -> list[int]:
            changed = await requests.assign(
                request_id,
                expected_version=read_version(data.version),
                assignee=read_uuid("assignee", data.assignee),
                actor=viewer.actor,
                now=clock.now(),
            )
            return await recorded(request_id, viewer, changed.version)

        return await changed_or_refused(
            request_id,
            change,
            key="assignee",
            values={"assignee": data.assignee},
            viewer=viewer,
            clock=clock,
            web_settings=web_settings,
            rulebook=rulebook,
        )

    @post("/reminders", opt=needs(Permission.REQUESTS_WRITE), status_code=303)
    async def set_reminders(
        self,
        *,
        request_id: FromPath[UUID],
        data: Annotated[RemindersForm, FORM],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        rulebook: NamedDependency[deadlines.RuleBook],
    ) -> Response[Any]:
        """Give the request its own reminder offsets (none: no reminders before its deadlines)."""
        labels = [t for t in re.split(r"[\s,;]+", data.offsets) if t]

        async def change() -> list[int]:
            await reminder_settings.set_offsets(
                request_id, labels, actor=viewer.actor, now=clock.now()
            )
            mine = audit_trail.actor_ref(viewer.actor)
            trail = await request_trail(request_id, actor=viewer.actor)
            found = [
                e for e in trail if e.action == "request.reminders_set" and e.actor_ref == mine
            ]
            return [found[-1].index] if found else []

        return await changed_or_refused(
            request_id,
            change,
            key="offsets",
            values={"offsets": data.offsets},
            viewer=viewer,
            clock=clock,
            web_settings=web_settings,
            rulebook=rulebook,
        )
