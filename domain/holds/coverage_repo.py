"""The queries of the preservation check: which preserving holds cover a custodian or a source."""

from __future__ import annotations

from collections.abc import Iterable

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
    "SELECT h.id, h.matter FROM legal_hold h JOIN legal_hold_data_source d ON d.hold_id = h.id "
    "WHERE d.system = {} AND d.identifier = {} AND d.released_at IS NULL "
    "AND h.state IN ({}, {}, {}) ORDER BY h.created_at, h.id"
)


def _covering(rows: Iterable[Row]) -> list[CoveringHold]:
    found = {as_uuid(r["id"]): str(r["matter"]) for r in rows}  # one row per hold, in order
    return [CoveringHold(ident, matter) for ident, matter in found.items()]


async def holds_covering_custodian(email: str) -> list[CoveringHold]:
    """Preserving holds on which ``email`` is a custodian not released: one indexed join."""
    return _covering(await HoldTable.raw(_COVERING_CUSTODIAN, email, *_PRESERVING).run())


async def holds_covering_data_source(system: str, identifier: str) -> list[CoveringHold]:
    """Preserving holds on which the data source is not released: one indexed join."""
    query = _COVERING_DATA_SOURCE
    return _covering(await HoldTable.raw(query, system, identifier, *_PRESERVING).run())
