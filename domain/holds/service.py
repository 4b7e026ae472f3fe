"""Use cases that change legal holds: draft, issue, release (whole or in part).

Every change runs in one write transaction: load and check the version the caller read, decide
with the pure hold workflow, save the hold once with its version bumped, write the notice rows the
change calls for (for the scheduler to deliver), and append exactly one audit entry with the hold
before and after. Reads are in ``domain.holds.queries``, acknowledgements in
``domain.holds.notices``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Final
from uuid import UUID

from audit.canonical import JsonValue
from domain.holds import coverage_repo
from domain.holds import notice_plan as hold_notice_plan
from domain.holds import notices_repo as hold_notices_repo
from domain.holds import repo as holds_repo
from domain.holds import workflow as hold_workflow
from domain.holds.model import (
    CoveringHold,
    Custodian,
    DataSource,
    HoldState,
    LegalHold,
    parse_data_source,
)
from domain.holds.notice_plan import DEFAULT_HOLD_POLICY, HoldPolicy
from domain.holds.trail import record_hold_change
from domain.identity.users import normalize_email
from domain.requests import queries as requests_queries
from domain.requests.errors import RequestNotFoundError
from domain.requests.model import Instrument, RequestKind
from domain.shared import audit_trail
from domain.shared.database import write_transaction
from domain.shared.errors import StaleVersionError, ValidationError
from domain.shared.model import Actor, AuditAction
from domain.shared.permissions import Permission, require

MAX_QUESTIONS: Final = 20
MAX_REASON: Final = 2000


def _reason(reason: str) -> dict[str, JsonValue]:
    """The release's reason for its audit entry (none given: nothing recorded)."""
    if len(reason) > MAX_REASON:
        raise ValidationError("reason", f"at most {MAX_REASON} characters")
    return {"reason": reason.strip()} if reason.strip() else {}


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
    preservation_request_id: UUID | None = None
    """A preservation request (18 U.S.C. 2703(f)) whose period, renewals included, it follows."""
    questions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PartialRelease:
    """A hold after releasing one custodian or data source, and the active holds still on it."""

    hold: LegalHold
    still_covered_by: list[CoveringHold]


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
    if len(new.questions) > MAX_QUESTIONS:
        raise ValidationError("questions", f"at most {MAX_QUESTIONS} questions")
    return tuple(custodians.values()), tuple(sources.values())


async def _preservation_sources(new: NewHold) -> tuple[NewHold, UUID | None]:
    """Check the preservation request named in ``new``, and let it fill in the rest.

    It joins the hold's requests, and its identifiers become the data sources
    (``TYPE:VALUE``, e.g. ``account:12345``) when none are given.
    """
    if new.preservation_request_id is None:
        return new, None
    try:
        found = await requests_queries.load_request(new.preservation_request_id)
    except RequestNotFoundError:
        raise ValidationError("preservation_request_id", "no such request") from None
    if (
        found.kind is not RequestKind.PRESERVATION
        and found.instrument is not Instrument.PRESERVATION_REQUEST
    ):
        raise ValidationError("preservation_request_id", "is not a preservation request")
    sources = new.data_sources or tuple(
        DataSource(system=i.type.value, identifier=i.value) for i in found.record.identifiers
    )
    return (
        replace(new, data_sources=sources, request_ids=(found.id, *new.request_ids)),
        found.id,
    )


async def create_hold(new: NewHold, *, actor: Actor, now: datetime) -> LegalHold:
    """Draft a hold on a matter, with its custodians, data sources, scope and notice.

    Raises:
        PermissionDeniedError: unless the actor may manage holds.
        ValidationError: naming the field that breaks a rule (also a preservation request
            that does not exist or is not one).
    """
    require(actor.role, Permission.HOLDS_MANAGE)
    new, preservation = await _preservation_sources(new)
    custodians, sources = _check_new(new)
    draft = LegalHold(
        id=uuid.uuid4(),
        version=1,
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
        preservation_request_id=preservation,
        questions=tuple(q.strip() for q in new.questions if q.strip()),
    )
    async with write_transaction():
        await holds_repo.insert_hold(draft)
        created = await holds_repo.get_hold(draft.id)
        await record_hold_change(actor, AuditAction.HOLD_CREATED, None, created, now=now)
    return created


async def _load(hold_id: UUID, expected_version: int) -> LegalHold:
    current = await holds_repo.get_hold(hold_id)
    if current.version != expected_version:
        raise StaleVersionError(hold_id, expected_version, current.version, kind="legal hold")
    return current


async def _save(current: LegalHold, changed: LegalHold) -> LegalHold:
    await holds_repo.save_hold(current, changed)
    return await holds_repo.get_hold(current.id)


async def issue_hold(
    hold_id: UUID,
    *,
    expected_version: int,
    actor: Actor,
    now: datetime,
    policy: HoldPolicy = DEFAULT_HOLD_POLICY,
) -> LegalHold:
    """Issue a draft hold: it preserves from now on, and each custodian's notice is queued.

    The notice rows (notice with its acknowledgement link, first reminder, escalation to the
    manager, first re-affirmation) are written in the same transaction. A hold without
    custodians has nobody to acknowledge and is active at once.

    Raises:
        PermissionDeniedError: unless the actor may manage holds.
        HoldNotFoundError: no such hold.
        StaleVersionError: the hold is no longer at ``expected_version``.
        InvalidTransitionError: the hold is not a draft.
        TransitionNotPermittedError: not for the actor's role.
    """
    require(actor.role, Permission.HOLDS_MANAGE)
    async with write_transaction():
        current = await _load(hold_id, expected_version)
        changed = await _save(current, hold_workflow.issue(current, role=actor.role, now=now))
        planned = hold_notice_plan.on_issue(changed, now, policy)
        await hold_notices_repo.insert_notices(hold_id, planned, now)
        extra: dict[str, JsonValue] = {"notices_queued": len(planned)}
        await record_hold_change(
            actor, AuditAction.HOLD_ISSUED, current, changed, now=now, extra=extra
        )
    return changed


async def release_hold(
    hold_id: UUID, *, expected_version: int, actor: Actor, now: datetime, reason: str = ""
) -> LegalHold:
    """Release a hold as a whole (other active holds keep preserving what they cover).

    Pending notices are cancelled and each custodian still held gets a release notice; the
    ``reason``, when given, is recorded in the audit entry.

    Raises:
        PermissionDeniedError: unless the actor may manage holds.
        ValidationError: ``reason`` too long.
        HoldNotFoundError: no such hold.
        StaleVersionError: the hold is no longer at ``expected_version``.
        InvalidTransitionError: the hold does not preserve (a draft, or released).
        TransitionNotPermittedError: not for the actor's role.
    """
    require(actor.role, Permission.HOLDS_MANAGE)
    noted = _reason(reason)
    async with write_transaction():
        current = await _load(hold_id, expected_version)
        changed = await _save(current, hold_workflow.release(current, role=actor.role, now=now))
        await hold_notices_repo.cancel_pending(hold_id, now)
        held = [c for c in current.custodians if c.is_held]
        await hold_notices_repo.insert_notices(hold_id, hold_notice_plan.on_release(held, now), now)
        await record_hold_change(
            actor, AuditAction.HOLD_RELEASED, current, changed, now=now, extra=noted
        )
    return changed


def _covering(found: list[CoveringHold], hold_id: UUID) -> list[CoveringHold]:
    return [c for c in found if c.id != hold_id]


def _covering_json(covering: list[CoveringHold]) -> list[JsonValue]:
    return [{"id": str(c.id), "matter": c.matter} for c in covering]


async def release_custodian(
    hold_id: UUID,
    email: str,
    *,
    expected_version: int,
    actor: Actor,
    now: datetime,
    reason: str = "",
) -> PartialRelease:
    """Release one custodian from a hold; say which other active holds still cover them.

    Their pending notices are cancelled and a release notice is queued. Releasing the last
    custodian or data source held releases the hold.

    Raises:
        PermissionDeniedError: unless the actor may manage holds.
        ValidationError: ``email`` is not an e-mail address, or ``reason`` too long.
        HoldNotFoundError: no such hold.
        StaleVersionError: the hold is no longer at ``expected_version``.
        InvalidTransitionError: the hold does not preserve.
        TransitionNotPermittedError: not for the actor's role.
        HoldItemNotFoundError: the hold names no such custodian.
        HoldItemReleasedError: the custodian was released from it already.
    """
    require(actor.role, Permission.HOLDS_MANAGE)
    noted = _reason(reason)
    email = normalize_email(email)
    async with write_transaction():
        current = await _load(hold_id, expected_version)
        released = hold_workflow.release_custodian(current, email, role=actor.role, now=now)
        changed = await _save(current, released)
        custodian = next(c for c in current.custodians if c.email == email)
        await hold_notices_repo.cancel_pending(hold_id, now, custodian_email=email)
        await hold_notices_repo.insert_notices(
            hold_id, hold_notice_plan.on_release([custodian], now), now
        )
        covering = _covering(await coverage_repo.holds_covering_custodian(email), hold_id)
        extra: dict[str, JsonValue] = {
            "released_custodian": email,
            "still_covered_by": _covering_json(covering),
            **noted,
        }
        await record_hold_change(
            actor, AuditAction.HOLD_CUSTODIAN_RELEASED, current, changed, now=now, extra=extra
        )
    return PartialRelease(changed, covering)


async def release_data_source(
    hold_id: UUID,
    data_source: str,
    *,
    expected_version: int,
    actor: Actor,
    now: datetime,
    reason: str = "",
) -> PartialRelease:
    """Release one data source (``SYSTEM:ID``) from an active hold; say who still covers it.

    Raises:
        PermissionDeniedError: unless the actor may manage holds.
        ValidationError: ``data_source`` is not ``SYSTEM:ID``, or ``reason`` too long.
        HoldNotFoundError: no such hold.
        StaleVersionError: the hold is no longer at ``expected_version``.
        InvalidTransitionError: the hold does not preserve.
        TransitionNotPermittedError: not for the actor's role.
        HoldItemNotFoundError: the hold names no such data source.
        HoldItemReleasedError: the data source was released from it already.
    """
    require(actor.role, Permission.HOLDS_MANAGE)
    noted = _reason(reason)
    system, identifier = _data_source(data_source)
    key = f"{system}:{identifier}"
    async with write_transaction():
        current = await _load(hold_id, expected_version)
        released = hold_workflow.release_data_source(current, key, role=actor.role, now=now)
        changed = await _save(current, released)
        found = await coverage_repo.holds_covering_data_source(system, identifier)
        covering = _covering(found, hold_id)
        extra: dict[str, JsonValue] = {
            "released_data_source": key,
            "still_covered_by": _covering_json(covering),
            **noted,
        }
        await record_hold_change(
            actor, AuditAction.HOLD_DATA_SOURCE_RELEASED, current, changed, now=now, extra=extra
        )
    return PartialRelease(changed, covering)
