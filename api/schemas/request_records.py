"""Bodies for the report fields of a request (DESIGN "What a request records") and for editing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Final
from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType

from api.schemas.auth import Strict
from api.schemas.jurisdictions import INSTANT_IN, RULE_ID
from domain.requests.fields import (
    ActionBasis,
    ContentAction,
    DataOutcome,
    DataScope,
    IdentifierType,
    NoticeDecision,
    RequestRecord,
)
from domain.requests.model import (
    Channel,
    Confidentiality,
    DsaBasis,
    Instrument,
    Priority,
    RequestKind,
)

VERSION: Final = msgspec.Meta(
    ge=1, examples=[3], description="the version you read; a stale one is refused with 409"
)
SHORT: Final = msgspec.Meta(max_length=200)
LONG: Final = msgspec.Meta(max_length=4000)


class IdentifierBody(Strict):
    """An identifier a request names."""

    type: IdentifierType
    value: Annotated[str, msgspec.Meta(min_length=1, max_length=500, examples=["@example"])]


class ContentItemBody(Strict):
    """A content item a request names, by URL or id, and what was done to it."""

    ref: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    description: Annotated[str, LONG] = ""
    action: ContentAction | None = None
    basis: ActionBasis | None = None


class RecordRead(msgspec.Struct, kw_only=True):
    """The report fields of a request."""

    mlat: bool
    service: str
    nondisclosure_order: bool
    nondisclosure_expires_on: date | None
    data_scope: DataScope | None
    identifiers: list[IdentifierBody]
    content_items: list[ContentItemBody]
    dsa_category: str
    dsa_subcategory: str
    taxonomy_version: str
    internal_reason: str
    receipt_acknowledged_at: datetime | None
    effect_given_at: datetime | None
    authority_informed_at: datetime | None
    user_notified_at: datetime | None
    responded_at: datetime | None
    closed_at: datetime | None
    notice_decision: NoticeDecision | None
    notice_delay_order: str
    notice_delay_expires_on: date | None
    data_outcome: DataOutcome | None
    data_rejection_reason: str


def record_read_fields(record: RequestRecord) -> dict[str, object]:
    """The keyword arguments of ``RecordRead`` (and of structs extending it) for ``record``."""
    names = RecordRead.__struct_fields__
    values: dict[str, object] = {name: getattr(record, name) for name in names}
    values["identifiers"] = [IdentifierBody(type=i.type, value=i.value) for i in record.identifiers]
    values["content_items"] = [
        ContentItemBody(ref=c.ref, description=c.description, action=c.action, basis=c.basis)
        for c in record.content_items
    ]
    return values


class RecordCreate(Strict):
    """The report fields a new request may carry from the start (all optional)."""

    mlat: bool = False
    service: Annotated[str, SHORT] = ""
    nondisclosure_order: bool = False
    nondisclosure_expires_on: date | None = None
    data_scope: DataScope | None = None
    identifiers: list[IdentifierBody] = msgspec.field(default_factory=list)
    content_items: list[ContentItemBody] = msgspec.field(default_factory=list)
    dsa_category: Annotated[str, SHORT] = ""
    dsa_subcategory: Annotated[str, SHORT] = ""
    taxonomy_version: Annotated[str, SHORT] = ""
    internal_reason: Annotated[str, LONG] = ""
    receipt_acknowledged_at: datetime | None = None
    effect_given_at: datetime | None = None
    authority_informed_at: datetime | None = None
    user_notified_at: datetime | None = None
    responded_at: datetime | None = None
    closed_at: datetime | None = None
    notice_decision: NoticeDecision | None = None
    notice_delay_order: Annotated[str, LONG] = ""
    notice_delay_expires_on: date | None = None
    data_outcome: DataOutcome | None = None
    data_rejection_reason: Annotated[str, LONG] = ""

    def record_values(self) -> dict[str, object]:
        """The report fields as JSON builtins (what ``request_edits.record_from`` takes)."""
        given = {name: getattr(self, name) for name in RecordCreate.__struct_fields__}
        builtins: dict[str, object] = msgspec.to_builtins(given)
        return builtins


class RequestUpdate(Strict):
    """Changes to a request: only the fields given change.

    A new ``received_at``, ``rule``, ``tz`` or ``subdivision`` recomputes the deadlines.
    """

    expected_version: Annotated[int, VERSION]
    authority_id: UUID | UnsetType = UNSET
    rule: Annotated[str, RULE_ID] | UnsetType = UNSET
    received_at: Annotated[datetime, INSTANT_IN] | UnsetType = UNSET
    tz: str | UnsetType | None = UNSET
    subdivision: str | UnsetType | None = UNSET
    channel: Channel | UnsetType = UNSET
    kind: RequestKind | UnsetType = UNSET
    instrument: Instrument | UnsetType = UNSET
    dsa_basis: DsaBasis | UnsetType = UNSET
    emergency: bool | UnsetType = UNSET
    priority: Priority | UnsetType = UNSET
    confidentiality: Confidentiality | UnsetType = UNSET
    authority_reference: Annotated[str, SHORT] | UnsetType = UNSET
    legal_basis: Annotated[str, LONG] | UnsetType = UNSET
    summary: Annotated[str, LONG] | UnsetType = UNSET
    tags: Annotated[list[str], msgspec.Meta(max_length=20)] | UnsetType = UNSET
    assignee: UUID | UnsetType | None = UNSET
    response_language: str | UnsetType = UNSET
    mlat: bool | UnsetType = UNSET
    service: Annotated[str, SHORT] | UnsetType = UNSET
    nondisclosure_order: bool | UnsetType = UNSET
    nondisclosure_expires_on: date | UnsetType | None = UNSET
    data_scope: DataScope | UnsetType | None = UNSET
    identifiers: list[IdentifierBody] | UnsetType = UNSET
    content_items: list[ContentItemBody] | UnsetType = UNSET
    dsa_category: Annotated[str, SHORT] | UnsetType = UNSET
    dsa_subcategory: Annotated[str, SHORT] | UnsetType = UNSET
    taxonomy_version: Annotated[str, SHORT] | UnsetType = UNSET
    internal_reason: Annotated[str, LONG] | UnsetType = UNSET
    receipt_acknowledged_at: datetime | UnsetType | None = UNSET
    effect_given_at: datetime | UnsetType | None = UNSET
    authority_informed_at: datetime | UnsetType | None = UNSET
    user_notified_at: datetime | UnsetType | None = UNSET
    responded_at: datetime | UnsetType | None = UNSET
    closed_at: datetime | UnsetType | None = UNSET
    notice_decision: NoticeDecision | UnsetType | None = UNSET
    notice_delay_order: Annotated[str, LONG] | UnsetType = UNSET
    notice_delay_expires_on: date | UnsetType | None = UNSET
    data_outcome: DataOutcome | UnsetType | None = UNSET
    data_rejection_reason: Annotated[str, LONG] | UnsetType = UNSET

    def changes(self) -> dict[str, object]:
        """The fields given, as JSON builtins (what ``update_request`` takes)."""
        given = {
            name: getattr(self, name)
            for name in self.__struct_fields__
            if name != "expected_version" and getattr(self, name) is not UNSET
        }
        builtins: dict[str, object] = msgspec.to_builtins(given)
        return builtins
