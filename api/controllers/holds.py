"""Legal holds: draft, read, the workflow steps (issue, release whole or in part), the check."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import Body, FromPath, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from api.clock import Clock
from api.guards import needs
from api.openapi_docs import protected
from api.query_params import Cursor, Text
from api.schemas.holds import (
    CoveringHoldRead,
    CustodianRelease,
    DataSourceRelease,
    HoldCreate,
    HoldIssue,
    HoldList,
    HoldNoticeRead,
    HoldRead,
    HoldRelease,
    PartialReleaseRead,
    PreservationRead,
    ReleaseCheckRead,
)
from domain.holds import notices as hold_notices
from domain.holds import queries as hold_queries
from domain.holds import service as holds
from domain.holds.identifiers import IdentifierRules
from domain.holds.model import Custodian, DataSource, HoldState, LegalHold
from domain.holds.notice_plan import HoldPolicy
from domain.holds.release_check import release_warnings
from domain.holds.service import NewHold, PartialRelease
from domain.holds.workflow import HoldAction
from domain.shared.model import Actor
from domain.shared.permissions import Permission


def _action(action: HoldAction) -> str:
    """The path of a workflow step: every step is ``POST <hold>/actions/<action>``."""
    return f"/{{hold_id:uuid}}/actions/{action.value}"


def _read(hold: LegalHold, actor: Actor) -> HoldRead:
    return HoldRead.from_domain(hold, hold_queries.available_actions(hold, actor.role))


def _partial(release: PartialRelease, actor: Actor) -> PartialReleaseRead:
    return PartialReleaseRead(
        hold=_read(release.hold, actor),
        preserved=bool(release.still_covered_by),
        still_covered_by=[CoveringHoldRead.from_domain(c) for c in release.still_covered_by],
    )


class HoldController(Controller):
    """Preserve the data of custodians and systems while a matter needs it."""

    path = "/api/v1/holds"
    tags = ["Legal holds"]

    @get(
        "/check",
        operation_id="CheckPreservation",
        opt=needs(Permission.HOLDS_CHECK),
        responses=protected(422),
    )
    async def check(
        self,
        actor: NamedDependency[Actor],
        identifier_rules: NamedDependency[IdentifierRules],
        custodian: Text = None,
        data_source: Text = None,
    ) -> PreservationRead:
        """Whether a custodian (e-mail) or data source (SYSTEM:ID) is under an active hold."""
        found = await hold_queries.check_preservation(
            custodian, data_source, actor=actor, rules=identifier_rules
        )
        return PreservationRead(
            preserved=bool(found),
            holds=[CoveringHoldRead.from_domain(c) for c in found],
            checked=hold_queries.asked_forms(custodian, data_source, rules=identifier_rules),
        )

    @get(operation_id="ListHolds", opt=needs(Permission.HOLDS_READ), responses=protected(422))
    async def list_holds(
        self,
        *,
        actor: NamedDependency[Actor],
        hold_state: Annotated[HoldState | None, QueryParameter(name="state")] = None,
        matter: Text = None,
        custodian: Text = None,
        q: Text = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        cursor: Cursor = None,
        before: Cursor = None,
    ) -> HoldList:
        """Legal holds, newest first, a page at a time; filter by state, matter, custodian, text."""
        page = await hold_queries.list_holds(
            actor=actor,
            state=hold_state,
            matter=matter,
            custodian=custodian,
            q=q,
            limit=limit,
            cursor=cursor,
            before=before,
        )
        return HoldList(
            items=[_read(h, actor) for h in page.items],
            next_cursor=page.next_cursor,
            prev_cursor=page.prev_cursor,
        )

    @post(
        operation_id="CreateHold",
        opt=needs(Permission.HOLDS_MANAGE),
        status_code=HTTP_201_CREATED,
        responses=protected(422),
    )
    async def create_hold(
        self,
        data: Annotated[HoldCreate, Body(title="New legal hold")],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> HoldRead:
        """Draft a legal hold on a matter; it preserves nothing until it is issued."""
        new = NewHold(
            matter=data.matter,
            title=data.title,
            custodians=tuple(
                Custodian(email=c.email, name=c.name, manager_email=c.manager_email)
                for c in data.custodians
            ),
            data_sources=tuple(
                DataSource(system=d.system, identifier=d.identifier) for d in data.data_sources
            ),
            request_ids=tuple(data.request_ids),
            scope_start=data.scope_start,
            scope_end=data.scope_end,
            keywords=tuple(data.keywords),
            scope_description=data.scope_description,
            notice_text=data.notice_text,
            preservation_request_id=data.preservation_request_id,
            questions=tuple(data.questions),
        )
        return _read(await holds.create_hold(new, actor=actor, now=clock.now()), actor)

    @get(
        "/{hold_id:uuid}",
        operation_id="GetHold",
        opt=needs(Permission.HOLDS_READ),
        responses=protected(404),
    )
    async def get_hold(self, hold_id: FromPath[UUID], actor: NamedDependency[Actor]) -> HoldRead:
        """One legal hold with its custodians, data sources and the steps open to the caller."""
        return _read(await hold_queries.get_hold(hold_id, actor=actor), actor)

    @get(
        "/{hold_id:uuid}/notices",
        operation_id="ListHoldNotices",
        opt=needs(Permission.HOLDS_READ),
        responses=protected(404),
    )
    async def list_notices(
        self, hold_id: FromPath[UUID], actor: NamedDependency[Actor]
    ) -> list[HoldNoticeRead]:
        """The hold's notices, reminders, escalations and release notices: sent, due, cancelled."""
        found = await hold_notices.notices_of(hold_id, actor=actor)
        return [HoldNoticeRead.from_domain(n) for n in found]

    @get(
        "/{hold_id:uuid}/release-check",
        operation_id="CheckHoldRelease",
        opt=needs(Permission.HOLDS_READ),
        responses=protected(404, 409, 422),
    )
    async def check_release(
        self,
        hold_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        custodian: Text = None,
        data_source: Text = None,
    ) -> ReleaseCheckRead:
        """Before releasing the hold (or one custodian or data source): what it leaves behind."""
        found = await release_warnings(
            hold_id, actor=actor, now=clock.now(), custodian=custodian, data_source=data_source
        )
        return ReleaseCheckRead(
            items=list(found.items),
            warn=found.any,
            preservation_until=found.preservation_until,
            still_covered_by=[CoveringHoldRead.from_domain(c) for c in found.still_covered_by],
        )

    @post(
        _action(HoldAction.ISSUE),
        operation_id="IssueHold",
        opt=needs(Permission.HOLDS_MANAGE),
        status_code=HTTP_200_OK,
        responses=protected(404, 409),
    )
    async def issue_hold(
        self,
        hold_id: FromPath[UUID],
        data: Annotated[HoldIssue, Body(title="Issue")],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        hold_policy: NamedDependency[HoldPolicy],
    ) -> HoldRead:
        """Issue a draft hold: it preserves from now on; each custodian's notice is queued."""
        issued = await holds.issue_hold(
            hold_id,
            expected_version=data.expected_version,
            actor=actor,
            now=clock.now(),
            policy=hold_policy,
        )
        return _read(issued, actor)

    @post(
        _action(HoldAction.RELEASE),
        operation_id="ReleaseHold",
        opt=needs(Permission.HOLDS_MANAGE),
        status_code=HTTP_200_OK,
        responses=protected(404, 409),
    )
    async def release_hold(
        self,
        hold_id: FromPath[UUID],
        data: Annotated[HoldRelease, Body(title="Release")],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> HoldRead:
        """Release a hold as a whole; custodians still held are sent a release notice."""
        released = await holds.release_hold(
            hold_id,
            expected_version=data.expected_version,
            actor=actor,
            now=clock.now(),
            reason=data.reason,
        )
        return _read(released, actor)

    @post(
        _action(HoldAction.RELEASE_CUSTODIAN),
        operation_id="ReleaseHoldCustodian",
        opt=needs(Permission.HOLDS_MANAGE),
        status_code=HTTP_200_OK,
        responses=protected(404, 409, 422),
    )
    async def release_custodian(
        self,
        hold_id: FromPath[UUID],
        data: Annotated[CustodianRelease, Body(title="Custodian")],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> PartialReleaseRead:
        """Release one custodian; answers which other active holds still preserve them."""
        release = await holds.release_custodian(
            hold_id,
            data.email,
            expected_version=data.expected_version,
            actor=actor,
            now=clock.now(),
            reason=data.reason,
        )
        return _partial(release, actor)

    @post(
        _action(HoldAction.RELEASE_DATA_SOURCE),
        operation_id="ReleaseHoldDataSource",
        opt=needs(Permission.HOLDS_MANAGE),
        status_code=HTTP_200_OK,
        responses=protected(404, 409, 422),
    )
    async def release_data_source(
        self,
        hold_id: FromPath[UUID],
        data: Annotated[DataSourceRelease, Body(title="Data source")],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> PartialReleaseRead:
        """Release one data source; answers which other active holds still preserve it."""
        release = await holds.release_data_source(
            hold_id,
            data.data_source,
            expected_version=data.expected_version,
            actor=actor,
            now=clock.now(),
            reason=data.reason,
        )
        return _partial(release, actor)
