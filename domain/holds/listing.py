"""The holds list: newest first, filtered, a page at a time after a keyset cursor."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeAlias
from uuid import UUID

from piccolo.columns.combination import WhereRaw
from piccolo.query.methods.select import Select

from domain.holds.model import HoldState, LegalHold
from domain.holds.repo import assemble
from domain.holds.tables import HoldCustodianTable, HoldTable

Key: TypeAlias = tuple[datetime, UUID]

ORDER_INDEX = "legal_hold_newest_order"
"""The ``(created_at, id)`` index a page is read from, newest first (see its migration)."""


def page_query(
    state: HoldState | None,
    *,
    limit: int,
    after: Key | None,
    matter: str | None = None,
    hold_ids: list[UUID] | None = None,
) -> Select[Any]:
    """The query of at most ``limit`` hold rows, newest first, after a cursor's key, filtered.

    A page resumes with one row-value comparison, ``(created_at, id) < (key, id)``, which both
    engines answer by seeking in the ``(created_at, id)`` index; the equivalent
    ``created_at < k OR (created_at = k AND id < i)`` made SQLite read and sort every hold
    after the cursor.
    """
    query = HoldTable.select()
    if state is not None:
        query = query.where(HoldTable.state == state.value)
    if matter:
        query = query.where(HoldTable.matter == matter)
    if hold_ids is not None:
        query = query.where(HoldTable.id.is_in(hold_ids))
    if after is not None:
        key, ident = after
        created = HoldTable.created_at._meta.get_full_name(with_alias=False)
        name = HoldTable.id._meta.get_full_name(with_alias=False)
        query = query.where(WhereRaw(f"({created}, {name}) < ({{}}, {{}})", key, ident))
    return query.order_by(HoldTable.created_at, HoldTable.id, ascending=False).limit(limit)


async def list_holds(
    state: HoldState | None,
    *,
    limit: int,
    after: Key | None,
    matter: str | None = None,
    custodian: str | None = None,
) -> list[LegalHold]:
    """At most ``limit`` holds, newest first, after a cursor's key, filtered."""
    hold_ids = None
    if custodian:
        held = HoldCustodianTable.select(HoldCustodianTable.hold_id).where(
            HoldCustodianTable.email == custodian
        )
        hold_ids = [r["hold_id"] for r in await held.run()]
        if not hold_ids:
            return []
    query = page_query(state, limit=limit, after=after, matter=matter, hold_ids=hold_ids)
    return await assemble(await query.run())
