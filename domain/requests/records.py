"""What is checked when a request is logged, and what the audit trail records of one."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final
from uuid import UUID

from audit.canonical import JsonValue
from domain.requests.clock_fields import (
    AuthorityDue,
    ClockEvents,
    parse_authority_due,
    parse_events,
)
from domain.requests.fields import (
    TIMESTAMP_FIELDS,
    ContentAction,
    DataOutcome,
    NoticeDecision,
    RequestRecord,
)
from domain.requests.flat import flat_values, plain
from domain.requests.model import (
    Channel,
    Confidentiality,
    DsaBasis,
    Instrument,
    Priority,
    RegulatoryRequest,
    RequestKind,
)
from domain.requests.plausibility import check_not_long_ago
from domain.shared.errors import DeadlineInputError, ValidationError

TAG: Final = re.compile(r"[a-z0-9][a-z0-9.:-]{0,39}")
LANGUAGE: Final = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
MAX_TAGS: Final = 20
TEXT_LIMITS: Final = {"authority_reference": 200, "legal_basis": 4000, "summary": 4000}
RECORD_TEXT_LIMITS: Final = {
    "service": 200,
    "dsa_category": 100,
    "dsa_subcategory": 100,
    "taxonomy_version": 20,
    "internal_reason": 4000,
    "notice_delay_order": 4000,
    "data_rejection_reason": 4000,
}
MAX_NAMED: Final = 1000
DATA_KINDS: Final = frozenset({RequestKind.USER_DATA, RequestKind.PRESERVATION})


@dataclass(frozen=True, slots=True, kw_only=True)
class NewRequest:
    """What a specialist supplies to log a request; the rule gives its deadline.

    Its fields, in this order and with the report fields in place of ``record``, are the
    editable fields: what PATCH accepts, what the CSV import reads, the export's editable
    columns (``edits.EDITABLE``). A field added here must also be one of ``RegulatoryRequest``.
    """

    authority_id: UUID
    rule_id: str
    received_at: datetime
    tz: str | None = None
    subdivision: str | None = None
    channel: Channel
    kind: RequestKind
    instrument: Instrument
    dsa_basis: DsaBasis = DsaBasis.NONE
    emergency: bool = False
    priority: Priority = Priority.NORMAL
    confidentiality: Confidentiality = Confidentiality.STANDARD
    authority_reference: str = ""
    legal_basis: str = ""
    summary: str = ""
    tags: tuple[str, ...] = ()
    assignee: UUID | None = None
    response_language: str = "en"
    events: ClockEvents = dataclasses.field(default_factory=dict)
    due_set_by_authority: AuthorityDue | None = None
    record: RequestRecord = dataclasses.field(default_factory=RequestRecord)


def normalize_tags(tags: tuple[str, ...]) -> tuple[str, ...]:
    """Tags lower-cased, de-duplicated and sorted.

    Raises:
        ValidationError: on ``tags`` for a tag that is not a plain word, or too many tags.
    """
    cleaned = sorted({tag.strip().lower() for tag in tags})
    if len(cleaned) > MAX_TAGS:
        raise ValidationError("tags", f"at most {MAX_TAGS} tags")
    for tag in cleaned:
        if not TAG.fullmatch(tag):
            raise ValidationError("tags", f"{tag!r} is not a-z, 0-9, '.', ':', '-' (max 40)")
    return tuple(cleaned)


def _check_received(received_at: datetime, *, now: datetime) -> None:
    if received_at > now:
        raise ValidationError("received_at", "is in the future")
    check_not_long_ago("received_at", received_at, now=now)


def check_new_request(new: NewRequest, *, now: datetime) -> None:
    """Refuse a request that cannot be logged as given.

    Raises:
        DeadlineInputError: on ``received_at`` when it is naive.
        ValidationError: naming the field that is in the future, too long or malformed.
    """
    if new.received_at.utcoffset() is None:
        raise DeadlineInputError("received_at", "has no UTC offset; give an aware ISO 8601 time")
    _check_received(new.received_at, now=now)
    for field, limit in TEXT_LIMITS.items():
        if len(getattr(new, field)) > limit:
            raise ValidationError(field, f"must be at most {limit} characters")
    if not LANGUAGE.fullmatch(new.response_language):
        raise ValidationError("response_language", "must be a BCP 47 tag such as 'de' or 'pt-BR'")
    check_record(new.record, kind=new.kind, now=now)


def _check_named(record: RequestRecord, kind: RequestKind) -> None:
    if len(record.identifiers) > MAX_NAMED:
        raise ValidationError("identifiers", f"at most {MAX_NAMED}")
    if len(record.content_items) > MAX_NAMED:
        raise ValidationError("content_items", f"at most {MAX_NAMED}")
    if any(len(i.value) > 500 for i in record.identifiers):  # noqa: PLR2004
        raise ValidationError("identifiers", "a value must be at most 500 characters")
    for item in record.content_items:
        if item.action is not None and kind in DATA_KINDS:
            raise ValidationError("content_items", f"no action on content for a {kind} request")
        if item.action not in {None, ContentAction.NONE} and item.basis is None:
            raise ValidationError("content_items", f"{item.ref}: say whether law or terms")
        if item.basis is not None and item.action is None:
            raise ValidationError("content_items", f"{item.ref}: a basis needs an action")


def _check_pairs(record: RequestRecord, kind: RequestKind) -> None:
    r = record
    if r.nondisclosure_expires_on is not None and not r.nondisclosure_order:
        raise ValidationError("nondisclosure_expires_on", "only with a non-disclosure order")
    delay = r.notice_decision is NoticeDecision.DELAY
    if delay and not r.notice_delay_order.strip():
        raise ValidationError("notice_delay_order", "name the order that forbids the notice")
    if not delay and (r.notice_delay_order or r.notice_delay_expires_on):
        raise ValidationError("notice_decision", "a delay order needs the decision 'delay'")
    if r.user_notified_at is not None and r.notice_decision is NoticeDecision.NOT_APPLICABLE:
        raise ValidationError("user_notified_at", "the notice decision is not_applicable")
    rejected = r.data_outcome is DataOutcome.REJECTED
    if rejected and not r.data_rejection_reason.strip():
        raise ValidationError("data_rejection_reason", "say why the request was rejected")
    if not rejected and r.data_rejection_reason:
        raise ValidationError("data_rejection_reason", "only for the outcome 'rejected'")
    if r.data_outcome is not None and kind is RequestKind.CONTENT_ACTION:
        raise ValidationError("data_outcome", "a content request's outcome is per item")
    if r.dsa_subcategory and not r.dsa_category:
        raise ValidationError("dsa_subcategory", "needs a category")
    if r.dsa_category and not r.taxonomy_version:
        raise ValidationError("taxonomy_version", "name the taxonomy version of the category")


def check_record(record: RequestRecord, *, kind: RequestKind, now: datetime) -> None:
    """Refuse report fields that contradict each other or the request's kind.

    Raises:
        ValidationError: naming the first field that is too long, naive, in the future, or
            missing its companion (a delay without its order, a rejection without its reason …).
    """
    for field, limit in RECORD_TEXT_LIMITS.items():
        if len(getattr(record, field)) > limit:
            raise ValidationError(field, f"must be at most {limit} characters")
    for field in TIMESTAMP_FIELDS:
        instant: datetime | None = getattr(record, field)
        if instant is not None and instant.utcoffset() is None:
            raise ValidationError(field, "must be timezone-aware")
        if instant is not None and instant > now:
            raise ValidationError(field, "is in the future")
    _check_named(record, kind)
    _check_pairs(record, kind)


NOT_RECORDED: Final = frozenset({"id", "created_at", "updated_at", "extension_notice_due_at"})
"""Fields the audit trail leaves out: the entry names the request and has its own time, and the
notice deadline of an extension was never recorded, so entries stay comparable across versions."""


def request_snapshot(reg_request: RegulatoryRequest) -> dict[str, JsonValue]:
    """What the audit trail records of a request: every other field, instants in ISO 8601."""
    return {
        name: plain(value)
        for name, value in flat_values(reg_request).items()
        if name not in NOT_RECORDED
    }


def given_fields(new: NewRequest) -> dict[str, object]:
    """The fields of the request ``new`` describes, by attribute, tidied.

    Free texts are stripped, tags normalized and the receipt, event and set times put in UTC
    (a set date without its source is refused), as for every request logged.
    """
    given = {f.name: getattr(new, f.name) for f in dataclasses.fields(new)}
    for name in TEXT_LIMITS:
        given[name] = str(given[name]).strip()
    given["tags"] = normalize_tags(new.tags)
    given["received_at"] = new.received_at.astimezone(UTC)
    given["events"] = parse_events("events", new.events)
    given["due_set_by_authority"] = parse_authority_due(
        "due_set_by_authority", new.due_set_by_authority
    )
    return given


def check_edited(reg_request: RegulatoryRequest, *, now: datetime) -> None:
    """Refuse an edited request that could not have been logged as it now stands.

    Raises:
        ValidationError: naming the field that is in the future, too long or malformed, or a
            report field that contradicts another (see ``check_record``).
    """
    _check_received(reg_request.received_at, now=now)
    for field, limit in TEXT_LIMITS.items():
        if len(getattr(reg_request, field)) > limit:
            raise ValidationError(field, f"must be at most {limit} characters")
    if not LANGUAGE.fullmatch(reg_request.response_language):
        raise ValidationError("response_language", "must be a BCP 47 tag such as 'de' or 'pt-BR'")
    check_record(reg_request.record, kind=reg_request.kind, now=now)
