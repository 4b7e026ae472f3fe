"""Regulatory requests: log, list, read, move through the workflow, extend, assign."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import Body, FromPath, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from api.clock import Clock
from api.guards import needs
from api.openapi_docs import protected
from api.query_params import Cursor
from api.request_filters import FILTERS
from api.schemas.request_records import RequestUpdate
from api.schemas.requests import (
    AssignmentUpdate,
    ClockEventsCreate,
    ExtensionCreate,
    RequestCreate,
    RequestList,
    RequestRead,
    RequestSummary,
    TransitionCreate,
)
from domain.deadlines import RuleBook
from domain.requests import service as requests
from domain.requests import updates as request_edits
from domain.requests.model import RegulatoryRequest
from domain.requests.service import RequestFilters
from domain.requests.workflow import RequestAction
from domain.shared.model import Actor
from domain.shared.permissions import Permission


def _read(book: RuleBook, reg_request: RegulatoryRequest, actor: Actor) -> RequestRead:
    return RequestRead.from_domain(
        reg_request, requests.available_actions(book, reg_request, actor.role)
    )


class RequestController(Controller):
    """Log and work on regulatory requests against their statutory deadlines."""

    path = "/api/v1/requests"
    tags = ["Requests"]

    @post(
        operation_id="LogRequest",
        opt=needs(Permission.REQUESTS_WRITE),
        status_code=HTTP_201_CREATED,
        responses=protected(404, 422),
    )
    async def log_request(
        self,
        data: Annotated[RequestCreate, Body(title="New request")],
        rulebook: NamedDependency[RuleBook],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> RequestRead:
        """Log a request received from an authority; its rule gives the deadline."""
        logged = await requests.log_request(
            rulebook, data.new_request(), actor=actor, now=clock.now()
        )
        return _read(rulebook, logged, actor)

    @get(
        operation_id="ListRequests",
        opt=needs(Permission.REQUESTS_READ),
        responses=protected(422),
        dependencies=FILTERS,
    )
    async def list_requests(
        self,
        *,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        filters: NamedDependency[RequestFilters],
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        cursor: Cursor = None,
    ) -> RequestList:
        """Requests matching the filters, soonest binding deadline first, a page at a time."""
        page = await requests.list_requests(
            filters, actor=actor, now=clock.now(), limit=limit, cursor=cursor
        )
        return RequestList(
            items=[RequestSummary.from_domain(r) for r in page.items], next_cursor=page.next_cursor
        )

    @get(
        "/{request_id:uuid}",
        operation_id="GetRequest",
        opt=needs(Permission.REQUESTS_READ),
        responses=protected(404),
    )
    async def get_request(
        self,
        request_id: FromPath[UUID],
        rulebook: NamedDependency[RuleBook],
        actor: NamedDependency[Actor],
    ) -> RequestRead:
        """One request with its deadlines and the steps open to the caller."""
        return _read(rulebook, await requests.get_request(request_id, actor=actor), actor)

    @patch(
        "/{request_id:uuid}",
        operation_id="UpdateRequest",
        opt=needs(Permission.REQUESTS_WRITE),
        responses=protected(404, 409, 422),
    )
    async def update_request(
        self,
        request_id: FromPath[UUID],
        data: Annotated[RequestUpdate, Body(title="Changes")],
        rulebook: NamedDependency[RuleBook],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> RequestRead:
        """Correct or complete a request; a new receipt time, rule or zone moves the deadline."""
        changed = await request_edits.update_request(
            rulebook,
            request_id,
            expected_version=data.expected_version,
            changes=data.changes(),
            actor=actor,
            now=clock.now(),
        )
        return _read(rulebook, changed, actor)

    @post(
        "/{request_id:uuid}/actions/{action:str}",
        operation_id="TransitionRequest",
        opt=needs(Permission.REQUESTS_WRITE),
        status_code=HTTP_200_OK,
        responses=protected(404, 409, 422),
    )
    async def transition(
        self,
        *,
        request_id: FromPath[UUID],
        action: FromPath[RequestAction],
        data: Annotated[TransitionCreate, Body(title="Workflow step")],
        rulebook: NamedDependency[RuleBook],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> RequestRead:
        """Take a workflow step; clarification stops the clock until it is received."""
        changed = await requests.transition(
            rulebook,
            request_id,
            action,
            expected_version=data.expected_version,
            note=data.note,
            actor=actor,
            now=clock.now(),
        )
        return _read(rulebook, changed, actor)

    @post(
        "/{request_id:uuid}/extension",
        operation_id="TakeRequestExtension",
        opt=needs(Permission.REQUESTS_WRITE),
        status_code=HTTP_200_OK,
        responses=protected(404, 409, 422),
    )
    async def take_extension(
        self,
        request_id: FromPath[UUID],
        data: Annotated[ExtensionCreate, Body(title="Extension")],
        rulebook: NamedDependency[RuleBook],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> RequestRead:
        """Take the rule's extension, having told the authority on the given day."""
        extended = await requests.take_extension(
            rulebook,
            request_id,
            expected_version=data.expected_version,
            reason=data.reason,
            notified_on=data.notified_on,
            actor=actor,
            now=clock.now(),
        )
        return _read(rulebook, extended, actor)

    @post(
        "/{request_id:uuid}/events",
        operation_id="RecordRequestClockEvents",
        opt=needs(Permission.REQUESTS_WRITE),
        status_code=HTTP_200_OK,
        responses=protected(404, 409, 422),
    )
    async def record_clock_events(
        self,
        request_id: FromPath[UUID],
        data: Annotated[ClockEventsCreate, Body(title="Clock events")],
        rulebook: NamedDependency[RuleBook],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> RequestRead:
        """Record events the rule's clock reads (e.g. ``aware``); the deadlines move with them."""
        changed = await request_edits.record_clock_events(
            rulebook,
            request_id,
            expected_version=data.expected_version,
            events=msgspec.to_builtins(data.events),
            actor=actor,
            now=clock.now(),
        )
        return _read(rulebook, changed, actor)

    @post(
        "/{request_id:uuid}/assign",
        operation_id="AssignRequest",
        opt=needs(Permission.REQUESTS_WRITE),
        status_code=HTTP_200_OK,
        responses=protected(404, 409, 422),
    )
    async def assign(
        self,
        request_id: FromPath[UUID],
        data: Annotated[AssignmentUpdate, Body(title="Assignment")],
        rulebook: NamedDependency[RuleBook],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> RequestRead:
        """Give a request to a specialist, lawyer or admin (null: to nobody)."""
        assigned = await requests.assign(
            request_id,
            expected_version=data.expected_version,
            assignee=data.assignee,
            actor=actor,
            now=clock.now(),
        )
        return _read(rulebook, assigned, actor)
