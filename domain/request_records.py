"""What is checked when a request is logged, and what the audit trail records of one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final
from uuid import UUID

from audit.canonical import JsonValue
from domain.errors import DeadlineInputError, ValidationError
from domain.requests_model import (
    Channel,
    Confidentiality,
    DsaBasis,
    Instrument,
    Priority,
    RegulatoryRequest,
    RequestKind,
)

TAG: Final = re.compile(r"[a-z0-9][a-z0-9.:-]{0,39}")
LANGUAGE: Final = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
MAX_TAGS: Final = 20
TEXT_LIMITS: Final = {"authority_reference": 200, "legal_basis": 4000, "summary": 4000}


@dataclass(frozen=True, slots=True, kw_only=True)
class NewRequest:
    """What a specialist supplies to log a request; the rule gives its deadline."""

    authority_id: UUID
    rule_id: str
    received_at: datetime
    channel: Channel
    kind: RequestKind
    instrument: Instrument
    summary: str = ""
    authority_reference: str = ""
    legal_basis: str = ""
    priority: Priority = Priority.NORMAL
    confidentiality: Confidentiality = Confidentiality.STANDARD
    tags: tuple[str, ...] = ()
    assignee: UUID | None = None
    response_language: str = "en"
    dsa_basis: DsaBasis = DsaBasis.NONE
    emergency: bool = False
    tz: str | None = None
    subdivision: str | None = None


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


def check_new_request(new: NewRequest, *, now: datetime) -> None:
    """Refuse a request that cannot be logged as given.

    Raises:
        DeadlineInputError: on ``received_at`` when it is naive.
        ValidationError: naming the field that is in the future, too long or malformed.
    """
    if new.received_at.utcoffset() is None:
        raise DeadlineInputError("received_at", "has no UTC offset; give an aware ISO 8601 time")
    if new.received_at > now:
        raise ValidationError("received_at", "is in the future")
    for field, limit in TEXT_LIMITS.items():
        if len(getattr(new, field)) > limit:
            raise ValidationError(field, f"must be at most {limit} characters")
    if not LANGUAGE.fullmatch(new.response_language):
        raise ValidationError("response_language", "must be a BCP 47 tag such as 'de' or 'pt-BR'")


def _iso(value: datetime | date | None) -> str | None:
    return None if value is None else value.isoformat()


def request_snapshot(reg_request: RegulatoryRequest) -> dict[str, JsonValue]:
    """What the audit trail records of a request: every field, instants in ISO 8601."""
    return {
        "reference": reg_request.reference,
        "version": reg_request.version,
        "authority_id": str(reg_request.authority_id),
        "rule": reg_request.rule_id,
        "jurisdiction": reg_request.jurisdiction,
        "tz": reg_request.tz,
        "subdivision": reg_request.subdivision,
        "channel": reg_request.channel.value,
        "received_at": _iso(reg_request.received_at),
        "authority_reference": reg_request.authority_reference,
        "legal_basis": reg_request.legal_basis,
        "summary": reg_request.summary,
        "priority": reg_request.priority.value,
        "confidentiality": reg_request.confidentiality.value,
        "tags": list(reg_request.tags),
        "assignee": None if reg_request.assignee is None else str(reg_request.assignee),
        "response_language": reg_request.response_language,
        "kind": reg_request.kind.value,
        "dsa_basis": reg_request.dsa_basis.value,
        "instrument": reg_request.instrument.value,
        "emergency": reg_request.emergency,
        "state": reg_request.state.value,
        "due_at": _iso(reg_request.due_at),
        "due_date": _iso(reg_request.due_date),
        "extended_due_at": _iso(reg_request.extended_due_at),
        "extended_due_date": _iso(reg_request.extended_due_date),
        "extension_taken": reg_request.extension_taken,
        "extension_reason": reg_request.extension_reason,
        "extension_notified_on": _iso(reg_request.extension_notified_on),
    }
