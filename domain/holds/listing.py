"""The holds list: newest first, filtered, a keyset page either way from a cursor."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeAlias
from uuid import UUID

from piccolo.columns.combination import WhereRaw
from piccolo.engine.postgres import PostgresEngine
from piccolo.query.methods.select import Select

from domain.holds.model import HoldState, LegalHold
from domain.holds.repo import assemble
from domain.holds.tables import HoldTable

Key: TypeAlias = tuple[datetime, UUID]

ORDER_INDEX = "legal_hold_newest_order"
"""The ``(created_at, id)`` index a page is read from, newest first (see its migration)."""


def _like_escaped(text: str) -> str:
    """``text`` as a LIKE pattern that matches only itself: ``%`` and ``_`` are not wildcards."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _text_match(q: str) -> WhereRaw:
    """Holds whose matter or title, or one of whose custodians' address or name, contains ``q``.

    Letter case is ignored (ASCII letters only on SQLite, as its LIKE does).
    """
    like = "ILIKE" if isinstance(HoldTable._meta.db, PostgresEngine) else "LIKE"
    pattern = f"%{_like_escaped(q)}%"
    matches = f"{like} {{}} ESCAPE '\\'"  # the text is a parameter; LIKE or ILIKE is ours
    custodians = f"SELECT hold_id FROM legal_hold_custodian WHERE email {matches} OR name {matches}"  # noqa: S608
    return WhereRaw(
        # parenthesised: the other filters are ANDed to this OR
        f'("legal_hold"."matter" {matches} OR "legal_hold"."title" {matches}'
        f' OR "legal_hold"."id" IN ({custodians}))',
        pattern,
        pattern,
        pattern,
        pattern,
    )


def page_query(
    state: HoldState | None,
    *,
    limit: int,
    after: Key | None,
    before: Key | None = None,
    matter: str | None = None,
    custodian: str | None = None,
    q: str | None = None,
) -> Select[Any]:
    """At most ``limit`` hold rows after a cursor's key (newest first), or just before one.

    A page resumes with one row-value comparison, ``(created_at, id) < (key, id)`` (``>`` for
    the page before, read oldest first), which both engines answer by seeking in the
    ``(created_at, id)`` index; the equivalent ``created_at < k OR (created_at = k AND id < i)``
    made SQLite read and sort every hold after the cursor.
    """
    query = HoldTable.select()
    if state is not None:
        query = query.where(HoldTable.state == state.value)
    if matter:
        query = query.where(HoldTable.matter == matter)
    if custodian:
        query = query.where(
            WhereRaw(
                '"legal_hold"."id" IN (SELECT hold_id FROM legal_hold_custodian WHERE email = {})',
                custodian,
            )
        )
    if q:
        query = query.where(_text_match(q))
    edge = before if before is not None else after
    if edge is not None:
        key, ident = edge
        created = HoldTable.created_at._meta.get_full_name(with_alias=False)
        name = HoldTable.id._meta.get_full_name(with_alias=False)
        beyond = ">" if before is not None else "<"
        query = query.where(WhereRaw(f"({created}, {name}) {beyond} ({{}}, {{}})", key, ident))
    newest_first = before is None
    order = query.order_by(HoldTable.created_at, HoldTable.id, ascending=not newest_first)
    return order.limit(limit)


async def list_holds(
    state: HoldState | None,
    *,
    limit: int,
    after: Key | None,
    before: Key | None = None,
    matter: str | None = None,
    custodian: str | None = None,
    q: str | None = None,
) -> list[LegalHold]:
    """At most ``limit`` holds, newest first, filtered.

    Those after a cursor's key (the next page), or, with ``before``, the ``limit`` just before
    one (the previous page), still newest first.
    """
    query = page_query(
        state, limit=limit, after=after, before=before, matter=matter, custodian=custodian, q=q
    )
    found = await assemble(await query.run())
    return found if before is None else found[::-1]
