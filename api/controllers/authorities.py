"""The directory of authorities that send requests."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import Body, FromPath
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from api.clock import Clock
from api.guards import needs
from api.openapi_docs import protected
from api.query_params import Country
from api.schemas.requests import (
    AuthorityCreate,
    AuthorityCreated,
    AuthorityList,
    AuthorityMerge,
    AuthorityMerged,
    AuthorityRead,
    AuthorityUpdate,
)
from domain.requests import authorities, authority_changes
from domain.requests.authorities import NewAuthority
from domain.shared.model import Actor
from domain.shared.permissions import Permission


class AuthorityController(Controller):
    """List, read, add, correct and merge authorities."""

    path = "/api/v1/authorities"
    tags = ["Authorities"]

    @get(
        operation_id="ListAuthorities",
        opt=needs(Permission.AUTHORITIES_READ),
        responses=protected(422),
    )
    async def list_authorities(
        self,
        actor: NamedDependency[Actor],
        country: Country = None,
    ) -> AuthorityList:
        """Every authority (of one country), by country and name."""
        found = await authorities.list_authorities(actor=actor, country=country)
        return AuthorityList(items=[AuthorityRead.from_domain(a) for a in found])

    @get(
        "/{authority_id:uuid}",
        operation_id="GetAuthority",
        opt=needs(Permission.AUTHORITIES_READ),
        responses=protected(404),
    )
    async def get_authority(
        self, authority_id: FromPath[UUID], actor: NamedDependency[Actor]
    ) -> AuthorityRead:
        """One authority."""
        return AuthorityRead.from_domain(await authorities.get_authority(authority_id, actor=actor))

    @post(
        operation_id="CreateAuthority",
        opt=needs(Permission.AUTHORITIES_WRITE),
        status_code=HTTP_201_CREATED,
        responses=protected(422),
    )
    async def create_authority(
        self,
        data: Annotated[AuthorityCreate, Body(title="New authority")],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> AuthorityCreated:
        """Add an authority to the directory; the answer warns of likely duplicates."""
        new = NewAuthority(
            name=data.name,
            country=data.country,
            type=data.type,
            contact=data.contact,
            verified=data.verified,
        )
        added = await authorities.add_authority(new, actor=actor, now=clock.now())
        return AuthorityCreated.from_added(added)

    @put(
        "/{authority_id:uuid}",
        operation_id="UpdateAuthority",
        opt=needs(Permission.AUTHORITIES_WRITE),
        responses=protected(404, 422),
    )
    async def update_authority(
        self,
        authority_id: FromPath[UUID],
        data: Annotated[AuthorityUpdate, Body(title="Authority")],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> AuthorityRead:
        """Correct an authority's name, country, type, contact or verified flag."""
        changed = NewAuthority(
            name=data.name,
            country=data.country,
            type=data.type,
            contact=data.contact,
            verified=data.verified,
        )
        updated = await authority_changes.update_authority(
            authority_id, changed, actor=actor, now=clock.now()
        )
        return AuthorityRead.from_domain(updated)

    @post(
        "/{authority_id:uuid}/merge",
        operation_id="MergeAuthority",
        opt=needs(Permission.AUTHORITIES_MERGE),
        status_code=HTTP_200_OK,
        responses=protected(404, 422),
    )
    async def merge_authority(
        self,
        authority_id: FromPath[UUID],
        data: Annotated[AuthorityMerge, Body(title="Merge into")],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> AuthorityMerged:
        """Merge this duplicate into another authority: its requests move there, it is removed."""
        merged = await authority_changes.merge_authorities(
            authority_id, data.kept_id, actor=actor, now=clock.now()
        )
        return AuthorityMerged(
            kept=AuthorityRead.from_domain(merged.kept),
            requests_moved=list(merged.references),
            audit_entry=merged.entry_index,
        )
