"""The queries of the preservation check: which preserving holds cover a custodian or a source."""

from __future__ import annotations

from collections.abc import Iterable

from domain.holds.identifiers import INCLUSIVE, IdentifierRules, match_key, normalized_source
from domain.holds.model import PRESERVING_STATES, CoveringHold
from domain.holds.tables import HoldTable
from domain.shared.rows import Row, as_uuid

_PRESERVING = tuple(sorted(s.value for s in PRESERVING_STATES))
_COVERING_CUSTODIAN = (
    "SELECT h.id, h.matter FROM legal_hold h JOIN legal_hold_custodian c ON c.hold_id = h.id "
    "WHERE c.email = {} AND c.released_at IS NULL AND h.state IN ({}, {}, {}) "
    "ORDER BY h.created_at, h.id"
)
_COVERING_DATA_SOURCE = (
    "SELECT h.id, h.matter, d.system, d.identifier FROM legal_hold h "
    "JOIN legal_hold_data_source d ON d.hold_id = h.id "
    "WHERE d.match_key = {} AND d.released_at IS NULL "
    "AND h.state IN ({}, {}, {}) ORDER BY h.created_at, h.id"
)


def _covering(rows: Iterable[tuple[Row, str]]) -> list[CoveringHold]:
    found: dict[object, CoveringHold] = {}  # one per hold, in order, with all that matched
    for r, matched in rows:
        ident = as_uuid(r["id"])
        before = found.get(ident)
        kept = () if before is None else before.matched
        found[ident] = CoveringHold(ident, str(r["matter"]), (*kept, matched))
    return list(found.values())


async def holds_covering_custodian(email: str) -> list[CoveringHold]:
    """Preserving holds on which ``email`` (normalized) is a custodian not released."""
    rows = await HoldTable.raw(_COVERING_CUSTODIAN, email, *_PRESERVING).run()
    return _covering((r, f"custodian:{email}") for r in rows)


async def holds_covering_data_source(
    system: str, identifier: str, rules: IdentifierRules = INCLUSIVE
) -> list[CoveringHold]:
    """Preserving holds on which the data source, compared in normal form, is not released.

    The index on ``match_key`` finds the candidates; ``rules`` decide which of them are the
    same identifier (a system listed as case-sensitive keeps letter case apart).
    """
    asked = normalized_source(system, identifier, rules)
    key = match_key(system, identifier)
    rows = await HoldTable.raw(_COVERING_DATA_SOURCE, key, *_PRESERVING).run()
    same = (
        (r, asked)
        for r in rows
        if normalized_source(str(r["system"]), str(r["identifier"]), rules) == asked
    )
    return _covering(same)
