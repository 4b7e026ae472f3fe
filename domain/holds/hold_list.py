"""The holds list's query: newest first, filtered, a keyset page either way from a cursor."""

from __future__ import annotations

from piccolo.columns.combination import WhereRaw
from piccolo.engine.postgres import PostgresEngine
from piccolo.query.methods.select import Select

from domain.holds.model import HoldState, LegalHold
from domain.holds.repo import Key, _assemble
from domain.holds.tables import HoldTable


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


def _filtered(
    state: HoldState | None, matter: str | None, custodian: str | None, q: str | None
) -> Select:  # type: ignore[type-arg]
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
    return query


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
    query = _filtered(state, matter, custodian, q)
    edge = before if before is not None else after
    if edge is not None:
        key, ident = edge
        if before is not None:
            beyond = (HoldTable.created_at > key) | (
                (HoldTable.created_at == key) & (HoldTable.id > ident)
            )
        else:
            beyond = (HoldTable.created_at < key) | (
                (HoldTable.created_at == key) & (HoldTable.id < ident)
            )
        query = query.where(beyond)
    newest_first = before is None
    rows = await (
        query.order_by(HoldTable.created_at, HoldTable.id, ascending=not newest_first)
        .limit(limit)
        .run()
    )
    found = await _assemble(rows)
    return found if newest_first else found[::-1]
