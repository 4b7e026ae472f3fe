"""Regulatory requests and the authorities that send them, as frozen values (pure).

The fields follow DESIGN "What a request records": enough to compute transparency reports
(EU DSA template, per-country tables) from Docket's records alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Final
from uuid import UUID

from domain.requests.clock_fields import AuthorityDue, ClockEvents
from domain.requests.fields import RequestRecord
from domain.requests.workflow import OPEN_STATES, RequestAction, RequestState
from domain.shared.model import AuditAction


class AuthorityType(StrEnum):
    """What kind of body issued a request (DSA transparency template vocabulary)."""

    REGULATOR = "regulator"
    COURT = "court"
    PROSECUTOR = "prosecutor"
    POLICE = "police"
    OTHER_EXECUTIVE = "other_executive"
    NATIONAL_SECURITY = "national_security"
    AGENCY = "agency"


class Channel(StrEnum):
    """How a request reached the platform."""

    PORTAL = "portal"
    EMAIL = "email"
    POST = "post"
    COURT_SERVICE = "court_service"


class Priority(StrEnum):
    """How urgently a request is worked on (independent of its deadline)."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Confidentiality(StrEnum):
    """Who may learn of a request: anyone on the team, fewer, or a sealed order's readers only."""

    STANDARD = "standard"
    RESTRICTED = "restricted"
    SEALED = "sealed"


class RequestKind(StrEnum):
    """What a request asks for."""

    CONTENT_ACTION = "content_action"
    USER_DATA = "user_data"
    PRESERVATION = "preservation"
    ACCOUNT_ACTION = "account_action"


class DsaBasis(StrEnum):
    """The DSA article an order rests on, if any (Reg. (EU) 2022/2065 Arts 9 and 10)."""

    ART9 = "art9"
    ART10 = "art10"
    NONE = "none"


class Instrument(StrEnum):
    """The legal instrument a request comes as."""

    SUBPOENA = "subpoena"
    WARRANT = "warrant"
    COURT_ORDER = "court_order"
    PRODUCTION_ORDER = "production_order"
    REMOVAL_ORDER = "removal_order"
    EMERGENCY_REQUEST = "emergency_request"
    PRESERVATION_REQUEST = "preservation_request"
    INFORMATION_REQUEST = "information_request"
    OTHER = "other"


AUDIT_ACTIONS: Final[Mapping[RequestAction, AuditAction]] = {
    RequestAction.TRIAGE: AuditAction.REQUEST_TRIAGED,
    RequestAction.START: AuditAction.REQUEST_STARTED,
    RequestAction.REQUEST_CLARIFICATION: AuditAction.REQUEST_CLOCK_PAUSED,
    RequestAction.RECEIVE_CLARIFICATION: AuditAction.REQUEST_CLOCK_RESUMED,
    RequestAction.START_DRAFTING: AuditAction.REQUEST_DRAFTING_STARTED,
    RequestAction.SUBMIT_FOR_REVIEW: AuditAction.REQUEST_SUBMITTED_FOR_REVIEW,
    RequestAction.APPROVE: AuditAction.REQUEST_APPROVED,
    RequestAction.SEND_BACK: AuditAction.REQUEST_SENT_BACK,
    RequestAction.REVISE: AuditAction.REQUEST_REVISED,
    RequestAction.SEND: AuditAction.REQUEST_SENT,
    RequestAction.CLOSE: AuditAction.REQUEST_CLOSED,
    RequestAction.REJECT: AuditAction.REQUEST_REJECTED,
    RequestAction.WITHDRAW: AuditAction.REQUEST_WITHDRAWN,
    RequestAction.REOPEN: AuditAction.REQUEST_REOPENED,
}
"""The audit action each workflow step is recorded as."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Authority:
    """A regulator, court or police force that sends requests."""

    id: UUID
    name: str
    country: str
    """ISO 3166-1 alpha-2 code, upper case (``EU`` for Union bodies)."""
    type: AuthorityType
    contact: str
    verified: bool
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ClockPause:
    """A stop of the statutory clock while clarification is awaited (``ended_at`` None: ongoing)."""

    started_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class RegulatoryRequest:
    """A request from an authority, with the deadline its rule gives it.

    A field added here (and as a column of ``RequestTable``) is stored, shown by the API,
    exported and recorded in the audit trail without being listed anywhere else (``flat.py``);
    it becomes editable once it is also a field of ``records.NewRequest``. The order of the
    fields is the order of the API's answer, after the report fields, and of the export's
    read-only columns.
    """

    id: UUID
    reference: str
    """``REQ-<year>-<6 digits>``: unique, never reused."""
    version: int
    state: RequestState
    authority_id: UUID
    rule_id: str
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
    tags: tuple[str, ...]
    assignee: UUID | None
    response_language: str
    kind: RequestKind
    dsa_basis: DsaBasis
    instrument: Instrument
    emergency: bool
    events: ClockEvents = field(default_factory=dict)
    """The events the rule's clock reads (``aware`` …), as recorded when logged or later."""
    due_set_by_authority: AuthorityDue | None = None
    """A due date the order or the authority set, with the document that sets it."""
    due_at: datetime | None
    """The deadline in force: the extended one once the extension is taken, else the statutory."""
    due_date: date | None
    statutory_due_at: datetime | None = None
    """The deadline the rule gives (or the authority set) before any extension."""
    statutory_due_date: date | None = None
    extended_due_at: datetime | None
    extended_due_date: date | None
    extension_notice_due_at: datetime | None
    extension_taken: bool
    extension_reason: str
    extension_notified_on: date | None
    acknowledgement_due_at: datetime | None = None
    """When receipt must be acknowledged, if the rule names an acknowledgement rule."""
    created_at: datetime
    updated_at: datetime
    record: RequestRecord = field(default_factory=RequestRecord)
    """The report fields (DESIGN "What a request records")."""

    @property
    def is_open(self) -> bool:
        """Whether work on the request goes on."""
        return self.state in OPEN_STATES

    @property
    def effective_due_at(self) -> datetime | None:
        """The deadline in force (``due_at``); kept for the readers written before it was."""
        return self.due_at


def in_force(reg_request: RegulatoryRequest) -> RegulatoryRequest:
    """``reg_request`` with ``due_at``/``due_date`` the deadline in force.

    The extended deadline once the extension is taken, else the statutory one: the one
    deadline every list, filter, reminder, letter and export reads.
    """
    at: datetime | None
    day: date | None
    if reg_request.extension_taken and reg_request.extended_due_at is not None:
        at, day = reg_request.extended_due_at, reg_request.extended_due_date
    else:
        at, day = reg_request.statutory_due_at, reg_request.statutory_due_date
    return replace(reg_request, due_at=at, due_date=day)


def format_reference(year: int, number: int) -> str:
    """``REQ-2026-000042`` for the 42nd request logged in 2026."""
    return f"REQ-{year:04d}-{number:06d}"


__all__ = [
    "AUDIT_ACTIONS",
    "Authority",
    "AuthorityType",
    "Channel",
    "ClockPause",
    "Confidentiality",
    "DsaBasis",
    "Instrument",
    "Priority",
    "RegulatoryRequest",
    "RequestKind",
    "RequestState",
    "format_reference",
    "in_force",
]


class RequestSort(StrEnum):
    """The orders a list can come in; ties are broken by id."""

    DUE = "due"
    """Soonest binding deadline first (the extended one once an extension is taken)."""
    RECEIVED = "received"
    """Newest received first."""
    REFERENCE = "reference"
    """By reference, REQ-2026-000001 first."""
