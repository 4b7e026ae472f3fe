"""Notifications' rows in, domain values out: ledger, sweep runs, offsets, feed tokens.

The delivery ledger, the record of sweep runs, a request's own reminder offsets and calendar feed
tokens; what the channels wrote (inbox, kept mail, webhook log) is in ``messages_repo``.

Nothing here opens a transaction or writes an audit entry: the services of the aggregate
(``ledger``, ``reminder_settings``, ``calendar``) do, around these calls.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Final
from uuid import UUID

from piccolo.columns import Column
from piccolo.custom_types import Combinable
from piccolo.engine.postgres import PostgresEngine

from domain.notifications.model import (
    Delivery,
    DeliveryKey,
    DeliveryRecord,
    DeliveryState,
    DeliveryStatus,
    FeedToken,
    NewDelivery,
    OwnOffsets,
)
from domain.notifications.tables import (
    CalendarTokenTable,
    DeliveryTable,
    RequestReminderTable,
    SweepRunTable,
)
from domain.shared.database import current_engine
from domain.shared.rows import Row, as_uuid, aware, aware_or_none

_KEY_CHUNK: Final = 500


# ---------------------------------------------------------------- the delivery ledger
async def insert_claim(new: NewDelivery, *, worker: str, now: datetime, lease: timedelta) -> bool:
    """Insert ``new`` as claimed by ``worker``; False when its key is in the ledger already."""
    row = DeliveryTable(
        id=uuid.uuid4(),
        key=str(new.key),
        kind=new.key.kind,
        channel=new.key.channel,
        subject_type=new.subject_type,
        subject_id=new.subject_id,
        recipient=new.recipient,
        due_at=new.key.due_at,
        state=DeliveryState.CLAIMED.value,
        attempts=1,
        lease_until=now + lease,
        claimed_by=worker,
        claimed_at=now,
        payload=json.dumps(dict(new.payload), sort_keys=True),
    )
    inserted = (
        await DeliveryTable.insert(row)
        .on_conflict(target=DeliveryTable.key, action="DO NOTHING")
        .returning(DeliveryTable.id)
        .run()
    )
    return bool(inserted)


async def keys_in_ledger(keys: Sequence[str]) -> set[str]:
    """Which of ``keys`` (distinct) are in the ledger, in any state; a query per 500 keys."""
    found: set[str] = set()
    for start in range(0, len(keys), _KEY_CHUNK):
        chunk = list(keys[start : start + _KEY_CHUNK])
        rows = await DeliveryTable.select(DeliveryTable.key).where(DeliveryTable.key.is_in(chunk))
        found.update(str(r["key"]) for r in rows)
    return found


def _retake_where(now: datetime) -> Combinable:
    retrying, claimed = DeliveryState.RETRYING.value, DeliveryState.CLAIMED.value
    return ((DeliveryTable.state == retrying) & (DeliveryTable.next_attempt_at <= now)) | (
        (DeliveryTable.state == claimed) & (DeliveryTable.lease_until < now)
    )


async def any_to_retake(now: datetime) -> bool:
    """Whether a retry is due or a claim's lease ran out (a plain read: no write lock)."""
    return bool(await DeliveryTable.exists().where(_retake_where(now)).run())


async def take_over(*, worker: str, now: datetime, lease: timedelta, limit: int) -> list[Delivery]:
    """Claim for ``worker`` the due retries and expired claims, oldest due first, up to ``limit``.

    Each counts one more attempt and gets a fresh lease. Requires the caller's write transaction
    (on PostgreSQL the rows are locked, and rows another worker has locked are skipped).
    """
    query = (
        DeliveryTable.select(
            DeliveryTable.id, DeliveryTable.key, DeliveryTable.attempts, DeliveryTable.payload
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
                DeliveryTable.state: DeliveryState.CLAIMED.value,
                DeliveryTable.claimed_by: worker,
                DeliveryTable.lease_until: now + lease,
                DeliveryTable.attempts: DeliveryTable.attempts + 1,
            }
        ).where(DeliveryTable.id == row["id"])
    return [
        Delivery(
            key=DeliveryKey.parse(str(r["key"])),
            attempts=int(r["attempts"]) + 1,
            payload=json.loads(str(r["payload"])),
        )
        for r in rows
    ]


AUDITED_COLUMNS: Final = (
    DeliveryTable.kind,
    DeliveryTable.channel,
    DeliveryTable.recipient,
    DeliveryTable.subject_type,
    DeliveryTable.subject_id,
    DeliveryTable.due_at,
    DeliveryTable.attempts,
)
"""What the audit entry of a delivery records (returned by the UPDATE that changes its state)."""


def delivery_record(row: Row) -> DeliveryRecord:
    """A ledger row (its ``AUDITED_COLUMNS``) as what an audit entry records of it."""
    return DeliveryRecord(
        kind=str(row["kind"]),
        channel=str(row["channel"]),
        recipient=str(row["recipient"]),
        subject_type=str(row["subject_type"]),
        subject_id=str(row["subject_id"]),
        due_at=aware(row["due_at"]),
        attempts=int(str(row["attempts"])),
    )


async def _settle_claimed(
    key: DeliveryKey, values: dict[Column | str, object]
) -> DeliveryRecord | None:
    claimed = DeliveryState.CLAIMED.value
    changed = (
        await DeliveryTable.update(values)
        .where((DeliveryTable.key == str(key)) & (DeliveryTable.state == claimed))
        .returning(*AUDITED_COLUMNS)
        .run()
    )
    return delivery_record(changed[0]) if changed else None


async def set_sent(key: DeliveryKey, *, now: datetime) -> DeliveryRecord | None:
    """Mark a claimed delivery sent; None when it is not claimed (any more)."""
    return await _settle_claimed(
        key,
        {
            DeliveryTable.state: DeliveryState.SENT.value,
            DeliveryTable.sent_at: now,
            DeliveryTable.lease_until: None,
            DeliveryTable.last_error: "",
        },
    )


async def set_failed(
    key: DeliveryKey, *, state: DeliveryState, error: str, retry_at: datetime | None
) -> DeliveryRecord | None:
    """Record a failed attempt of a claimed delivery; None when it is not claimed (any more)."""
    return await _settle_claimed(
        key,
        {
            DeliveryTable.state: state.value,
            DeliveryTable.next_attempt_at: retry_at,
            DeliveryTable.lease_until: None,
            DeliveryTable.last_error: error,
        },
    )


async def delivery_statuses(keys: Sequence[str]) -> dict[str, DeliveryStatus]:
    """State and attempts of each of ``keys`` found in the ledger."""
    rows = await DeliveryTable.select(
        DeliveryTable.key, DeliveryTable.state, DeliveryTable.attempts
    ).where(DeliveryTable.key.is_in(list(keys) or [""]))
    return {
        str(r["key"]): DeliveryStatus(DeliveryState(str(r["state"])), int(r["attempts"]))
        for r in rows
    }


async def last_swept_to(now: datetime) -> datetime | None:
    """Where the latest finished sweep up to ``now`` swept to."""
    rows = (
        await SweepRunTable.select(SweepRunTable.swept_to)
        .where(SweepRunTable.swept_to <= now)
        .order_by(SweepRunTable.swept_to, ascending=False)
        .limit(1)
    )
    return aware(rows[0]["swept_to"]) if rows else None


async def insert_sweep_run(
    *, worker: str, swept_to: datetime, finished_at: datetime, sent: int, failed: int
) -> None:
    """Remember a finished sweep."""
    await SweepRunTable.insert(
        SweepRunTable(
            worker=worker, swept_to=swept_to, finished_at=finished_at, sent=sent, failed=failed
        )
    )


# ---------------------------------------------------------------- a request's own offsets
def _offsets(raw: object) -> tuple[timedelta, ...]:
    return tuple(timedelta(seconds=int(s)) for s in json.loads(str(raw)))


async def own_offsets_of(request_id: UUID) -> tuple[timedelta, ...] | None:
    """A request's own reminder offsets; None when it follows its rule's."""
    t = RequestReminderTable
    row = await t.select(t.offsets).where(t.request_id == request_id).first().run()
    return None if row is None else _offsets(row["offsets"])


async def every_own_offsets() -> dict[UUID, OwnOffsets]:
    """The requests that have their own reminder offsets: those offsets, and when they were set."""
    t = RequestReminderTable
    rows = await t.select(t.request_id, t.offsets, t.updated_at).run()
    return {
        as_uuid(r["request_id"]): OwnOffsets(_offsets(r["offsets"]), aware(r["updated_at"]))
        for r in rows
    }


async def save_own_offsets(
    request_id: UUID, offsets: Sequence[timedelta], *, now: datetime, first: bool
) -> None:
    """Store a request's own offsets (as seconds): a new row when ``first``, else over it."""
    t = RequestReminderTable
    seconds = json.dumps([int(o.total_seconds()) for o in offsets])
    if first:
        await t.insert(t(request_id=request_id, offsets=seconds, updated_at=now)).run()
    else:
        await t.update({t.offsets: seconds, t.updated_at: now}).where(t.request_id == request_id)


# ---------------------------------------------------------------- calendar feed tokens
def _token(row: Row) -> FeedToken:
    return FeedToken(
        id=as_uuid(row["id"]),
        user_id=as_uuid(row["user_id"]),
        prefix=str(row["prefix"]),
        created_at=aware(row["created_at"]),
        revoked_at=aware_or_none(row["revoked_at"]),
    )


async def live_feed_tokens(user_id: UUID) -> list[FeedToken]:
    """A user's feed tokens that are not revoked."""
    t = CalendarTokenTable
    rows = await t.select().where(t.user_id == user_id).where(t.revoked_at.is_null()).run()
    return [_token(r) for r in rows]


async def revoke_feed_tokens(user_id: UUID, *, now: datetime) -> None:
    """Revoke every live feed token of a user at ``now``."""
    t = CalendarTokenTable
    await t.update({t.revoked_at: now}).where(t.user_id == user_id).where(t.revoked_at.is_null())


async def insert_feed_token(
    *, user_id: UUID, prefix: str, secret_sha256: str, now: datetime
) -> FeedToken:
    """Store a new live feed token (only the SHA-256 of its secret)."""
    row = CalendarTokenTable(
        user_id=user_id, prefix=prefix, secret_sha256=secret_sha256, created_at=now
    )
    await row.save().run()
    return FeedToken(id=as_uuid(row.id), user_id=user_id, prefix=prefix, created_at=now)


async def feed_token_user(secret_sha256: str) -> UUID | None:
    """The user of the live feed token whose secret hashes to ``secret_sha256``, if any."""
    t = CalendarTokenTable
    row = (
        await t.select(t.user_id)
        .where(t.secret_sha256 == secret_sha256)
        .where(t.revoked_at.is_null())
        .first()
        .run()
    )
    return None if row is None else as_uuid(row["user_id"])
