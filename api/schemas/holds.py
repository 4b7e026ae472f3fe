"""Bodies of the legal-hold endpoints (msgspec Structs with examples)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Final
from uuid import UUID

import msgspec

from api.schemas.auth import EMAIL, Strict
from domain.holds.model import (
    CoveringHold,
    Custodian,
    DataSource,
    HoldNotice,
    HoldState,
    LegalHold,
    NoticeKind,
)
from domain.holds.workflow import HoldAction

MATTER: Final = msgspec.Meta(min_length=1, max_length=200, examples=["MAT-2026-017 Acme v. Roe"])
VERSION: Final = msgspec.Meta(
    ge=1,
    examples=[2],
    description="the version of the hold you read; a stale one is refused with 409",
)
REASON: Final = msgspec.Meta(
    max_length=2000,
    examples=["Matter settled; the court's preservation order was lifted."],
    description="why it is released; recorded in the audit log",
)
DATA_SOURCE: Final = msgspec.Meta(
    min_length=3,
    max_length=400,
    examples=["exchange:jane.roe@example.com"],
    description="SYSTEM:IDENTIFIER",
)


class CustodianCreate(Strict):
    """A person whose data the hold preserves."""

    email: Annotated[str, EMAIL]
    name: Annotated[str, msgspec.Meta(max_length=200, examples=["Jane Roe"])] = ""
    manager_email: Annotated[str, EMAIL] = ""


class DataSourceCreate(Strict):
    """A system and an identifier in it that the hold preserves."""

    system: Annotated[str, msgspec.Meta(min_length=1, max_length=100, examples=["exchange"])]
    identifier: Annotated[
        str, msgspec.Meta(min_length=1, max_length=300, examples=["jane.roe@example.com"])
    ]


class HoldCreate(Strict):
    """A new legal hold, drafted: issue it to make it preserve."""

    matter: Annotated[str, MATTER]
    title: Annotated[str, msgspec.Meta(max_length=300, examples=["Preserve Q1 trading"])] = ""
    custodians: list[CustodianCreate] = []
    data_sources: list[DataSourceCreate] = []
    request_ids: list[UUID] = []
    scope_start: date | None = None
    scope_end: date | None = None
    keywords: list[Annotated[str, msgspec.Meta(max_length=200)]] = []
    scope_description: Annotated[str, msgspec.Meta(max_length=4000)] = ""
    notice_text: Annotated[str, msgspec.Meta(max_length=20000)] = ""
    preservation_request_id: Annotated[
        UUID | None,
        msgspec.Meta(
            description="A preservation request (e.g. 18 U.S.C. 2703(f)): the hold follows its "
            "period and renewals; its identifiers become the data sources when none are given."
        ),
    ] = None
    questions: Annotated[
        list[Annotated[str, msgspec.Meta(min_length=1, max_length=500)]],
        msgspec.Meta(
            max_length=20,
            examples=[["Where else do you keep work files (USB drives, personal cloud)?"]],
        ),
    ] = []


class HoldIssue(Strict):
    """Issuing the draft hold at the version the caller read."""

    expected_version: Annotated[int, VERSION]


class HoldRelease(Strict):
    """Releasing the whole hold at the version the caller read."""

    expected_version: Annotated[int, VERSION]
    reason: Annotated[str, REASON] = ""


class CustodianRelease(Strict):
    """The custodian to release from the hold at the version the caller read."""

    expected_version: Annotated[int, VERSION]
    email: Annotated[str, EMAIL]
    reason: Annotated[str, REASON] = ""


class DataSourceRelease(Strict):
    """The data source to release from the hold at the version the caller read."""

    expected_version: Annotated[int, VERSION]
    data_source: Annotated[str, DATA_SOURCE]
    reason: Annotated[str, REASON] = ""


class AcknowledgementRead(msgspec.Struct, kw_only=True):
    """When and from where a custodian acknowledged, with their answers."""

    at: datetime
    address: str
    user_agent: str
    answers: dict[str, str]


class CustodianRead(msgspec.Struct, kw_only=True):
    """A custodian of a hold."""

    email: str
    name: str
    manager_email: str
    released_at: datetime | None
    acknowledged: bool
    acknowledgement: AcknowledgementRead | None

    @classmethod
    def from_domain(cls, custodian: Custodian) -> CustodianRead:
        """Shape a ``Custodian``."""
        ack = custodian.acknowledgement
        return cls(
            email=custodian.email,
            name=custodian.name,
            manager_email=custodian.manager_email,
            released_at=custodian.released_at,
            acknowledged=ack is not None,
            acknowledgement=None
            if ack is None
            else AcknowledgementRead(
                at=ack.at, address=ack.address, user_agent=ack.user_agent, answers=dict(ack.answers)
            ),
        )


class DataSourceRead(msgspec.Struct, kw_only=True):
    """A data source of a hold."""

    data_source: str
    system: str
    identifier: str
    released_at: datetime | None

    @classmethod
    def from_domain(cls, source: DataSource) -> DataSourceRead:
        """Shape a ``DataSource``."""
        return cls(
            data_source=source.key,
            system=source.system,
            identifier=source.identifier,
            released_at=source.released_at,
        )


class HoldRead(msgspec.Struct, kw_only=True):
    """A legal hold with its custodians, data sources, scope, notice and the caller's steps.

    Send ``version`` back as ``expected_version`` with the next step.
    """

    id: UUID
    version: int
    matter: str
    title: str
    state: HoldState
    request_ids: list[UUID]
    scope_start: date | None
    scope_end: date | None
    keywords: list[str]
    scope_description: str
    notice_text: str
    custodians: list[CustodianRead]
    data_sources: list[DataSourceRead]
    created_by: str
    created_at: datetime
    issued_at: datetime | None
    released_at: datetime | None
    preservation_request_id: UUID | None
    expires_at: datetime | None
    questions: list[str]
    available_actions: list[HoldAction]

    @classmethod
    def from_domain(cls, hold: LegalHold, actions: list[HoldAction]) -> HoldRead:
        """Shape a ``LegalHold`` with the steps open to the caller."""
        return cls(
            id=hold.id,
            version=hold.version,
            matter=hold.matter,
            title=hold.title,
            state=hold.state,
            request_ids=list(hold.request_ids),
            scope_start=hold.scope_start,
            scope_end=hold.scope_end,
            keywords=list(hold.keywords),
            scope_description=hold.scope_description,
            notice_text=hold.notice_text,
            custodians=[CustodianRead.from_domain(c) for c in hold.custodians],
            data_sources=[DataSourceRead.from_domain(d) for d in hold.data_sources],
            created_by=hold.created_by,
            created_at=hold.created_at,
            issued_at=hold.issued_at,
            released_at=hold.released_at,
            preservation_request_id=hold.preservation_request_id,
            expires_at=hold.expires_at,
            questions=list(hold.questions),
            available_actions=actions,
        )


class HoldNoticeRead(msgspec.Struct, kw_only=True):
    """A notice about a hold for the scheduler to deliver (or delivered, or cancelled)."""

    id: UUID
    kind: NoticeKind
    custodian_email: str
    recipient_email: str
    due_at: datetime
    expires_at: datetime | None
    delivered_at: datetime | None
    cancelled_at: datetime | None
    used_at: datetime | None

    @classmethod
    def from_domain(cls, notice: HoldNotice) -> HoldNoticeRead:
        """Shape a ``HoldNotice``."""
        return msgspec.convert(notice, cls, from_attributes=True)


class HoldList(msgspec.Struct, kw_only=True):
    """Holds, newest first, and the cursors of the next and the previous page.

    ``next_cursor`` is null on the last page, ``prev_cursor`` on the first (pass it as
    ``before``).
    """

    items: list[HoldRead]
    next_cursor: str | None
    prev_cursor: str | None = None


class CoveringHoldRead(msgspec.Struct, kw_only=True):
    """An active hold that preserves the item, and what of it matched (in normal form)."""

    id: UUID
    matter: str
    matched: Annotated[
        list[str],
        msgspec.Meta(
            examples=[["email:suspect@example.com"]],
            description="the hold's custodians (custodian:<e-mail>) or data sources "
            "(<system>:<identifier>) that matched, in the normal form compared",
        ),
    ] = []

    @classmethod
    def from_domain(cls, covering: CoveringHold) -> CoveringHoldRead:
        """Shape a ``CoveringHold``."""
        return msgspec.convert(covering, cls, from_attributes=True)


class PartialReleaseRead(msgspec.Struct, kw_only=True):
    """The hold after a partial release; ``preserved`` when other active holds still cover it."""

    hold: HoldRead
    preserved: bool
    still_covered_by: list[CoveringHoldRead]


class PreservationRead(msgspec.Struct, kw_only=True):
    """Whether the custodian or data source is under any active hold, and which.

    Both sides are compared in normal form: system names and identifiers in lower case (but
    for the systems of DOCKET_HOLD_CASE_SENSITIVE_SYSTEMS), e-mail domains IDNA-encoded,
    phone numbers as digits; ``checked`` says what the question became.
    """

    preserved: bool
    holds: list[CoveringHoldRead]
    checked: Annotated[
        list[str],
        msgspec.Meta(
            examples=[["email:suspect@example.com"]],
            description="what was asked, in the normal form compared "
            "(``email:SUSPECT@Example.com`` is checked as ``email:suspect@example.com``)",
        ),
    ] = []


class ReleaseCheckRead(msgspec.Struct, kw_only=True):
    """What releasing would leave behind, asked before the release (nothing changes).

    ``preservation_until``: the preservation request the hold follows (e.g. 18 U.S.C. 2703(f))
    still runs until then. ``still_covered_by``: other active holds keep preserving the items.
    """

    items: Annotated[
        list[str],
        msgspec.Meta(
            examples=[["custodian:jane.roe@example.com", "exchange:jane.roe@example.com"]],
            description="what would be released, in normal form",
        ),
    ]
    warn: bool
    preservation_until: datetime | None
    still_covered_by: list[CoveringHoldRead]
