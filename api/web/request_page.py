"""The request page: one request, its deadlines, the viewer's steps, its files and trail.

Mail, inbox messages, webhooks and calendar events link here. Everyone who may read requests
may open it; the forms appear only to those who may use them now, and each posts to its own
route (``request_steps``, ``request_documents``), which redirects back here with the audit
entries it wrote (``?entry=12``) or renders this page again with the refusal beside the control
that caused it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final
from uuid import UUID

from litestar import Controller, Request, Response, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from api.errors import problem_for
from api.guards import needs
from api.settings import WebSettings
from api.web import request_view as view
from api.web.package_view import PackageShown, package_parts, request_steps
from api.web.pages import page, zone_of
from api.web.request_forms import PASS_THROUGH, back_to
from api.web.templating import Clockface
from domain import deadlines
from domain.deadlines import RuleNotFoundError
from domain.holds import queries as hold_queries
from domain.holds.model import LegalHold
from domain.identity import users
from domain.identity.sessions import SessionUser
from domain.notifications import reminder_settings
from domain.notifications.reminders import format_offset
from domain.requests import authorities, queries
from domain.requests import files as request_files
from domain.requests.model import RegulatoryRequest
from domain.requests.service import ASSIGNABLE_ROLES
from domain.requests.trail import TrailEntry, request_trail
from domain.requests.urgency import deadline_band
from domain.shared.clock import Clock
from domain.shared.errors import DocketError, StaleVersionError, ValidationError
from domain.shared.permissions import Permission, has_permission

MAX_SHOWN_ENTRIES: Final = 20
"""Outcome messages at most; a longer ``entry`` list in the URL is cut."""


@dataclass(frozen=True, slots=True)
class StaleEdit:
    """A change refused because the request moved on since the page was loaded."""

    expected: int
    actual: int
    entries: list[TrailEntry]


@dataclass(frozen=True, slots=True)
class Refusal:
    """What to show when a form was refused: messages by field, the values typed, the status."""

    status: int
    errors: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, str] = field(default_factory=dict)
    stale: StaleEdit | None = None


def error_text(exc: DocketError) -> str:
    """What a refused change shows beside its control."""
    return exc.message if isinstance(exc, ValidationError) else str(exc)


def status_of(exc: DocketError) -> int:
    """The status of a refusal: the API's for the same error."""
    problem = problem_for(exc)
    return problem.status if problem is not None else 400


async def stale_edit(
    request_id: UUID, *, expected: int, actual: int, viewer: SessionUser
) -> StaleEdit:
    """Who changed what since the version the viewer had."""
    since = await request_trail(request_id, actor=viewer.actor, after_version=expected)
    return StaleEdit(expected, actual, since)


async def refusal_for(
    request_id: UUID,
    exc: DocketError,
    *,
    viewer: SessionUser,
    key: str,
    values: Mapping[str, str],
) -> Refusal:
    """The page's answer to a refused change: the stale edit, or the message beside ``key``.

    A ``ValidationError`` sits beside its own field when the form has one of that name.
    """
    if isinstance(exc, StaleVersionError):
        stale = await stale_edit(
            request_id, expected=exc.expected, actual=exc.actual, viewer=viewer
        )
        return Refusal(409, values=values, stale=stale)
    where = exc.field if isinstance(exc, ValidationError) and exc.field in values else key
    return Refusal(status_of(exc), errors={where: error_text(exc)}, values=values)


async def refused_page(
    request_id: UUID,
    exc: DocketError,
    *,
    key: str,
    values: Mapping[str, str],
    viewer: SessionUser,
    clock: Clock,
    web_settings: WebSettings,
    rulebook: deadlines.RuleBook,
    done: Sequence[int] = (),
) -> Template:
    """The page again, with the refusal beside ``key`` (or the stale edit at the top)."""
    refusal = await refusal_for(request_id, exc, viewer=viewer, key=key, values=values)
    return await request_page(
        request_id,
        viewer=viewer,
        clock=clock,
        web_settings=web_settings,
        rulebook=rulebook,
        refusal=refusal,
        done=done,
    )


async def changed_or_refused(
    request_id: UUID,
    change: Callable[[], Awaitable[list[int]]],
    *,
    key: str,
    values: Mapping[str, str],
    viewer: SessionUser,
    clock: Clock,
    web_settings: WebSettings,
    rulebook: deadlines.RuleBook,
) -> Response[Any]:
    """Make ``change``; back to the page naming the entries it wrote, or the page with the refusal.

    The refusal is shown beside ``key``. A request that is not there or a step the reader may
    not take is the app's error page, not the form's: those pass through.
    """
    try:
        entries = await change()
    except PASS_THROUGH:
        raise
    except DocketError as exc:
        return await refused_page(
            request_id,
            exc,
            key=key,
            values=values,
            viewer=viewer,
            clock=clock,
            web_settings=web_settings,
            rulebook=rulebook,
        )
    return back_to(request_id, entries)


async def request_page(
    request_id: UUID,
    *,
    viewer: SessionUser,
    clock: Clock,
    web_settings: WebSettings,
    rulebook: deadlines.RuleBook,
    refusal: Refusal | None = None,
    done: Sequence[int] = (),
    package: PackageShown | None = None,
) -> Template:
    """The page of one request, with a refused form's messages or the entries just written.

    ``package`` is what its response package section shows beyond the stored draft (the text
    as typed, a preview, a refused save).

    Raises:
        RequestNotFoundError: no such request (a 404 page).
    """
    reg = await queries.get_request(request_id, actor=viewer.actor)
    face = Clockface(zone_of(viewer, web_settings.time_zone), clock.now())
    refusal = refusal or Refusal(200)
    actions = queries.available_actions(rulebook, reg, viewer.user.role)
    steps = view.steps_of(await request_steps(actions, reg, viewer))
    return await page(
        "request.html",
        viewer=viewer,
        clock=clock,
        default_zone=web_settings.time_zone,
        active="queue",
        status_code=refusal.status,
        reg=reg,
        steps=steps,
        extension_open=queries.extension_open(rulebook, reg, viewer.user.role),
        record=view.record_rows(reg.record, face),
        view=view,
        **await _deadline_parts(reg, rulebook, viewer, face),
        **await _people_and_files(reg, rulebook, viewer),
        **await _trail_parts(reg, viewer, done),
        **await package_parts(reg, viewer, package),
        **_refusal_parts(refusal, steps),
        holds_from=await _holds_from(reg, viewer),
    )


async def _holds_from(reg: RegulatoryRequest, viewer: SessionUser) -> list[LegalHold]:
    """The holds created from this request, for those who may read holds."""
    if not has_permission(viewer.user.role, Permission.HOLDS_READ):
        return []
    return await hold_queries.holds_from_request(reg.id, actor=viewer.actor)


async def _deadline_parts(
    reg: RegulatoryRequest, rulebook: deadlines.RuleBook, viewer: SessionUser, face: Clockface
) -> dict[str, object]:
    try:
        rule: deadlines.Rule | None = rulebook.rule(reg.rule_id)
        explained = await queries.explain_deadline(rulebook, reg, actor=viewer.actor)
    except RuleNotFoundError:  # a rule gone from the book: the dates stand, unexplained
        rule, explained = None, None
    return {
        "rule": rule,
        "explained": explained,
        "band": deadline_band(reg, face.now).value,
        "authority": await authorities.get_authority(reg.authority_id, actor=viewer.actor),
    }


async def _people_and_files(
    reg: RegulatoryRequest, rulebook: deadlines.RuleBook, viewer: SessionUser
) -> dict[str, object]:
    actor = viewer.actor
    people = await users.colleagues(actor=actor)
    offsets = await reminder_settings.get_offsets(reg.id, rulebook, actor=actor)
    return {
        "assignee_name": next((p.display_name for p in people if p.id == reg.assignee), ""),
        "people": [p for p in people if p.active and p.role in ASSIGNABLE_ROLES],
        "authors": {f"user:{p.id}": p.display_name for p in people},
        "comments": await request_files.list_comments(reg.id, actor=actor),
        "attachments": await request_files.list_attachments(reg.id, actor=actor),
        "offsets": [format_offset(o) for o in offsets.offsets],
        "own_offsets": offsets.own,
    }


async def _trail_parts(
    reg: RegulatoryRequest, viewer: SessionUser, done: Sequence[int]
) -> dict[str, object]:
    trail = await request_trail(reg.id, actor=viewer.actor)
    wanted = set(done[:MAX_SHOWN_ENTRIES])
    return {
        "trail": list(reversed(trail)),
        "outcome": [e for e in trail if e.index in wanted],
    }


def _refusal_parts(refusal: Refusal, steps: list[view.Step]) -> dict[str, object]:
    offered = {f"action-{s.action.value}" for s in steps}
    # a refused step that the page no longer offers is reported under the steps it does offer
    errors = {
        ("steps" if k.startswith("action-") and k not in offered else k): v
        for k, v in refusal.errors.items()
    }
    return {"errors": errors, "values": refusal.values, "stale": refusal.stale}


def entries_asked(raw: Sequence[str]) -> list[int]:
    """The ``entry`` indexes of the URL that are numbers (others are ignored)."""
    return [int(v) for v in raw if v.isdigit()]


class RequestPageController(Controller):
    """The page of one request."""

    path = "/requests"
    include_in_schema = False

    @get("/{request_id:uuid}", opt=needs(Permission.REQUESTS_READ))
    async def show(
        self,
        *,
        request_id: FromPath[UUID],
        request: Request[object, object, State],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        rulebook: NamedDependency[deadlines.RuleBook],
    ) -> Template:
        """The request, its deadlines, steps, files and trail."""
        return await request_page(
            request_id,
            viewer=viewer,
            clock=clock,
            web_settings=web_settings,
            rulebook=rulebook,
            done=entries_asked(request.query_params.getall("entry", [])),
        )
