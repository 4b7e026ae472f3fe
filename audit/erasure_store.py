"""Which entries' changes were erased, and by which erasure entry (read side).

An erasure entry's leaf names the entry it erased; the leaf table indexes that name
(``erased_index``), so the erasure of an entry is found without reading the log.
"""

from __future__ import annotations

from collections.abc import Sequence

from audit.entry import AuditEntry, parse_leaf
from audit.store import IN_LIST
from audit.tables import AuditLeafTable


async def erasures_of(indexes: Sequence[int]) -> dict[int, AuditEntry]:
    """The erasure entries naming any of ``indexes``, by the index they erased."""
    found: dict[int, AuditEntry] = {}
    wanted = sorted(set(indexes))
    for start in range(0, len(wanted), IN_LIST):
        rows = await AuditLeafTable.select(AuditLeafTable.erased_index, AuditLeafTable.leaf).where(
            AuditLeafTable.erased_index.is_in(wanted[start : start + IN_LIST])
        )
        for row in rows:
            found[int(row["erased_index"])] = parse_leaf(bytes(row["leaf"]))
    return found
