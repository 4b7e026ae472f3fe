"""A request's own reminder offsets (``7d``, ``3d``, ``1d``, ``4h``), replacing its rule's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from audit.canonical import JsonValue
from domain.notifications import repo
from domain.notifications.reminders import (
    MAX_OFFSETS,
    format_offset,
    normalize_offsets,
    parse_offset,
)
from domain.requests import queries as requests
from domain.shared import audit_trail
from domain.shared.database import write_transaction
from domain.shared.errors import ValidationError
from domain.shared.model import Actor, AuditAction
from domain.shared.permissions import Permission, require
from jurisdictions.rulebook import RuleBook


@dataclass(frozen=True, slots=True)
class ReminderOffsets:
    """The offsets a request is reminded at, and whether they are its own or its rule's."""

    request_id: UUID
    offsets: tuple[timedelta, ...]
    own: bool


def parse_offsets(texts: list[str]) -> tuple[timedelta, ...]:
    """Distinct offsets, longest first.

    Raises:
        ValidationError: on a bad label or too many of them.
    """
    if len(texts) > MAX_OFFSETS:
        raise ValidationError("offsets", f"at most {MAX_OFFSETS} offsets")
    try:
        return normalize_offsets(parse_offset(t) for t in texts)
    except ValueError as exc:
        raise ValidationError("offsets", str(exc)) from None


async def get_offsets(request_id: UUID, book: RuleBook, *, actor: Actor) -> ReminderOffsets:
    """The offsets of a request: its own, else its rule's defaults.

    Raises:
        PermissionDeniedError: unless the actor may read requests.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
    """
    require(actor.role, Permission.REQUESTS_READ)
    reg_request = await requests.readable_request(request_id, actor=actor)
    own = await repo.own_offsets_of(request_id)
    if own is not None:
        return ReminderOffsets(request_id, own, own=True)
    rule = book.rule(reg_request.rule_id)
    return ReminderOffsets(request_id, normalize_offsets(rule.reminder_offsets), own=False)


def _labels(offsets: tuple[timedelta, ...] | None) -> JsonValue:
    return None if offsets is None else [format_offset(o) for o in offsets]


async def set_offsets(
    request_id: UUID, texts: list[str], *, actor: Actor, now: datetime
) -> ReminderOffsets:
    """Give a request its own reminder offsets (an empty list: no reminders before deadlines).

    Raises:
        PermissionDeniedError: unless the actor may work on requests.
        ValidationError: on a bad offset.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
    """
    require(actor.role, Permission.REQUESTS_WRITE)
    offsets = parse_offsets(texts)
    async with write_transaction():
        await requests.readable_request(request_id, actor=actor)
        before = await repo.own_offsets_of(request_id)
        await repo.save_own_offsets(request_id, offsets, now=now, first=before is None)
        await audit_trail.record(
            actor,
            AuditAction.REQUEST_REMINDERS_SET,
            subject_type="request",
            subject_id=str(request_id),
            before={"reminder_offsets": _labels(before)},
            after={"reminder_offsets": _labels(offsets)},
            now=now,
        )
    return ReminderOffsets(request_id, offsets, own=True)
