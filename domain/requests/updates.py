"""Use case: correct or complete the fields of a logged request (one versioned, audited change)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from uuid import UUID

from domain import deadlines
from domain.requests import repo as requests_repo
from domain.requests.edits import DEADLINE_FIELDS, apply_changes
from domain.requests.model import RegulatoryRequest
from domain.requests.plausibility import check_clock_dates
from domain.requests.records import check_edited
from domain.requests.rule_fields import known_rule, with_deadline
from domain.requests.service import _check_refs, _commit, _load
from domain.shared.database import write_transaction
from domain.shared.errors import ValidationError
from domain.shared.model import Actor, AuditAction
from domain.shared.permissions import Permission, require


async def edited(
    book: deadlines.RuleBook,
    current: RegulatoryRequest,
    changes: Mapping[str, object],
    *,
    actor: Actor,
    now: datetime,
) -> RegulatoryRequest:
    """``current`` with ``changes`` applied and checked, its deadlines recomputed; saves nothing.

    What ``update_request`` saves, and what the CSV import checks a row with.

    Raises:
        DeadlineInputError: an unknown ``tz`` or ``subdivision``.
        ValidationError: naming the field that is not editable, malformed or contradictory
            (an unknown ``rule`` too).
    """
    changed = apply_changes(current, changes)
    changed = replace(changed, received_at=changed.received_at.astimezone(UTC))
    check_edited(changed, now=now)
    if changed.rule_id != current.rule_id:  # spelt as the rule book does: ``de/…`` is ``DE/…``
        changed = replace(changed, rule_id=known_rule(book, changed.rule_id, actor=actor).id)
    if changed.rule_id != current.rule_id:
        rule = deadlines.get_rule(book, changed.rule_id, actor=actor)
        tz = changed.tz if "tz" in changes and changed.tz else rule.default_tz
        changed = replace(changed, jurisdiction=rule.jurisdiction, tz=tz)
    elif "tz" in changes and not changes["tz"]:
        tz = deadlines.get_rule(book, changed.rule_id, actor=actor).default_tz
        changed = replace(changed, tz=tz)
    if {"authority_id", "assignee"} & set(changes):
        await _check_refs(changed.authority_id, changed.assignee)
    pauses = await requests_repo.list_pauses(current.id)
    if DEADLINE_FIELDS & set(changes):
        changed = with_deadline(book, changed, pauses, actor)
    check_clock_dates(changed, pauses, now=now)
    return changed


async def update_request(
    book: deadlines.RuleBook,
    request_id: UUID,
    *,
    expected_version: int,
    changes: Mapping[str, object],
    actor: Actor,
    now: datetime,
) -> RegulatoryRequest:
    """Change any editable fields; a new receipt time, rule, zone or subdivision moves the deadline.

    ``changes`` maps field names (as in the API) to plain values (JSON builtins or CSV text).
    A change of a field the response letter prints (the authority, its reference, the legal
    basis, the receipt time, the due date …) makes every built package version stale, and takes
    a request in legal review or approved back to drafting, in the same audit entry
    (``package_stale``: the fields and the versions).

    Raises:
        PermissionDeniedError: unless the actor may write requests.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
        StaleVersionError: the request is no longer at ``expected_version``.
        DeadlineInputError: an unknown ``tz`` or ``subdivision``.
        ValidationError: naming the field that is not editable, malformed or contradictory
            (an unknown ``rule`` too).
    """
    require(actor.role, Permission.REQUESTS_WRITE)
    if not changes:
        raise ValidationError("changes", "name at least one field to change")
    async with write_transaction():
        current = await _load(request_id, expected_version, actor)
        changed = await edited(book, current, changes, actor=actor, now=now)
        saved = await _commit(actor, AuditAction.REQUEST_UPDATED, current, changed, now=now)
    return saved


async def record_clock_events(
    book: deadlines.RuleBook,
    request_id: UUID,
    *,
    expected_version: int,
    events: Mapping[str, object],
    actor: Actor,
    now: datetime,
) -> RegulatoryRequest:
    """Record events the rule's clock reads (``aware`` …) as one step, and move the deadlines.

    Each event given is set (null removes it); the others stay. The deadlines are computed
    again and saved with the request, so the reminder sweep reads the new ones as it reads
    an extension's; one audit entry records the events before and after.

    Raises:
        PermissionDeniedError: unless the actor may write requests.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
        StaleVersionError: the request is no longer at ``expected_version``.
        ValidationError: on ``events`` when none is given, or ``events.<name>`` for an event
            the rule does not read, malformed, naive, in the future or decades back.
    """
    require(actor.role, Permission.REQUESTS_WRITE)
    if not events:
        raise ValidationError("events", "name at least one event")
    async with write_transaction():
        current = await _load(request_id, expected_version, actor)
        merged: dict[str, object] = {**current.events, **events}
        given = {name: at for name, at in merged.items() if at is not None}
        changed = await edited(book, current, {"events": given}, actor=actor, now=now)
        saved = await _commit(
            actor, AuditAction.REQUEST_CLOCK_EVENTS_RECORDED, current, changed, now=now
        )
    return saved
