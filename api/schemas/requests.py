"""Bodies of the authority and regulatory-request endpoints (msgspec Structs with examples)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Final
from uuid import UUID

import msgspec

from api.schemas.auth import Strict
from api.schemas.jurisdictions import INSTANT_IN, RULE_ID
from api.schemas.request_records import RecordCreate, RecordRead, record_read_fields
from domain.requests.model import (
    Authority,
    AuthorityType,
    Channel,
    Confidentiality,
    DsaBasis,
    Instrument,
    Priority,
    RegulatoryRequest,
    RequestKind,
)
from domain.requests.workflow import RequestAction, RequestState

REFERENCE: Final = msgspec.Meta(examples=["REQ-2026-000042"])
VERSION: Final = msgspec.Meta(
    ge=1, examples=[3], description="the version you read; a stale one is refused with 409"
)
NOTE: Final = msgspec.Meta(max_length=4000, examples=["scope confirmed by phone"])


# ---------------------------------------------------------------- authorities
class AuthorityCreate(Strict):
    """A new authority in the directory."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=300, examples=["Ofcom"])]
    country: Annotated[str, msgspec.Meta(examples=["GB"], description="ISO 3166-1 alpha-2")]
    type: AuthorityType
    contact: Annotated[str, msgspec.Meta(max_length=2000, examples=["osa@ofcom.org.uk"])] = ""
    verified: bool = False


class AuthorityRead(msgspec.Struct, kw_only=True):
    """An authority that sends requests."""

    id: UUID
    name: str
    country: str
    type: AuthorityType
    contact: str
    verified: bool
    created_at: datetime

    @classmethod
    def from_domain(cls, authority: Authority) -> AuthorityRead:
        """Shape an ``Authority``."""
        return cls(
            id=authority.id,
            name=authority.name,
            country=authority.country,
            type=authority.type,
            contact=authority.contact,
            verified=authority.verified,
            created_at=authority.created_at,
        )


class AuthorityList(msgspec.Struct, kw_only=True):
    """Authorities, by country and name."""

    items: list[AuthorityRead]


# ---------------------------------------------------------------- requests
class RequestCreate(RecordCreate, kw_only=True):
    """A request received from an authority; its rule gives the deadline."""

    authority_id: UUID
    rule: Annotated[str, RULE_ID]
    received_at: Annotated[datetime, INSTANT_IN]
    channel: Channel
    kind: RequestKind
    instrument: Instrument
    summary: Annotated[str, msgspec.Meta(max_length=4000)] = ""
    authority_reference: Annotated[str, msgspec.Meta(max_length=200, examples=["OF-2026-17"])] = ""
    legal_basis: Annotated[str, msgspec.Meta(max_length=4000, examples=["OSA 2023 s.100"])] = ""
    priority: Priority = Priority.NORMAL
    confidentiality: Confidentiality = Confidentiality.STANDARD
    tags: Annotated[
        list[str], msgspec.Meta(max_length=20, examples=[["csam", "urgent-review"]])
    ] = msgspec.field(default_factory=list)
    assignee: UUID | None = None
    response_language: Annotated[str, msgspec.Meta(examples=["en"])] = "en"
    dsa_basis: DsaBasis = DsaBasis.NONE
    emergency: bool = False
    tz: Annotated[str | None, msgspec.Meta(examples=["Europe/London"])] = None
    subdivision: Annotated[str | None, msgspec.Meta(examples=["SCT"])] = None


class RequestSummary(msgspec.Struct, kw_only=True):
    """A request as listed."""

    id: UUID
    reference: Annotated[str, REFERENCE]
    state: RequestState
    rule: Annotated[str, RULE_ID]
    jurisdiction: str
    authority_id: UUID
    priority: Priority
    received_at: datetime
    due_at: datetime | None
    extended_due_at: datetime | None
    extension_taken: bool
    assignee: UUID | None
    version: int

    @classmethod
    def from_domain(cls, reg_request: RegulatoryRequest) -> RequestSummary:
        """Shape a ``RegulatoryRequest`` for a list."""
        return cls(
            id=reg_request.id,
            reference=reg_request.reference,
            state=reg_request.state,
            rule=reg_request.rule_id,
            jurisdiction=reg_request.jurisdiction,
            authority_id=reg_request.authority_id,
            priority=reg_request.priority,
            received_at=reg_request.received_at,
            due_at=reg_request.due_at,
            extended_due_at=reg_request.extended_due_at,
            extension_taken=reg_request.extension_taken,
            assignee=reg_request.assignee,
            version=reg_request.version,
        )


class RequestList(msgspec.Struct, kw_only=True):
    """A page of requests, soonest binding deadline first; pass ``next_cursor`` for the next."""

    items: list[RequestSummary]
    next_cursor: str | None


class RequestRead(RecordRead, kw_only=True):
    """A request with its deadlines, report fields and the steps the caller may take next."""

    id: UUID
    reference: Annotated[str, REFERENCE]
    version: int
    state: RequestState
    available_actions: list[RequestAction]
    authority_id: UUID
    rule: Annotated[str, RULE_ID]
    jurisdiction: str
    tz: str
    subdivision: str | None
    channel: Channel
    received_at: datetime
    authority_reference: str
    legal_basis: str
    summary: str
    priority: Priority
    confidentiality: Confidentiality
    tags: list[str]
    assignee: UUID | None
    response_language: str
    kind: RequestKind
    dsa_basis: DsaBasis
    instrument: Instrument
    emergency: bool
    due_at: datetime | None
    due_date: date | None
    extended_due_at: datetime | None
    extended_due_date: date | None
    extension_notice_due_at: datetime | None
    extension_taken: bool
    extension_reason: str
    extension_notified_on: date | None
    acknowledgement_due_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_domain(
        cls, reg_request: RegulatoryRequest, actions: list[RequestAction]
    ) -> RequestRead:
        """Shape a ``RegulatoryRequest`` and the actions open to the caller."""
        r = reg_request
        return cls(
            id=r.id,
            reference=r.reference,
            version=r.version,
            state=r.state,
            available_actions=actions,
            authority_id=r.authority_id,
            rule=r.rule_id,
            jurisdiction=r.jurisdiction,
            tz=r.tz,
            subdivision=r.subdivision,
            channel=r.channel,
            received_at=r.received_at,
            authority_reference=r.authority_reference,
            legal_basis=r.legal_basis,
            summary=r.summary,
            priority=r.priority,
            confidentiality=r.confidentiality,
            tags=list(r.tags),
            assignee=r.assignee,
            response_language=r.response_language,
            kind=r.kind,
            dsa_basis=r.dsa_basis,
            instrument=r.instrument,
            emergency=r.emergency,
            due_at=r.due_at,
            due_date=r.due_date,
            extended_due_at=r.extended_due_at,
            extended_due_date=r.extended_due_date,
            extension_notice_due_at=r.extension_notice_due_at,
            extension_taken=r.extension_taken,
            extension_reason=r.extension_reason,
            extension_notified_on=r.extension_notified_on,
            acknowledgement_due_at=r.acknowledgement_due_at,
            created_at=r.created_at,
            updated_at=r.updated_at,
            **record_read_fields(r.record),  # type: ignore[arg-type]
        )


class TransitionCreate(Strict):
    """A workflow step on the version of the request the caller read."""

    expected_version: Annotated[int, VERSION]
    note: Annotated[str, NOTE] = ""


class ExtensionCreate(Strict):
    """Taking the rule's extension, after telling the authority."""

    expected_version: Annotated[int, VERSION]
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=4000, examples=["complex"])]
    notified_on: Annotated[date, msgspec.Meta(examples=["2026-03-20"])]


class AssignmentUpdate(Strict):
    """Who works on a request (null: nobody)."""

    expected_version: Annotated[int, VERSION]
    assignee: UUID | None
