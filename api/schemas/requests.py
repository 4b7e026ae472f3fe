"""Bodies of the authority and regulatory-request endpoints (msgspec Structs with examples)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Final
from uuid import UUID

import msgspec

from api.schemas.auth import Strict
from api.schemas.derived import StructField, with_fields
from api.schemas.jurisdictions import INSTANT_IN, RULE_ID
from api.schemas.request_records import REFERENCE, VERSION, create_field, read_field
from domain.requests.authorities import AddedAuthority
from domain.requests.edits import EDITABLE, record_from
from domain.requests.fields import RECORD_FIELDS
from domain.requests.flat import RENAMED, REQUEST_FIELDS, flat_values
from domain.requests.model import Authority, AuthorityType, Priority, RegulatoryRequest
from domain.requests.records import NewRequest
from domain.requests.sealing import Listed, SealedOutline
from domain.requests.workflow import RequestAction, RequestState

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
        return msgspec.convert(authority, cls, from_attributes=True)


class AuthorityCreated(AuthorityRead, kw_only=True):
    """A new authority, and the ones it likely duplicates (a warning: it was added)."""

    likely_duplicates: list[UUID]
    """Authorities of the same country whose name differs only in letter case and spaces."""
    warnings: list[str]

    @classmethod
    def from_added(cls, added: AddedAuthority) -> AuthorityCreated:
        """Shape an ``AddedAuthority``."""
        read = AuthorityRead.from_domain(added.authority)
        return cls(
            **msgspec.structs.asdict(read),
            likely_duplicates=[a.id for a in added.likely_duplicates],
            warnings=[
                f"likely a duplicate of {a.name!r} ({a.country}, {a.id}): the same name "
                "but for letter case and spaces"
                for a in added.likely_duplicates
            ],
        )


class AuthorityList(msgspec.Struct, kw_only=True):
    """Authorities, by country and name."""

    items: list[AuthorityRead]


class AuthorityUpdate(Strict):
    """An authority's fields, all replaced (as the directory shows them)."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=300, examples=["Ofcom"])]
    country: Annotated[str, msgspec.Meta(examples=["GB"], description="ISO 3166-1 alpha-2")]
    type: Annotated[AuthorityType, msgspec.Meta(examples=["regulator"])]
    contact: Annotated[str, msgspec.Meta(max_length=2000, examples=["osa@ofcom.org.uk"])]
    verified: Annotated[bool, msgspec.Meta(examples=[True])]


class AuthorityMerge(Strict):
    """Which authority the duplicate in the path is merged into."""

    kept_id: Annotated[
        UUID,
        msgspec.Meta(
            examples=["5f0c2a7e-3b1d-4c8e-9a6f-2d4b8e1c7a90"],
            description="The authority kept; the duplicate's requests move to it",
        ),
    ]


class AuthorityMerged(msgspec.Struct, kw_only=True):
    """A merge done: the authority kept, the requests moved to it, the audit entry."""

    kept: AuthorityRead
    requests_moved: Annotated[list[str], msgspec.Meta(examples=[["REQ-2026-000042"]])]
    audit_entry: Annotated[int, msgspec.Meta(examples=[1234])]


# ---------------------------------------------------------------- requests
@with_fields([create_field(f) for f in EDITABLE], rename=RENAMED)
class RequestCreate(Strict):
    """A request received from an authority; its rule gives the deadline."""

    def new_request(self) -> NewRequest:
        """The domain's ``NewRequest``; report fields pass the edit codec, as in PATCH and CSV."""
        values = msgspec.structs.asdict(self)
        record = {name: values.pop(name) for name in RECORD_FIELDS}
        values["record"] = record_from(msgspec.to_builtins(record))
        return msgspec.convert(values, NewRequest, from_attributes=True)


class RequestSummary(msgspec.Struct, kw_only=True, rename=RENAMED):
    """A request as listed.

    A sealed request that the caller may not read (only its assignee, Legal and admins may) is
    listed with ``redacted: true``: its id, reference, state and deadlines, every other field
    null.
    """

    id: UUID
    reference: Annotated[str, REFERENCE]
    state: RequestState
    rule_id: Annotated[str | None, RULE_ID]
    jurisdiction: str | None
    authority_id: UUID | None
    priority: Priority | None
    received_at: datetime | None
    due_at: Annotated[
        datetime | None,
        msgspec.Meta(description="the deadline in force: the extended one once it is taken"),
    ]
    statutory_due_at: Annotated[
        datetime | None, msgspec.Meta(description="the deadline before any extension")
    ]
    extended_due_at: datetime | None
    extension_taken: bool
    assignee: UUID | None
    version: int | None
    redacted: Annotated[
        bool,
        msgspec.Meta(description="a sealed request the caller may not read: only its outline"),
    ] = False

    @classmethod
    def from_domain(cls, listed: Listed) -> RequestSummary:
        """Shape a ``RegulatoryRequest``, or a sealed request's outline, for a list."""
        if isinstance(listed, SealedOutline):
            return cls(
                id=listed.id,
                reference=listed.reference,
                state=listed.state,
                rule_id=None,
                jurisdiction=None,
                authority_id=None,
                priority=None,
                received_at=None,
                due_at=listed.due_at,
                statutory_due_at=listed.statutory_due_at,
                extended_due_at=listed.extended_due_at,
                extension_taken=listed.extension_taken,
                assignee=None,
                version=None,
                redacted=True,
            )
        return msgspec.convert(listed, cls, from_attributes=True)


class RequestList(msgspec.Struct, kw_only=True):
    """A page of requests, soonest binding deadline first; pass ``next_cursor`` for the next."""

    items: list[RequestSummary]
    next_cursor: str | None


def _read_fields() -> list[StructField]:
    # The report fields first and the caller's next steps after the state: the order of the
    # answer since its first version.
    fields = sorted(REQUEST_FIELDS, key=lambda f: not f.in_record)
    listed = [read_field(f) for f in fields]
    after_state = [f.name for f in fields].index("state") + 1
    listed.insert(after_state, ("available_actions", list[RequestAction]))
    return listed


@with_fields(_read_fields(), rename=RENAMED)
class RequestRead(msgspec.Struct, kw_only=True):
    """A request with its deadlines, report fields and the steps the caller may take next."""

    @classmethod
    def from_domain(
        cls, reg_request: RegulatoryRequest, actions: list[RequestAction]
    ) -> RequestRead:
        """Shape a ``RegulatoryRequest`` and the actions open to the caller."""
        values = flat_values(reg_request) | {"available_actions": actions}
        return msgspec.convert(values, cls, from_attributes=True)


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


class ClockEventsCreate(Strict):
    """Events the rule's clock reads, recorded as their own step; null removes one."""

    expected_version: Annotated[int, VERSION]
    events: Annotated[
        dict[str, Annotated[datetime | None, INSTANT_IN]],
        msgspec.Meta(
            examples=[{"aware": "2026-03-01T09:00:00Z"}],
            description="instants by the rule pack's event names (at least one; none is a 422); "
            "the events not named stay",
        ),
    ]
