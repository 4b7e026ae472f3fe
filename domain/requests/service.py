"""Use cases for regulatory requests: log, move through the workflow, extend, assign, read.

Every change runs in one write transaction: load, check the version the caller read, decide with
the pure workflow, recompute the deadline with the engine, save with the version bumped, and
append exactly one audit entry with the request before and after.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Final
from uuid import UUID
from zoneinfo import ZoneInfo

from audit.canonical import JsonValue
from domain import deadlines
from domain.identity import users
from domain.packages import queries as packages
from domain.requests import repo as requests_repo
from domain.requests.drafts import draft_request
from domain.requests.errors import (
    AuthorityNotFoundError,
    ClockStopRefusedError,
    ExtensionAlreadyTakenError,
    ExtensionNoticeLateError,
    NoExtensionError,
    PackageStepRequiredError,
)
from domain.requests.letter import StalePackage, stale_package
from domain.requests.model import AUDIT_ACTIONS, RegulatoryRequest, in_force
from domain.requests.plausibility import check_clock_dates
from domain.requests.queries import RequestPage, available_actions, get_request, list_requests
from domain.requests.records import NewRequest, request_snapshot
from domain.requests.repo import UNANSWERED_STATES, RequestFilters
from domain.requests.rule_fields import with_deadline
from domain.requests.sealing import check_readable
from domain.requests.workflow import (
    CLOCK_STOPPED_STATES,
    PACKAGE_STEPS,
    REQUEST_WORKFLOW,
    RequestAction,
    RequestState,
)
from domain.shared import audit_trail
from domain.shared.database import write_transaction
from domain.shared.errors import InvalidTransitionError, StaleVersionError, ValidationError
from domain.shared.model import Actor, AuditAction, Role
from domain.shared.permissions import Permission, require

__all__ = [
    "NewRequest",
    "RequestFilters",
    "RequestPage",
    "available_actions",
    "get_request",
    "list_requests",
]

ASSIGNABLE_ROLES: Final = frozenset({Role.ADMIN, Role.SPECIALIST, Role.LEGAL})


async def _check_refs(authority_id: UUID, assignee: UUID | None) -> None:
    try:
        await requests_repo.get_authority(authority_id)
    except AuthorityNotFoundError:
        raise ValidationError("authority_id", f"no authority {authority_id}") from None
    if assignee is None:
        return
    user = await users.find_user(assignee)
    if user is None:
        raise ValidationError("assignee", f"no user {assignee}")
    if not user.is_active or user.role not in ASSIGNABLE_ROLES:
        raise ValidationError("assignee", f"user {assignee} cannot work on requests")


async def _record(
    actor: Actor,
    action: AuditAction,
    before: RegulatoryRequest | None,
    after: RegulatoryRequest,
    *,
    now: datetime,
    note: str = "",
    stale: StalePackage | None = None,
) -> None:
    recorded: dict[str, JsonValue] = request_snapshot(after)
    if note:
        recorded["note"] = note
    if stale is not None:
        recorded["package_stale"] = stale.recorded()
    await audit_trail.record(
        actor,
        action,
        subject_type="request",
        subject_id=str(after.id),
        before=None if before is None else request_snapshot(before),
        after=recorded,
        now=now,
    )


async def log_request(
    book: deadlines.RuleBook, new: NewRequest, *, actor: Actor, now: datetime
) -> RegulatoryRequest:
    """Log a request received from an authority; its rule gives it a deadline.

    Raises:
        PermissionDeniedError: unless the actor may write requests.
        DeadlineInputError: naive ``received_at``, unknown ``tz`` or ``subdivision``, a missing
            event the rule's clock starts on.
        ValidationError: naming the field that breaks a rule (unknown ``rule``, authority or
            assignee, an event the rule does not read, an implausible date …).
    """
    require(actor.role, Permission.REQUESTS_WRITE)
    draft = draft_request(book, new, actor=actor, now=now)
    async with write_transaction():
        await _check_refs(new.authority_id, new.assignee)
        reference = await requests_repo.allocate_reference(now.astimezone(UTC).year)
        logged = await requests_repo.insert_request(replace(draft, reference=reference))
        await _record(actor, AuditAction.REQUEST_LOGGED, None, logged, now=now)
    return logged


async def _load(request_id: UUID, expected_version: int, actor: Actor) -> RegulatoryRequest:
    current = check_readable(actor, await requests_repo.get_request(request_id))
    if current.version != expected_version:
        raise StaleVersionError(request_id, expected_version, current.version)
    return current


async def _save(
    current: RegulatoryRequest, changed: RegulatoryRequest, now: datetime
) -> RegulatoryRequest:
    bumped = replace(changed, version=current.version + 1, updated_at=now)
    if not await requests_repo.update_request(bumped, expected_version=current.version):
        latest = await requests_repo.get_request(current.id)
        raise StaleVersionError(current.id, current.version, latest.version)
    return await requests_repo.get_request(current.id)


async def _commit(
    actor: Actor,
    action: AuditAction,
    current: RegulatoryRequest,
    changed: RegulatoryRequest,
    *,
    now: datetime,
    note: str = "",
) -> RegulatoryRequest:
    """Save ``changed`` over ``current`` and append the change's one audit entry.

    A change of anything the response letter prints makes the package's built versions stale
    and takes a request under review back to drafting, in this same save and entry.
    """
    changed, stale = await stale_package(current, changed)
    saved = await _save(current, changed, now)
    await _record(actor, action, current, saved, now=now, note=note, stale=stale)
    return saved


async def transition(
    book: deadlines.RuleBook,
    request_id: UUID,
    action: RequestAction,
    *,
    expected_version: int,
    note: str = "",
    actor: Actor,
    now: datetime,
) -> RegulatoryRequest:
    """Take one workflow step; asking for clarification stops the clock, receiving it restarts it.

    Raises:
        PermissionDeniedError: unless the actor may write requests.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
        StaleVersionError: the request is no longer at ``expected_version``.
        InvalidTransitionError: the step is not possible in the request's state.
        TransitionNotPermittedError: it is, but not for the actor's role.
        ClockStopRefusedError: clarification asked under a rule whose clock cannot stop.
        PackageStepRequiredError: review, approval and sending of a request with a response
            package go through the package's steps (four-eyes on the exact version).
    """
    require(actor.role, Permission.REQUESTS_WRITE)
    async with write_transaction():
        current = await _load(request_id, expected_version, actor)
        to = REQUEST_WORKFLOW.next_state(current.state, action, actor.role)
        if action in PACKAGE_STEPS and await packages.has_response_draft(request_id):
            raise PackageStepRequiredError(action.value)
        stopping = to in CLOCK_STOPPED_STATES and current.state not in CLOCK_STOPPED_STATES
        if stopping:
            if not deadlines.get_rule(book, current.rule_id, actor=actor).stops.allowed:
                raise ClockStopRefusedError(request_id, current.rule_id)
            await requests_repo.start_pause(request_id, now)
        elif current.state in CLOCK_STOPPED_STATES and to not in CLOCK_STOPPED_STATES:
            await requests_repo.end_pause(request_id, now)
        pauses = await requests_repo.list_pauses(request_id)
        changed = with_deadline(book, moved_to(current, to, now=now), pauses, actor)
        saved = await _commit(
            actor, AUDIT_ACTIONS[action], current, changed, now=now, note=note.strip()
        )
    return saved


def _local_day(instant: datetime, tz: str) -> date:
    return instant.astimezone(ZoneInfo(tz)).date()


async def take_extension(
    book: deadlines.RuleBook,
    request_id: UUID,
    *,
    expected_version: int,
    reason: str,
    notified_on: date,
    actor: Actor,
    now: datetime,
) -> RegulatoryRequest:
    """Take the rule's extension, having told the authority on ``notified_on``.

    Raises:
        PermissionDeniedError: unless the actor may write requests.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
        StaleVersionError: the request is no longer at ``expected_version``.
        ValidationError: an empty reason, or ``notified_on`` in the future.
        InvalidTransitionError: the request is answered or finished.
        NoExtensionError: the rule has no extension.
        ExtensionAlreadyTakenError: it was taken before.
        ExtensionNoticeLateError: ``notified_on`` is after the rule's notice deadline.
    """
    require(actor.role, Permission.REQUESTS_WRITE)
    reason = reason.strip()
    if not reason:
        raise ValidationError("reason", "must say why the extension is needed")
    async with write_transaction():
        current = await _load(request_id, expected_version, actor)
        if current.state not in UNANSWERED_STATES:
            raise InvalidTransitionError("request", current.state, "take_extension")
        if deadlines.get_rule(book, current.rule_id, actor=actor).extension is None:
            raise NoExtensionError(request_id, current.rule_id)
        if current.extension_taken:
            raise ExtensionAlreadyTakenError(request_id)
        if notified_on > _local_day(now, current.tz):
            raise ValidationError("notified_on", "is in the future")
        notice_due = current.extension_notice_due_at
        if notice_due is not None and notified_on > _local_day(notice_due, current.tz):
            raise ExtensionNoticeLateError(notified_on, _local_day(notice_due, current.tz))
        changed = in_force(
            replace(
                current,
                extension_taken=True,
                extension_reason=reason,
                extension_notified_on=notified_on,
            )
        )
        check_clock_dates(changed, await requests_repo.list_pauses(request_id), now=now)
        saved = await _commit(actor, AuditAction.REQUEST_EXTENDED, current, changed, now=now)
    return saved


async def assign(
    request_id: UUID,
    *,
    expected_version: int,
    assignee: UUID | None,
    actor: Actor,
    now: datetime,
) -> RegulatoryRequest:
    """Give a request to a specialist, lawyer or admin (None: to nobody).

    Raises:
        PermissionDeniedError: unless the actor may write requests.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
        StaleVersionError: the request is no longer at ``expected_version``.
        ValidationError: on ``assignee`` when no active user of a casework role has that id.
    """
    require(actor.role, Permission.REQUESTS_WRITE)
    async with write_transaction():
        current = await _load(request_id, expected_version, actor)
        await _check_refs(current.authority_id, assignee)
        changed = replace(current, assignee=assignee)
        saved = await _commit(actor, AuditAction.REQUEST_ASSIGNED, current, changed, now=now)
    return saved


async def assign_many(
    versions: Mapping[UUID, int],
    *,
    assignee: UUID | None,
    actor: Actor,
    now: datetime,
) -> list[RegulatoryRequest]:
    """Give several requests (each at the version the caller read) to one person, all or none.

    One transaction, one audit entry per request.

    Raises:
        PermissionDeniedError: unless the actor may write requests.
        RequestNotFoundError: no such request.
        SealedRequestError: one is sealed and the actor is not among its readers.
        StaleVersionError: a request is no longer at its version (nothing is assigned then).
        ValidationError: on ``assignee`` when no active user of a casework role has that id.
    """
    require(actor.role, Permission.REQUESTS_WRITE)
    saved: list[RegulatoryRequest] = []
    async with write_transaction():
        for request_id, expected_version in versions.items():
            current = await _load(request_id, expected_version, actor)
            await _check_refs(current.authority_id, assignee)
            changed = replace(current, assignee=assignee)
            saved.append(
                await _commit(actor, AuditAction.REQUEST_ASSIGNED, current, changed, now=now)
            )
    return saved


def moved_to(current: RegulatoryRequest, to: RequestState, *, now: datetime) -> RegulatoryRequest:
    """``current`` in state ``to``; the response is sent at ``now`` unless recorded before."""
    moved = replace(current, state=to)
    if to is RequestState.SENT and current.record.responded_at is None:
        moved = replace(moved, record=replace(current.record, responded_at=now))
    return moved


async def move_along(
    current: RegulatoryRequest, to: RequestState, *, now: datetime
) -> RegulatoryRequest:
    """Move a request to ``to`` as one part of another aggregate's step (a package step).

    Runs inside the caller's write transaction and writes no audit entry: the caller has
    checked the actor's permission and the workflow step, and records the one entry of its
    step with the request's move in it (``request_state``).

    Raises:
        StaleVersionError: the request changed since ``current`` was read.
    """
    moved = replace(moved_to(current, to, now=now), version=current.version + 1, updated_at=now)
    if not await requests_repo.update_request(moved, expected_version=current.version):
        latest = await requests_repo.get_request(current.id)
        raise StaleVersionError(current.id, current.version, latest.version)
    return moved
