"""Use cases for legal holds: create, issue, release (whole or in part), read, check.

Every change runs in one write transaction: load, decide with the pure hold workflow, save, and
append exactly one audit entry with the hold before and after.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final
from uuid import UUID

from audit.canonical import JsonValue
from domain import audit_trail, holds_repo
from domain.database import write_transaction
from domain.errors import HoldItemNotFoundError, HoldItemReleasedError, ValidationError
from domain.hold_workflow import HoldAction, next_hold_state
from domain.holds_model import (
    CoveringHold,
    Custodian,
    DataSource,
    HoldState,
    LegalHold,
    parse_data_source,
)
from domain.model import Actor, AuditAction
from domain.permissions import Permission, require
from domain.services.users import normalize_email

MAX_PAGE: Final = 200


@dataclass(frozen=True, slots=True, kw_only=True)
class NewHold:
    """What Legal supplies to draft a hold."""

    matter: str
    title: str
    custodians: tuple[Custodian, ...] = ()
    data_sources: tuple[DataSource, ...] = ()
    request_ids: tuple[UUID, ...] = ()
    scope_start: date | None = None
    scope_end: date | None = None
    keywords: tuple[str, ...] = ()
    scope_description: str = ""
    notice_text: str = ""


@dataclass(frozen=True, slots=True)
class HoldPage:
    """One page of holds and the cursor of the next (None: the last page)."""

    items: list[LegalHold]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class PartialRelease:
    """A hold after releasing one custodian or data source, and the active holds still on it."""

    hold: LegalHold
    still_covered_by: list[CoveringHold]


def hold_snapshot(hold: LegalHold) -> dict[str, JsonValue]:
    """What the audit trail records of a hold."""
    return {
        "matter": hold.matter,
        "title": hold.title,
        "state": hold.state.value,
        "request_ids": [str(i) for i in hold.request_ids],
        "scope_start": None if hold.scope_start is None else hold.scope_start.isoformat(),
        "scope_end": None if hold.scope_end is None else hold.scope_end.isoformat(),
        "keywords": list(hold.keywords),
        "scope_description": hold.scope_description,
        "notice_text": hold.notice_text,
        "custodians": [
            {
                "email": c.email,
                "name": c.name,
                "manager_email": c.manager_email,
                "released": c.released_at is not None,
            }
            for c in hold.custodians
        ],
        "data_sources": [
            {"data_source": d.key, "released": d.released_at is not None} for d in hold.data_sources
        ],
    }


async def _record(
    actor: Actor,
    action: AuditAction,
    before: LegalHold | None,
    after: LegalHold,
    *,
    now: datetime,
    extra: dict[str, JsonValue] | None = None,
) -> None:
    recorded = hold_snapshot(after)
    recorded.update(extra or {})
    await audit_trail.record(
        actor,
        action,
        subject_type="legal_hold",
        subject_id=str(after.id),
        before=None if before is None else hold_snapshot(before),
        after=recorded,
        now=now,
    )


def _data_source(value: str, field: str = "data_source") -> tuple[str, str]:
    try:
        return parse_data_source(value)
    except ValueError as exc:
        raise ValidationError(field, str(exc)) from None


def _check_new(new: NewHold) -> tuple[tuple[Custodian, ...], tuple[DataSource, ...]]:
    if not new.matter.strip():
        raise ValidationError("matter", "must name the matter")
    if new.scope_start and new.scope_end and new.scope_end < new.scope_start:
        raise ValidationError("scope_end", "is before scope_start")
    custodians: dict[str, Custodian] = {}
    for c in new.custodians:
        email = normalize_email(c.email)
        manager = normalize_email(c.manager_email) if c.manager_email.strip() else ""
        custodians[email] = Custodian(email=email, name=c.name.strip(), manager_email=manager)
    sources: dict[str, DataSource] = {}
    for d in new.data_sources:
        system, identifier = _data_source(f"{d.system}:{d.identifier}", "data_sources")
        source = DataSource(system=system, identifier=identifier)
        sources[source.key] = source
    if not custodians and not sources:
        raise ValidationError("custodians", "a hold needs a custodian or a data source")
    return tuple(custodians.values()), tuple(sources.values())


async def create_hold(new: NewHold, *, actor: Actor, now: datetime) -> LegalHold:
    """Draft a hold on a matter, with its custodians, data sources, scope and notice.

    Raises:
        PermissionDeniedError: unless the actor may manage holds.
        ValidationError: naming the field that breaks a rule.
    """
    require(actor.role, Permission.HOLDS_MANAGE)
    custodians, sources = _check_new(new)
    draft = LegalHold(
        id=uuid.uuid4(),
        matter=new.matter.strip(),
        title=new.title.strip() or new.matter.strip(),
        state=HoldState.DRAFT,
        request_ids=tuple(dict.fromkeys(new.request_ids)),
        scope_start=new.scope_start,
        scope_end=new.scope_end,
        keywords=tuple(dict.fromkeys(k.strip() for k in new.keywords if k.strip())),
        scope_description=new.scope_description.strip(),
        notice_text=new.notice_text.strip(),
        custodians=custodians,
        data_sources=sources,
        created_by=audit_trail.actor_ref(actor),
        created_at=now,
    )
    async with write_transaction():
        await holds_repo.insert_hold(draft)
        created = await holds_repo.get_hold(draft.id)
        await _record(actor, AuditAction.HOLD_CREATED, None, created, now=now)
    return created


async def _step(
    hold_id: UUID, action: HoldAction, audit: AuditAction, *, actor: Actor, now: datetime
) -> LegalHold:
    require(actor.role, Permission.HOLDS_MANAGE)
    async with write_transaction():
        current = await holds_repo.get_hold(hold_id)
        to = next_hold_state(current.state, action, actor.role)
        await holds_repo.set_state(hold_id, to, now)
        changed = await holds_repo.get_hold(hold_id)
        await _record(actor, audit, current, changed, now=now)
    return changed


async def issue_hold(hold_id: UUID, *, actor: Actor, now: datetime) -> LegalHold:
    """Issue a draft hold: from now on it preserves its custodians and data sources.

    Raises:
        PermissionDeniedError: unless the actor may manage holds.
        HoldNotFoundError: no such hold.
        InvalidHoldTransitionError: the hold is not a draft.
        HoldTransitionNotPermittedError: not for the actor's role.
    """
    return await _step(hold_id, HoldAction.ISSUE, AuditAction.HOLD_ISSUED, actor=actor, now=now)


async def release_hold(hold_id: UUID, *, actor: Actor, now: datetime) -> LegalHold:
    """Release an active hold as a whole (other active holds keep preserving what they cover).

    Raises:
        PermissionDeniedError: unless the actor may manage holds.
        HoldNotFoundError: no such hold.
        InvalidHoldTransitionError: the hold is not active.
        HoldTransitionNotPermittedError: not for the actor's role.
    """
    return await _step(hold_id, HoldAction.RELEASE, AuditAction.HOLD_RELEASED, actor=actor, now=now)


def _covering(found: list[CoveringHold], hold_id: UUID) -> list[CoveringHold]:
    return [c for c in found if c.id != hold_id]


def _covering_json(covering: list[CoveringHold]) -> list[JsonValue]:
    return [{"id": str(c.id), "matter": c.matter} for c in covering]


async def release_custodian(
    hold_id: UUID, email: str, *, actor: Actor, now: datetime
) -> PartialRelease:
    """Release one custodian from an active hold; say which other active holds still cover them.

    Raises:
        PermissionDeniedError: unless the actor may manage holds.
        ValidationError: ``email`` is not an e-mail address.
        HoldNotFoundError: no such hold.
        HoldItemNotFoundError: the hold names no such custodian.
        HoldItemReleasedError: the custodian was released from it already.
        InvalidHoldTransitionError: the hold is not active.
        HoldTransitionNotPermittedError: not for the actor's role.
    """
    require(actor.role, Permission.HOLDS_MANAGE)
    email = normalize_email(email)
    async with write_transaction():
        current = await holds_repo.get_hold(hold_id)
        next_hold_state(current.state, HoldAction.RELEASE_CUSTODIAN, actor.role)
        custodian = next((c for c in current.custodians if c.email == email), None)
        if custodian is None:
            raise HoldItemNotFoundError("custodian", email)
        if not custodian.is_held:
            raise HoldItemReleasedError("custodian", email)
        await holds_repo.release_custodian(hold_id, email, now)
        changed = await holds_repo.get_hold(hold_id)
        covering = _covering(await holds_repo.holds_covering_custodian(email), hold_id)
        extra: dict[str, JsonValue] = {
            "released_custodian": email,
            "still_covered_by": _covering_json(covering),
        }
        await _record(
            actor, AuditAction.HOLD_CUSTODIAN_RELEASED, current, changed, now=now, extra=extra
        )
    return PartialRelease(changed, covering)


async def release_data_source(
    hold_id: UUID, data_source: str, *, actor: Actor, now: datetime
) -> PartialRelease:
    """Release one data source (``SYSTEM:ID``) from an active hold; say who still covers it.

    Raises:
        PermissionDeniedError: unless the actor may manage holds.
        ValidationError: ``data_source`` is not ``SYSTEM:ID``.
        HoldNotFoundError: no such hold.
        HoldItemNotFoundError: the hold names no such data source.
        HoldItemReleasedError: the data source was released from it already.
        InvalidHoldTransitionError: the hold is not active.
        HoldTransitionNotPermittedError: not for the actor's role.
    """
    require(actor.role, Permission.HOLDS_MANAGE)
    system, identifier = _data_source(data_source)
    key = f"{system}:{identifier}"
    async with write_transaction():
        current = await holds_repo.get_hold(hold_id)
        next_hold_state(current.state, HoldAction.RELEASE_DATA_SOURCE, actor.role)
        source = next((d for d in current.data_sources if d.key == key), None)
        if source is None:
            raise HoldItemNotFoundError("data source", key)
        if not source.is_held:
            raise HoldItemReleasedError("data source", key)
        await holds_repo.release_data_source(hold_id, system, identifier, now)
        changed = await holds_repo.get_hold(hold_id)
        found = await holds_repo.holds_covering_data_source(system, identifier)
        covering = _covering(found, hold_id)
        extra: dict[str, JsonValue] = {
            "released_data_source": key,
            "still_covered_by": _covering_json(covering),
        }
        await _record(
            actor, AuditAction.HOLD_DATA_SOURCE_RELEASED, current, changed, now=now, extra=extra
        )
    return PartialRelease(changed, covering)


async def get_hold(hold_id: UUID, *, actor: Actor) -> LegalHold:
    """One hold with its custodians and data sources.

    Raises:
        PermissionDeniedError: unless the actor may read holds.
        HoldNotFoundError: no such hold.
    """
    require(actor.role, Permission.HOLDS_READ)
    return await holds_repo.get_hold(hold_id)


async def list_holds(
    *, actor: Actor, state: HoldState | None = None, limit: int = 50, cursor: str | None = None
) -> HoldPage:
    """Holds, newest first, a page at a time.

    Raises:
        PermissionDeniedError: unless the actor may read holds.
        ValidationError: a cursor this list did not hand out, or a limit out of range.
    """
    require(actor.role, Permission.HOLDS_READ)
    if not 0 < limit <= MAX_PAGE:
        raise ValidationError("limit", f"must be between 1 and {MAX_PAGE}")
    after = None if cursor is None else holds_repo.decode_cursor(cursor)
    found = await holds_repo.list_holds(state, limit=limit + 1, after=after)
    items = found[:limit]
    more = len(found) > limit
    return HoldPage(items, holds_repo.encode_cursor(items[-1]) if more else None)


async def check_preservation(
    custodian: str | None, data_source: str | None, *, actor: Actor
) -> list[CoveringHold]:
    """The active holds that preserve a custodian (e-mail) or a data source (``SYSTEM:ID``).

    With both, the holds covering either. An empty list: nothing needs preserving.

    Raises:
        PermissionDeniedError: unless the actor may check preservation.
        ValidationError: neither given, or one malformed.
    """
    require(actor.role, Permission.HOLDS_CHECK)
    if not custodian and not data_source:
        raise ValidationError("custodian", "give a custodian e-mail or a data_source")
    found: dict[UUID, CoveringHold] = {}
    if custodian:
        for c in await holds_repo.holds_covering_custodian(normalize_email(custodian)):
            found[c.id] = c
    if data_source:
        system, identifier = _data_source(data_source)
        for c in await holds_repo.holds_covering_data_source(system, identifier):
            found[c.id] = c
    return list(found.values())
