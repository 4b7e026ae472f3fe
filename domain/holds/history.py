"""A hold's audit trail as the hold page reads it: which entries of the log are about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final
from uuid import UUID

from audit import store
from domain.holds import repo as holds_repo
from domain.shared.model import Actor
from domain.shared.permissions import Permission, require

SUBJECT_TYPE: Final = "legal_hold"


@dataclass(frozen=True, slots=True)
class HoldEntry:
    """One audit entry about a hold: where it is in the log, when, what, and by whom."""

    index: int
    time: datetime
    action: str
    actor_ref: str


async def hold_history(hold_id: UUID, *, actor: Actor) -> list[HoldEntry]:
    """Every audit entry about the hold, oldest first.

    Whoever may read holds may read the entries about one (the log's own reads need
    ``audit.read``); the page links each to its index in the signed log.

    Raises:
        PermissionDeniedError: unless the actor may read holds.
        HoldNotFoundError: no such hold.
    """
    require(actor.role, Permission.HOLDS_READ)
    await holds_repo.get_hold(hold_id)
    found: list[HoldEntry] = []
    start = 0
    while True:
        page = await store.entries(
            start, subject=(SUBJECT_TYPE, str(hold_id)), limit=store.MAX_PAGE
        )
        found.extend(HoldEntry(e.index, e.time, e.action, e.actor_id) for e in page)
        if len(page) < store.MAX_PAGE:
            return found
        start = page[-1].index + 1
