"""The "Log a request" page: a form that shows the deadline before saving, then logs the request.

The form is plain HTML and works without JavaScript: its buttons post it back (find an
authority, add one, more rows, preview the deadline) and the page comes back with everything
typed kept. htmx only improves it, through fragments: authorities found as one types, the rules
of the chosen jurisdiction, an authority added in place, the deadline preview. htmx swaps only
2xx answers, so a fragment answers 200 with its problems inside; the page answers 422 when the
form is refused. Saving calls ``log_request``, like ``POST /api/v1/requests``; a preview calls
``preview_deadline``, like ``POST /api/v1/deadlines/preview``.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Final

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_200_OK, HTTP_303_SEE_OTHER

from api.guards import needs
from api.settings import WebSettings
from api.web import request_form
from api.web.log_request_choices import (
    authority_choices,
    chosen_rule,
    deadline_preview,
    rule_choices,
    zones,
)
from api.web.pages import page, zone_of
from api.web.request_form import RequestForm, blank_form, read_form
from api.web.request_labels import REPORT_FIELDS, in_form_order, label_of
from api.web.templating import Clockface
from domain import deadlines
from domain.deadlines import RuleBook, RuleNotFoundError
from domain.identity import users
from domain.identity.sessions import SessionUser
from domain.requests import authorities
from domain.requests import service as requests
from domain.requests.authorities import NewAuthority
from domain.requests.model import Authority, AuthorityType, RegulatoryRequest
from domain.shared.clock import Clock
from domain.shared.errors import ValidationError
from domain.shared.model import Actor
from domain.shared.permissions import Permission, has_permission

FormBody = Annotated[dict[str, str | list[str]], Body(media_type=RequestEncodingType.URL_ENCODED)]
MORE_ROWS: Final = 3


class Action(StrEnum):
    """What a button of the form asks for."""

    SAVE = "save"
    PREVIEW = "preview"
    FIND_AUTHORITY = "find_authority"
    ADD_AUTHORITY = "add_authority"
    MORE_ROWS = "more_rows"


def _action(raw: str) -> Action:
    """The button pressed; an unknown one previews, which saves nothing."""
    try:
        return Action(raw or Action.SAVE)
    except ValueError:
        return Action.PREVIEW


def _face(viewer: SessionUser, clock: Clock, web_settings: WebSettings) -> Clockface:
    return Clockface(zone_of(viewer, web_settings.time_zone), clock.now())


def _permissions(viewer: SessionUser) -> frozenset[str]:
    return frozenset(p.value for p in Permission if has_permission(viewer.user.role, p))


async def _log(
    form: RequestForm, book: RuleBook, actor: Actor, now: datetime
) -> RegulatoryRequest | None:
    """Log the request the form describes; None, with the problems noted by field, if refused."""
    rule = chosen_rule(form, book, actor)
    if rule is not None:
        request_form.keep_events_of(form, deadlines.clock_events(rule))
    new = request_form.new_request(form)
    if new is None or form.errors:
        return None
    try:
        return await requests.log_request(book, new, actor=actor, now=now)
    except RuleNotFoundError:
        form.errors["rule"] = f"there is no deadline rule {new.rule_id!r}"
    except ValidationError as exc:
        form.fail(exc)
    return None


async def _add_authority(form: RequestForm, actor: Actor, now: datetime) -> Authority | None:
    """Add the authority typed in the form to the directory and choose it (one audit entry)."""
    try:
        kind = AuthorityType(form.get("new_authority_type"))
    except ValueError:
        form.errors["new_authority_type"] = "choose what kind of authority it is"
        return None
    new = NewAuthority(
        name=form.get("new_authority_name"), country=form.get("new_authority_country"), type=kind
    )
    try:
        added = await authorities.create_authority(new, actor=actor, now=now)
    except ValidationError as exc:
        form.fail(exc, prefix="new_authority_")
        return None
    for name in (
        "authority_q",
        "new_authority_name",
        "new_authority_country",
        "new_authority_type",
    ):
        form.values[name] = ""
    form.values["authority_id"] = str(added.id)
    return added


class LogRequestController(Controller):
    """The form that logs a request, and its fragments."""

    path = "/requests/new"
    include_in_schema = False

    @get("/", opt=needs(Permission.REQUESTS_WRITE))
    async def form(
        self,
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        rulebook: NamedDependency[RuleBook],
    ) -> Template:
        """The empty form: times in the viewer's zone, assigned to the viewer."""
        zone = zone_of(viewer, web_settings.time_zone)
        fresh = blank_form(
            zone=zone,
            assignee=str(viewer.user.id),
            dsa_basis="none",
            priority="normal",
            confidentiality="standard",
            response_language="en",
        )
        return await self._page(fresh, viewer, clock, web_settings, rulebook)

    @post("/", opt=needs(Permission.REQUESTS_WRITE), status_code=HTTP_200_OK)
    async def submit(
        self,
        data: FormBody,
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        rulebook: NamedDependency[RuleBook],
    ) -> Response[Any]:
        """Log the request and go to its page; or do what the button asked and show the form."""
        form = read_form(data)
        action = _action(form.get("action"))
        now = clock.now()
        added = None
        if action is Action.SAVE:
            logged = await _log(form, rulebook, viewer.actor, now)
            if logged is not None:
                return Redirect(path=f"/requests/{logged.id}", status_code=HTTP_303_SEE_OTHER)
        elif action is Action.ADD_AUTHORITY:
            added = await _add_authority(form, viewer.actor, now)
        elif action is Action.MORE_ROWS:
            form.blank_rows += MORE_ROWS
        report = action in {Action.SAVE, Action.PREVIEW}
        return await self._page(
            form, viewer, clock, web_settings, rulebook, report=report, added=added
        )

    async def _page(
        self,
        form: RequestForm,
        viewer: SessionUser,
        clock: Clock,
        web_settings: WebSettings,
        book: RuleBook,
        *,
        report: bool = False,
        added: Authority | None = None,
    ) -> Template:
        """The page; ``report``: the preview's problems are the form's too."""
        actor = viewer.actor
        context = await authority_choices(form, actor)
        context |= rule_choices(form, book, actor, rule_wins=True)
        deadline, preview_errors = deadline_preview(form, book, actor)
        if report:
            for name, message in preview_errors.items():
                form.errors.setdefault(name, message)
        people = await users.colleagues(actor=actor)
        return await page(
            "log_request.html",
            viewer=viewer,
            clock=clock,
            default_zone=web_settings.time_zone,
            active="new",
            status_code=422 if form.errors else 200,
            **context,
            form=form,
            errors=in_form_order(form.errors),
            label=label_of,
            deadline=deadline,
            preview_errors=preview_errors,
            added=added,
            people=[p for p in people if p.active and p.role in requests.ASSIGNABLE_ROLES],
            zones=zones(book, actor, zone_of(viewer, web_settings.time_zone)),
            report_open=any(name in REPORT_FIELDS for name in form.errors)
            or any(form.get(name) for name in REPORT_FIELDS)
            or bool(form.content_items),
            fragment="",
        )

    @get("/authorities", opt=needs(Permission.AUTHORITIES_READ))
    async def find_authorities(
        self, request: Request[object, object, State], viewer: NamedDependency[SessionUser]
    ) -> Template:
        """The authorities matching what is typed in the search (a fragment)."""
        form = read_form(dict(request.query_params))
        context = await authority_choices(form, viewer.actor)
        return Template(
            template_name="log_request_authority_choices.html",
            context={**context, "form": form, "label": label_of, "fragment": "choices"},
        )

    @post("/authority", opt=needs(Permission.AUTHORITIES_WRITE), status_code=HTTP_200_OK)
    async def add_authority(
        self,
        data: FormBody,
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
    ) -> Template:
        """Add an authority to the directory and choose it (a fragment of the form)."""
        form = read_form(data)
        added = await _add_authority(form, viewer.actor, clock.now())
        context = await authority_choices(form, viewer.actor)
        return Template(
            template_name="log_request_authority_fields.html",
            context={
                **context,
                "form": form,
                "label": label_of,
                "permissions": _permissions(viewer),
                "added": added,
                "fragment": "fields",
            },
        )

    @get("/rules", opt=needs(Permission.JURISDICTIONS_READ))
    async def rules(
        self,
        request: Request[object, object, State],
        viewer: NamedDependency[SessionUser],
        rulebook: NamedDependency[RuleBook],
    ) -> Template:
        """The rules of the jurisdiction chosen, and the times the rule chosen asks for."""
        form = read_form(dict(request.query_params))
        context = rule_choices(form, rulebook, viewer.actor, rule_wins=False)
        return Template(
            template_name="log_request_rule.html",
            context={**context, "form": form, "label": label_of, "fragment": "rules"},
        )

    @post("/preview", opt=needs(Permission.DEADLINES_PREVIEW), status_code=HTTP_200_OK)
    async def preview(
        self,
        data: FormBody,
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        rulebook: NamedDependency[RuleBook],
    ) -> Template:
        """The deadline the form's inputs give, with its steps and citations (a fragment)."""
        form = read_form(data)
        deadline, problems = deadline_preview(form, rulebook, viewer.actor)
        return Template(
            template_name="log_request_preview.html",
            context={
                "deadline": deadline,
                "preview_errors": problems,
                "face": _face(viewer, clock, web_settings),
                "label": label_of,
            },
        )
