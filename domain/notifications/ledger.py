"""The delivery ledger: claim a notification before sending it, then mark it sent or failed.

Exactly once: the claim is the INSERT of the notification's unique key, so of two workers (or a
sweep re-run) only one gets it. A claim carries a lease; a worker that dies after claiming
leaves a claim whose lease runs out, and any later sweep re-takes it (``SKIP LOCKED`` on
PostgreSQL, SQLite's single writer otherwise). Marking sent appends exactly one audit entry in
the same transaction: kind, recipient, channel and subject line, never the body.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Final

from audit.canonical import JsonValue
from domain.notifications import ledger_rows, repo
from domain.notifications.model import (
    Delivery,
    DeliveryKey,
    DeliveryRecord,
    DeliveryState,
    DeliveryStatus,
    NewDelivery,
)
from domain.shared import audit_trail
from domain.shared.database import write_transaction
from domain.shared.model import Actor, ActorKind, AuditAction, Role

SWEEP_ACTOR: Final = Actor(kind=ActorKind.SYSTEM, id=None, role=Role.SYSTEM, name="system:sweep")
MAX_ERROR: Final = 2000
"""Characters of a failure kept in the ledger (the audit entry keeps 500)."""
MAX_AUDITED_ERROR: Final = 500


async def claim(new: NewDelivery, *, worker: str, now: datetime, lease: timedelta) -> bool:
    """Claim ``new`` by inserting its key; False when it is claimed or sent already."""
    return await repo.insert_claim(new, worker=worker, now=now, lease=lease)


async def known_keys(keys: Iterable[DeliveryKey]) -> set[DeliveryKey]:
    """Which of ``keys`` are in the ledger in any state (a dry run's "already sent")."""
    wanted = {str(k): k for k in keys}
    return {wanted[text] for text in await repo.keys_in_ledger(list(wanted))}


async def retake(
    *, worker: str, now: datetime, lease: timedelta, limit: int = 200
) -> list[Delivery]:
    """Take over due retries and claims whose lease ran out (their worker died), up to ``limit``.

    Each taken delivery counts one more attempt and gets a fresh lease for ``worker``. A plain
    read first: a sweep with nothing to retry takes no write lock.
    """
    if not await repo.any_to_retake(now):
        return []
    async with write_transaction():
        return await repo.take_over(worker=worker, now=now, lease=lease, limit=limit)


def _change(
    action: AuditAction, record: DeliveryRecord, after: Mapping[str, JsonValue]
) -> audit_trail.Change:
    recorded: dict[str, JsonValue] = {
        "kind": record.kind,
        "channel": record.channel,
        "recipient": record.recipient,
        "due_at": record.due_at.isoformat(),
        "attempts": record.attempts,
        **after,
    }
    return audit_trail.Change(
        action=action,
        subject_type=record.subject_type,
        subject_id=record.subject_id,
        before=None,
        after=recorded,
    )


async def _audit(
    action: AuditAction, record: DeliveryRecord, after: Mapping[str, JsonValue], now: datetime
) -> None:
    change = _change(action, record, after)
    await audit_trail.record(
        SWEEP_ACTOR,
        action,
        subject_type=change.subject_type,
        subject_id=change.subject_id,
        before=change.before,
        after=change.after,
        now=now,
    )


async def mark_sent(key: DeliveryKey, *, subject: str, now: datetime) -> bool:
    """Mark a claimed delivery sent and audit it once; False if it was not claimed (any more)."""
    async with write_transaction():
        record = await repo.set_sent(key, now=now)
        if record is not None:
            await _audit(AuditAction.NOTIFICATION_SENT, record, {"subject": subject}, now)
    return record is not None


async def claim_batch(
    news: Sequence[NewDelivery], *, worker: str, now: datetime, lease: timedelta
) -> set[DeliveryKey]:
    """Claim ``news`` in one transaction; return the keys claimed (the others were there).

    Each key is claimed by the INSERT of its row, as ``claim`` does one at a time.
    """
    if not news:
        return set()
    wanted = {str(n.key): n.key for n in news}
    async with write_transaction():
        inserted = await ledger_rows.insert_claims(news, worker=worker, now=now, lease=lease)
    return {wanted[text] for text in inserted}


async def mark_sent_batch(
    sent: Sequence[tuple[DeliveryKey, str]], *, now: datetime
) -> set[DeliveryKey]:
    """Mark claimed deliveries sent (key, subject line) in one transaction, each audited once.

    Each delivery still claimed changes state and gets its ``notification.sent`` entry, the
    same as ``mark_sent`` writes, in this one transaction; returns the keys marked.
    """
    if not sent:
        return set()
    async with write_transaction():
        records = await ledger_rows.set_sent_many([str(k) for k, _ in sent], now=now)
        marked, changes = set(), []
        for key, subject in sent:
            record = records.pop(str(key), None)  # a key given twice is audited once
            if record is not None:
                marked.add(key)
                changes.append(_change(AuditAction.NOTIFICATION_SENT, record, {"subject": subject}))
        await audit_trail.record_many(SWEEP_ACTOR, changes, now=now)
    return marked


async def mark_failed(
    key: DeliveryKey, *, error: str, retry_at: datetime | None, now: datetime
) -> DeliveryState:
    """Record a failed attempt: ``retrying`` from ``retry_at``, or ``failed`` for good (audited).

    Returns the state the delivery is left in.
    """
    state = DeliveryState.FAILED if retry_at is None else DeliveryState.RETRYING
    async with write_transaction():
        record = await repo.set_failed(key, state=state, error=error[:MAX_ERROR], retry_at=retry_at)
        if record is not None and state is DeliveryState.FAILED:
            audited = {"error": error[:MAX_AUDITED_ERROR]}
            await _audit(AuditAction.NOTIFICATION_FAILED, record, audited, now)
    return state


async def delivery_states(keys: Iterable[DeliveryKey]) -> dict[DeliveryKey, DeliveryStatus]:
    """State and attempts of each of ``keys`` found in the ledger (for tests and operators)."""
    wanted = {str(k): k for k in keys}
    found = await repo.delivery_statuses(list(wanted))
    return {wanted[text]: status for text, status in found.items()}


async def last_swept_to(now: datetime) -> datetime | None:
    """Where the latest finished sweep up to ``now`` swept to: the next window starts there."""
    return await repo.last_swept_to(now)


async def record_sweep(
    *, worker: str, swept_to: datetime, finished_at: datetime, sent: int, failed: int
) -> None:
    """Remember a finished sweep (bookkeeping of the scheduler, not a business change)."""
    await repo.insert_sweep_run(
        worker=worker, swept_to=swept_to, finished_at=finished_at, sent=sent, failed=failed
    )
