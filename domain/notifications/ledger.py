"""The delivery ledger: claim a notification before sending it, then mark it sent or failed.

Exactly once: the claim is the INSERT of the notification's unique key, so of two workers (or a
sweep re-run) only one gets it. A claim carries a lease; a worker that dies after claiming
leaves a claim whose lease runs out, and any later sweep re-takes it (``SKIP LOCKED`` on
PostgreSQL, SQLite's single writer otherwise). Marking sent appends exactly one audit entry in
the same transaction: kind, recipient, channel and subject line, never the body.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from piccolo.custom_types import Combinable
from piccolo.engine.postgres import PostgresEngine

from audit.canonical import JsonValue
from domain.notifications.tables import DeliveryTable, SweepRunTable
from domain.shared import audit_trail
from domain.shared.database import current_engine, write_transaction
from domain.shared.model import Actor, ActorKind, AuditAction, Role

SWEEP_ACTOR: Final = Actor(kind=ActorKind.SYSTEM, id=None, role=Role.SYSTEM, name="system:sweep")
CLAIMED: Final = "claimed"
SENT: Final = "sent"
RETRYING: Final = "retrying"
FAILED: Final = "failed"
_KEY_CHUNK: Final = 500


@dataclass(frozen=True, slots=True, kw_only=True)
class NewDelivery:
    """A notification about to be claimed: its key and what a retry needs to send it again."""

    key: str
    kind: str
    channel: str
    subject_type: str
    subject_id: str
    recipient: str
    due_at: datetime
    payload: Mapping[str, JsonValue]


@dataclass(frozen=True, slots=True, kw_only=True)
class Delivery:
    """A ledger row taken for (re)sending."""

    key: str
    channel: str
    attempts: int
    payload: dict[str, JsonValue]


def _row(new: NewDelivery, *, worker: str, now: datetime, lease: timedelta) -> DeliveryTable:
    return DeliveryTable(
        id=uuid.uuid4(),
        key=new.key,
        kind=new.kind,
        channel=new.channel,
        subject_type=new.subject_type,
        subject_id=new.subject_id,
        recipient=new.recipient,
        due_at=new.due_at,
        state=CLAIMED,
        attempts=1,
        lease_until=now + lease,
        claimed_by=worker,
        claimed_at=now,
        payload=json.dumps(dict(new.payload), sort_keys=True),
    )


async def claim(new: NewDelivery, *, worker: str, now: datetime, lease: timedelta) -> bool:
    """Claim ``new`` by inserting its key; False when it is claimed or sent already."""
    row = _row(new, worker=worker, now=now, lease=lease)
    inserted = (
        await DeliveryTable.insert(row)
        .on_conflict(target=DeliveryTable.key, action="DO NOTHING")
        .returning(DeliveryTable.id)
        .run()
    )
    return bool(inserted)


async def known_keys(keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` are in the ledger in any state (a dry run's "already sent")."""
    wanted = list(dict.fromkeys(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), _KEY_CHUNK):
        chunk = wanted[start : start + _KEY_CHUNK]
        rows = await DeliveryTable.select(DeliveryTable.key).where(DeliveryTable.key.is_in(chunk))
        found.update(str(r["key"]) for r in rows)
    return found


def _retake_where(now: datetime) -> Combinable:
    return ((DeliveryTable.state == RETRYING) & (DeliveryTable.next_attempt_at <= now)) | (
        (DeliveryTable.state == CLAIMED) & (DeliveryTable.lease_until < now)
    )


async def retake(
    *, worker: str, now: datetime, lease: timedelta, limit: int = 200
) -> list[Delivery]:
    """Take over due retries and claims whose lease ran out (their worker died), up to ``limit``.

    Each taken row counts one more attempt and gets a fresh lease for ``worker``. A plain read
    first: a sweep with nothing to retry takes no write lock.
    """
    if not await DeliveryTable.exists().where(_retake_where(now)).run():
        return []
    async with write_transaction():
        query = (
            DeliveryTable.select(
                DeliveryTable.id,
                DeliveryTable.key,
                DeliveryTable.channel,
                DeliveryTable.attempts,
                DeliveryTable.payload,
            )
            .where(_retake_where(now))
            .order_by(DeliveryTable.due_at)
            .limit(limit)
        )
        if isinstance(current_engine(), PostgresEngine):
            query = query.lock_rows(skip_locked=True)
        rows = await query.run()
        for row in rows:
            await DeliveryTable.update(
                {
                    DeliveryTable.state: CLAIMED,
                    DeliveryTable.claimed_by: worker,
                    DeliveryTable.lease_until: now + lease,
                    DeliveryTable.attempts: DeliveryTable.attempts + 1,
                }
            ).where(DeliveryTable.id == row["id"])
    return [
        Delivery(
            key=str(r["key"]),
            channel=str(r["channel"]),
            attempts=int(r["attempts"]) + 1,
            payload=json.loads(str(r["payload"])),
        )
        for r in rows
    ]


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


_AUDITED: Final = (
    DeliveryTable.kind,
    DeliveryTable.channel,
    DeliveryTable.recipient,
    DeliveryTable.subject_type,
    DeliveryTable.subject_id,
    DeliveryTable.due_at,
    DeliveryTable.attempts,
)
"""What the audit entry of a delivery records (returned by the UPDATE that changes its state)."""


async def _audit(
    action: AuditAction, row: Mapping[str, object], after: dict[str, JsonValue], now: datetime
) -> None:
    recorded: dict[str, JsonValue] = {
        "kind": str(row["kind"]),
        "channel": str(row["channel"]),
        "recipient": str(row["recipient"]),
        "due_at": _iso(row["due_at"]),
        "attempts": int(str(row["attempts"])),
        **after,
    }
    await audit_trail.record(
        SWEEP_ACTOR,
        action,
        subject_type=str(row["subject_type"]),
        subject_id=str(row["subject_id"]),
        before=None,
        after=recorded,
        now=now,
    )


async def mark_sent(key: str, *, subject: str, now: datetime) -> bool:
    """Mark a claimed delivery sent and audit it once; False if it was not claimed (any more)."""
    async with write_transaction():
        changed = (
            await DeliveryTable.update(
                {
                    DeliveryTable.state: SENT,
                    DeliveryTable.sent_at: now,
                    DeliveryTable.lease_until: None,
                    DeliveryTable.last_error: "",
                }
            )
            .where((DeliveryTable.key == key) & (DeliveryTable.state == CLAIMED))
            .returning(*_AUDITED)
            .run()
        )
        if changed:
            await _audit(AuditAction.NOTIFICATION_SENT, changed[0], {"subject": subject}, now)
    return bool(changed)


async def mark_failed(key: str, *, error: str, retry_at: datetime | None, now: datetime) -> str:
    """Record a failed attempt: ``retrying`` from ``retry_at``, or ``failed`` for good (audited).

    Returns the state the delivery is left in.
    """
    state = FAILED if retry_at is None else RETRYING
    async with write_transaction():
        changed = (
            await DeliveryTable.update(
                {
                    DeliveryTable.state: state,
                    DeliveryTable.next_attempt_at: retry_at,
                    DeliveryTable.lease_until: None,
                    DeliveryTable.last_error: error[:2000],
                }
            )
            .where((DeliveryTable.key == key) & (DeliveryTable.state == CLAIMED))
            .returning(*_AUDITED)
            .run()
        )
        if changed and state == FAILED:
            await _audit(AuditAction.NOTIFICATION_FAILED, changed[0], {"error": error[:500]}, now)
    return state


async def delivery_states(keys: Iterable[str]) -> dict[str, tuple[str, int]]:
    """State and attempts of each of ``keys`` found in the ledger (for tests and operators)."""
    rows = await DeliveryTable.select(
        DeliveryTable.key, DeliveryTable.state, DeliveryTable.attempts
    ).where(DeliveryTable.key.is_in(list(keys) or [""]))
    return {str(r["key"]): (str(r["state"]), int(r["attempts"])) for r in rows}


async def last_swept_to(now: datetime) -> datetime | None:
    """Where the latest finished sweep up to ``now`` swept to: the next window starts there."""
    rows = (
        await SweepRunTable.select(SweepRunTable.swept_to)
        .where(SweepRunTable.swept_to <= now)
        .order_by(SweepRunTable.swept_to, ascending=False)
        .limit(1)
    )
    return rows[0]["swept_to"] if rows else None


async def record_sweep(
    *, worker: str, swept_to: datetime, finished_at: datetime, sent: int, failed: int
) -> None:
    """Remember a finished sweep (bookkeeping of the scheduler, not a business change)."""
    await SweepRunTable.insert(
        SweepRunTable(
            worker=worker, swept_to=swept_to, finished_at=finished_at, sent=sent, failed=failed
        )
    )
