"""Writing the audit trail from the domain: one entry per state change, in its transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from audit import store
from audit.append_batch import NewEntry, append_batch
from audit.canonical import JsonValue
from domain.shared.model import Actor, AuditAction

correlation_id: Final[ContextVar[str]] = ContextVar("docket_correlation_id", default="")
"""Set by the edge (the HTTP request's id, or one per CLI command); copied into each entry."""


def actor_ref(actor: Actor) -> str:
    """How an actor is named in the log: ``user:<uuid>``, ``token:<uuid>``, ``cli:<account>``."""
    if actor.id is not None:
        return f"{actor.kind.value}:{actor.id}"
    name = actor.name.removeprefix(f"{actor.kind.value}:")
    return f"{actor.kind.value}:{name}"


async def record(
    actor: Actor,
    action: AuditAction,
    *,
    subject_type: str,
    subject_id: str,
    before: JsonValue,
    after: JsonValue,
    now: datetime,
) -> int:
    """Append one audit entry inside the caller's write transaction; return its index.

    Raises:
        NotInTransactionError: when called outside a transaction (a programming error).
    """
    return await store.append(
        time=now,
        actor_id=actor_ref(actor),
        actor_role=actor.role.value,
        action=action.value,
        subject_type=subject_type,
        subject_id=subject_id,
        correlation_id=correlation_id.get() or f"none-{uuid.uuid4().hex}",
        before=before,
        after=after,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """One state change to record: what was done to which subject, before and after."""

    action: AuditAction
    subject_type: str
    subject_id: str
    before: JsonValue
    after: JsonValue


async def record_many(actor: Actor, changes: Sequence[Change], *, now: datetime) -> list[int]:
    """Append one audit entry per change, in order, inside the caller's write transaction.

    The same entries as ``record`` once per change, written together (one lock, one insert
    per table, one tile update): for a service that changes many rows in one transaction.

    Raises:
        NotInTransactionError: when called outside a transaction (a programming error).
    """
    correlation = correlation_id.get()
    return await append_batch(
        [
            NewEntry(
                time=now,
                actor_id=actor_ref(actor),
                actor_role=actor.role.value,
                action=c.action.value,
                subject_type=c.subject_type,
                subject_id=c.subject_id,
                correlation_id=correlation or f"none-{uuid.uuid4().hex}",
                before=c.before,
                after=c.after,
            )
            for c in changes
        ]
    )
