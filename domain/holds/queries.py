"""Reading legal holds: one, a page of them, and the preservation check for other systems.

Other aggregates read holds only through this module; its internal lookups (each says so)
check no permission.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final
from uuid import UUID

from domain.holds import coverage_repo
from domain.holds import listing as holds_listing
from domain.holds import repo as holds_repo
from domain.holds.identifiers import INCLUSIVE, IdentifierRules, normalized_source
from domain.holds.model import (
    PRESERVING_STATES,
    CoveringHold,
    HoldState,
    LegalHold,
    parse_data_source,
)
from domain.holds.tables import HoldTable
from domain.holds.workflow import HOLD_WORKFLOW, HoldAction
from domain.identity.users import normalize_email
from domain.shared.errors import ValidationError
from domain.shared.keyset import decode_cursor, encode_cursor
from domain.shared.model import Actor, Role
from domain.shared.permissions import Permission, require
from domain.shared.rows import as_uuid, aware, aware_or_none

MAX_PAGE: Final = 200


@dataclass(frozen=True, slots=True, kw_only=True)
class HoldReviewDates:
    """What a calendar shows of a preserving hold: when to review it (a read model)."""

    id: UUID
    matter: str
    issued_at: datetime | None
    preservation_request_id: UUID | None
    """The preservation request the hold follows: its deadline is when preservation ends."""


@dataclass(frozen=True, slots=True)
class HoldPage:
    """One page of holds, the cursor of the next (None: the last page) and of the previous."""

    items: list[LegalHold]
    next_cursor: str | None
    prev_cursor: str | None = None
    """None on the first page."""


def _key_of(hold: LegalHold) -> str:
    return encode_cursor(hold.created_at, hold.id)


def _data_source(value: str) -> tuple[str, str]:
    try:
        return parse_data_source(value)
    except ValueError as exc:
        raise ValidationError("data_source", str(exc)) from None


async def get_hold(hold_id: UUID, *, actor: Actor) -> LegalHold:
    """One hold with its custodians and data sources.

    Raises:
        PermissionDeniedError: unless the actor may read holds.
        HoldNotFoundError: no such hold.
    """
    require(actor.role, Permission.HOLDS_READ)
    return await holds_repo.get_hold(hold_id)


def available_actions(hold: LegalHold, role: Role) -> list[HoldAction]:
    """The steps ``role`` may take on ``hold`` now, from the hold workflow's table."""
    return HOLD_WORKFLOW.available_actions(hold.state, role)


async def list_holds(
    *,
    actor: Actor,
    state: HoldState | None = None,
    matter: str | None = None,
    custodian: str | None = None,
    q: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
    before: str | None = None,
) -> HoldPage:
    """Holds, newest first, a page at a time; filtered by state, matter, custodian e-mail or text.

    ``q`` finds the holds whose matter or title, or a custodian's address or name, contains it
    (letter case ignored). ``before`` (a page's ``prev_cursor``) asks for the page that ends
    just before it.

    Raises:
        PermissionDeniedError: unless the actor may read holds.
        ValidationError: a cursor this list did not hand out, or a limit out of range.
    """
    require(actor.role, Permission.HOLDS_READ)
    if not 0 < limit <= MAX_PAGE:
        raise ValidationError("limit", f"must be between 1 and {MAX_PAGE}")
    after = None if cursor is None else decode_cursor(cursor)
    until = None if before is None else decode_cursor(before)
    email = normalize_email(custodian) if custodian else None
    found = await holds_listing.list_holds(
        state,
        limit=limit + 1,
        after=after,
        before=until,
        matter=matter or None,
        custodian=email,
        q=q or None,
    )
    if until is not None:
        earlier = len(found) > limit
        items = found[1:] if earlier else found
        next_cursor = _key_of(items[-1]) if items else before
        return HoldPage(items, next_cursor, _key_of(items[0]) if earlier else None)
    items = found[:limit]
    next_cursor = _key_of(items[-1]) if len(found) > limit else None
    return HoldPage(items, next_cursor, _key_of(items[0]) if after is not None and items else None)


async def holds_from_request(request_id: UUID, *, actor: Actor) -> list[LegalHold]:
    """The holds created from a preservation request (they follow its period), oldest first.

    Raises:
        PermissionDeniedError: unless the actor may read holds.
    """
    require(actor.role, Permission.HOLDS_READ)
    return await holds_repo.holds_from_request(request_id)


async def check_preservation(
    custodian: str | None,
    data_source: str | None,
    *,
    actor: Actor,
    rules: IdentifierRules = INCLUSIVE,
) -> list[CoveringHold]:
    """The active holds that preserve a custodian (e-mail) or a data source (``SYSTEM:ID``).

    With both, the holds covering either, each with what of it matched in normal form. Both
    sides are compared in normal form (``identifiers``): letter case, an IDN domain's
    spelling or a phone number's spaces never make held data look free to delete. An empty
    list: nothing needs preserving.

    Raises:
        PermissionDeniedError: unless the actor may check preservation.
        ValidationError: neither given, or one malformed.
    """
    require(actor.role, Permission.HOLDS_CHECK)
    if not custodian and not data_source:
        raise ValidationError("custodian", "give a custodian e-mail or a data_source")
    found: dict[UUID, CoveringHold] = {}
    if custodian:
        for c in await coverage_repo.holds_covering_custodian(normalize_email(custodian)):
            found[c.id] = c
    if data_source:
        system, identifier = _data_source(data_source)
        for c in await coverage_repo.holds_covering_data_source(system, identifier, rules):
            before = found.get(c.id)
            found[c.id] = c if before is None else replace(c, matched=before.matched + c.matched)
    return list(found.values())


def asked_forms(
    custodian: str | None, data_source: str | None, *, rules: IdentifierRules = INCLUSIVE
) -> list[str]:
    """What the check compares, in normal form: ``custodian:<e-mail>``, ``<system>:<id>``.

    Raises:
        ValidationError: one malformed.
    """
    forms = [f"custodian:{normalize_email(custodian)}"] if custodian else []
    if data_source:
        forms.append(normalized_source(*_data_source(data_source), rules))
    return forms


async def preserving_holds() -> list[HoldReviewDates]:
    """Every hold that preserves something now, in one query.

    An internal lookup for the calendar feed (which checks who may see holds): no permission
    check.
    """
    rows = (
        await HoldTable.select(
            HoldTable.id, HoldTable.matter, HoldTable.issued_at, HoldTable.preservation_request_id
        )
        .where(HoldTable.state.is_in([state.value for state in PRESERVING_STATES]))
        .run()
    )
    return [
        HoldReviewDates(
            id=as_uuid(r["id"]),
            matter=str(r["matter"]),
            issued_at=aware_or_none(r["issued_at"]),
            preservation_request_id=(
                None
                if r["preservation_request_id"] is None
                else as_uuid(r["preservation_request_id"])
            ),
        )
        for r in rows
    ]


async def any_hold() -> bool:
    """Whether any hold exists (the demo seeds only a new database); no permission check."""
    return bool(await HoldTable.exists().run())


async def newest_hold_change() -> datetime | None:
    """When a hold was last created, issued or released, or None without holds.

    An internal lookup for the calendar feed's ``Last-Modified`` (what puts a hold's review
    dates into the feed or takes them out): no permission check.
    """
    found = []
    for column in (HoldTable.created_at, HoldTable.issued_at, HoldTable.released_at):
        query = HoldTable.select(column).where(column.is_not_null())
        row = await query.order_by(column, ascending=False).first().run()
        if row is not None:
            found.append(aware(row[column._meta.name]))
    return max(found, default=None)
