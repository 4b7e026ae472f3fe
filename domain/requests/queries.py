"""The read side of regulatory requests: one, a filtered page, the steps open to a role.

Other aggregates read requests only through this module: besides the use cases (which check
the actor's permission) it offers internal lookups for their services, which check nothing
themselves (each says so), and re-exports the deadline reads of ``due_dates``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final
from uuid import UUID

from domain import deadlines
from domain.deadlines import RuleNotFoundError
from domain.requests import listing as request_list
from domain.requests import repo as requests_repo
from domain.requests.due_dates import (
    DueWindow,
    IntakeCount,
    RunningDeadlines,
    assigned_due_between,
    assigned_unfinished,
    binding_due_dates,
    changed_after,
    deadline_candidates,
    intake_counts,
    secondary_candidates,
)
from domain.requests.files import Attachment, attachments_of
from domain.requests.model import Authority, RegulatoryRequest
from domain.requests.repo import UNANSWERED_STATES, RequestFilters, request_from_row
from domain.requests.rule_fields import request_deadline
from domain.requests.sealing import Listed, SealedOutline, as_seen_by, check_readable
from domain.requests.tables import RequestTable
from domain.requests.workflow import REQUEST_WORKFLOW, RequestAction
from domain.shared.errors import ValidationError
from domain.shared.model import Actor, Role
from domain.shared.permissions import Permission, has_permission, require
from domain.shared.rows import as_uuid, aware

__all__ = [
    "Attachment",
    "DueWindow",
    "IntakeCount",
    "Listed",
    "RequestPage",
    "RunningDeadlines",
    "SealedOutline",
    "assigned_due_between",
    "assigned_unfinished",
    "attachments_of",
    "available_actions",
    "binding_due_dates",
    "changed_after",
    "count_requests",
    "deadline_candidates",
    "explain_deadline",
    "export_requests",
    "extension_open",
    "find_request_id",
    "get_request",
    "has_requests",
    "intake_counts",
    "list_requests",
    "load_authority",
    "load_request",
    "load_requests",
    "readable_request",
    "secondary_candidates",
]

MAX_PAGE: Final = 200


@dataclass(frozen=True, slots=True)
class RequestPage:
    """One page of a list; ``next_cursor`` is None on the last, ``prev_cursor`` on the first.

    A sealed request the reader may not read is listed as its ``SealedOutline``.
    """

    items: list[Listed]
    next_cursor: str | None
    prev_cursor: str | None = None


async def get_request(request_id: UUID, *, actor: Actor) -> RegulatoryRequest:
    """One request.

    Raises:
        PermissionDeniedError: unless the actor may read requests.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
    """
    require(actor.role, Permission.REQUESTS_READ)
    return await readable_request(request_id, actor=actor)


async def readable_request(request_id: UUID, *, actor: Actor) -> RegulatoryRequest:
    """One request, if ``actor`` may read it in full (sealed ones: see ``sealing``).

    For every use case that reads or changes a request, its files, trail or package: they
    check their own permission and call this for the seal.

    Raises:
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
    """
    return check_readable(actor, await requests_repo.get_request(request_id))


async def list_requests(
    filters: RequestFilters,
    *,
    actor: Actor,
    now: datetime,
    limit: int = 50,
    cursor: str | None = None,
    before: str | None = None,
) -> RequestPage:
    """Requests matching ``filters`` in ``filters.sort`` order, a page at a time.

    The cursor holds the sort key and id of the last item, so a page never repeats or skips a
    request because others were logged meanwhile. ``before`` (a page's ``prev_cursor``) asks
    for the page that ends just before it.

    Raises:
        PermissionDeniedError: unless the actor may read requests.
        ValidationError: on ``limit``, ``due_within_days`` or ``cursor`` when out of range or
            not handed out by this list.
    """
    require(actor.role, Permission.REQUESTS_READ)
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError("limit", f"must be 1 to {MAX_PAGE}")
    if filters.due_within_days is not None and filters.due_within_days < 0:
        raise ValidationError("due_within_days", "must not be negative")
    if before is not None:
        return await _page_before(filters, actor=actor, now=now, limit=limit, before=before)
    after = None if cursor is None else request_list.decode_cursor(cursor, filters.sort)
    found = await request_list.query_requests(
        filters, now=now, limit=limit + 1, after=after, reader=actor
    )
    items = found[:limit]
    more = len(found) > limit
    next_cursor = request_list.encode_cursor(items[-1], filters.sort) if more else None
    prev_cursor = _first_of(items, filters) if after is not None else None
    return RequestPage(_seen(items, actor, now), next_cursor, prev_cursor)


def _seen(items: list[RegulatoryRequest], actor: Actor, now: datetime) -> list[Listed]:
    return [as_seen_by(actor, r, now) for r in items]


async def _page_before(
    filters: RequestFilters, *, actor: Actor, now: datetime, limit: int, before: str
) -> RequestPage:
    key = request_list.decode_cursor(before, filters.sort)
    found = await request_list.query_requests(
        filters, now=now, limit=limit + 1, after=None, before=key, reader=actor
    )
    items = found[-limit:]
    earlier = len(found) > limit
    next_cursor = request_list.encode_cursor(items[-1], filters.sort) if items else None
    prev_cursor = _first_of(items, filters) if earlier else None
    return RequestPage(_seen(items, actor, now), next_cursor, prev_cursor)


def _first_of(items: list[RegulatoryRequest], filters: RequestFilters) -> str | None:
    return request_list.encode_cursor(items[0], filters.sort) if items else None


async def count_requests(filters: RequestFilters, *, actor: Actor, now: datetime) -> int:
    """How many requests match ``filters``.

    Raises:
        PermissionDeniedError: unless the actor may read requests.
    """
    require(actor.role, Permission.REQUESTS_READ)
    return await request_list.count_requests(filters, now=now, reader=actor)


def export_requests(
    filters: RequestFilters, *, actor: Actor, now: datetime, page_size: int | None = None
) -> AsyncIterator[Listed]:
    """Every request matching ``filters``, in list order, read a page at a time as consumed.

    Sealed requests the actor may not read come as their outlines, as in the list.

    Raises:
        PermissionDeniedError: unless the actor may read requests (at the call, not on reading).
    """
    require(actor.role, Permission.REQUESTS_READ)
    return _every_page(filters, actor, now, page_size or MAX_PAGE)


async def _every_page(
    filters: RequestFilters, actor: Actor, now: datetime, page_size: int
) -> AsyncIterator[Listed]:
    after: request_list.Key | None = None
    while True:
        found = await request_list.query_requests(
            filters, now=now, limit=page_size, after=after, reader=actor
        )
        for reg_request in found:
            yield as_seen_by(actor, reg_request, now)
        if len(found) < page_size:
            return
        after = request_list.key_of(found[-1], filters.sort)


def available_actions(
    book: deadlines.RuleBook, reg_request: RegulatoryRequest, role: Role
) -> list[RequestAction]:
    """The steps ``role`` may take now; no clarification when the clock cannot stop."""
    actions = REQUEST_WORKFLOW.available_actions(reg_request.state, role)
    try:
        stops = book.rule(reg_request.rule_id).stops.allowed
    except RuleNotFoundError:  # a rule gone from the book: show the table's steps
        return actions
    return [a for a in actions if stops or a is not RequestAction.REQUEST_CLARIFICATION]


async def explain_deadline(
    book: deadlines.RuleBook, reg_request: RegulatoryRequest, *, actor: Actor
) -> deadlines.Deadline:
    """The request's deadline worked out again, with the cited steps that lead to it.

    The same computation that gave the request its due dates: its rule, receipt, zone,
    subdivision, events, the date the authority set (said to be set by the authority, in the
    document named) and clock stops (recording nothing).

    Raises:
        PermissionDeniedError: unless the actor may read requests.
        SealedRequestError: it is sealed and the actor is not among its readers.
        RuleNotFoundError: the request's rule is no longer in the rule book.
    """
    require(actor.role, Permission.REQUESTS_READ)
    check_readable(actor, reg_request)
    pauses = await requests_repo.list_pauses(reg_request.id)
    authority = await requests_repo.get_authority(reg_request.authority_id)
    return request_deadline(book, reg_request, pauses, actor, authority_name=authority.name)


def extension_open(book: deadlines.RuleBook, reg_request: RegulatoryRequest, role: Role) -> bool:
    """Whether ``role`` may take the request's extension now (its notice date aside)."""
    try:
        extension = book.rule(reg_request.rule_id).extension
    except RuleNotFoundError:
        return False
    return (
        has_permission(role, Permission.REQUESTS_WRITE)
        and extension is not None
        and not reg_request.extension_taken
        and reg_request.state in UNANSWERED_STATES
    )


# ---------------------------------------------------------------- lookups for other aggregates
async def load_request(request_id: UUID) -> RegulatoryRequest:
    """One request, for another aggregate's service (packages, holds, reminder offsets).

    An internal lookup: no permission check, the calling use case has made its own.

    Raises:
        RequestNotFoundError: no such request.
    """
    return await requests_repo.get_request(request_id)


async def load_requests(request_ids: Sequence[UUID]) -> dict[UUID, RegulatoryRequest]:
    """The requests with these ids that exist, by id, in one query.

    An internal lookup (no permission check): the calendar feed's preservation dates.
    """
    if not request_ids:
        return {}
    query = RequestTable.select().where(RequestTable.id.is_in(list(request_ids)))
    found = [request_from_row(r) for r in await query.run()]
    return {r.id: r for r in found}


async def load_authority(authority_id: UUID) -> Authority:
    """The authority a request came from, for a response package's cover letter.

    An internal lookup: no permission check.

    Raises:
        AuthorityNotFoundError: no such authority.
    """
    return await requests_repo.get_authority(authority_id)


async def find_request_id(reference: str) -> UUID | None:
    """The id of the request with this reference (``REQ-2026-000001``, any case), if any.

    An internal lookup: no permission check.
    """
    row = (
        await RequestTable.select(RequestTable.id)
        .where(RequestTable.reference == reference.strip().upper())
        .first()
        .run()
    )
    return None if row is None else as_uuid(row["id"])


async def has_requests() -> bool:
    """Whether any request was logged (the demo seeds only a new database); no permission check."""
    return bool(await RequestTable.exists().run())


async def newest_change() -> datetime | None:
    """When any request last changed, or None without requests.

    An internal lookup for the calendar feed's ``Last-Modified``: every change of a request
    (an assignment, a closure, a moved deadline) sets its ``updated_at``. No permission check.
    """
    t = RequestTable
    row = await t.select(t.updated_at).order_by(t.updated_at, ascending=False).first().run()
    return None if row is None else aware(row["updated_at"])
