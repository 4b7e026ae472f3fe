"""Rule packs by jurisdiction, and deadline previews."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import Body
from litestar.status_codes import HTTP_200_OK

from api.guards import needs
from api.openapi_docs import protected
from api.query_params import JurisdictionCode
from api.schemas.jurisdictions import (
    DeadlinePreview,
    DeadlineRead,
    JurisdictionList,
    JurisdictionRead,
    JurisdictionSummary,
)
from domain import deadlines
from domain.deadlines import RuleBook
from domain.shared.model import Actor
from domain.shared.permissions import Permission


class JurisdictionController(Controller):
    """List jurisdictions and their cited rules; preview a deadline."""

    path = "/api/v1"
    tags = ["Jurisdictions"]

    @get(
        "/jurisdictions",
        operation_id="ListJurisdictions",
        opt=needs(Permission.JURISDICTIONS_READ),
        responses=protected(),
    )
    async def list_jurisdictions(
        self, rulebook: NamedDependency[RuleBook], actor: NamedDependency[Actor]
    ) -> JurisdictionList:
        """Every jurisdiction with a rule pack, by code, with its rule ids."""
        found = deadlines.list_jurisdictions(rulebook, actor=actor)
        return JurisdictionList(items=[JurisdictionSummary.from_domain(j) for j in found])

    @get(
        "/jurisdictions/{code:str}",
        operation_id="GetJurisdiction",
        opt=needs(Permission.JURISDICTIONS_READ),
        responses=protected(404),
    )
    async def get_jurisdiction(
        self,
        code: JurisdictionCode,
        rulebook: NamedDependency[RuleBook],
        actor: NamedDependency[Actor],
    ) -> JurisdictionRead:
        """One jurisdiction and its rules: citations, sources, period, clock, extension, notes."""
        jurisdiction = deadlines.get_jurisdiction(rulebook, code, actor=actor)
        return JurisdictionRead.from_domain(jurisdiction)

    @post(
        "/deadlines/preview",
        operation_id="PreviewDeadline",
        opt=needs(Permission.DEADLINES_PREVIEW),
        status_code=HTTP_200_OK,
        responses=protected(404, 422),
    )
    async def preview_deadline(
        self,
        data: Annotated[DeadlinePreview, Body(title="Deadline inputs")],
        rulebook: NamedDependency[RuleBook],
        actor: NamedDependency[Actor],
    ) -> DeadlineRead:
        """Compute a deadline with its cited steps, recording nothing."""
        deadline = deadlines.preview_deadline(
            rulebook,
            data.rule,
            received_at=data.received_at,
            tz=data.tz,
            subdivision=data.subdivision,
            events=data.events,
            pauses=[(pause.start, pause.end) for pause in data.pauses],
            as_of=data.as_of,
            actor=actor,
        )
        return DeadlineRead.from_domain(deadline)
