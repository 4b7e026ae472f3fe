"""The delivery ledger's rows written a batch at a time: claims, and the sent marks.

One statement per chunk of rows, in the caller's write transaction (``ledger_batch``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Final

from domain.notifications.model import DeliveryRecord, DeliveryState, NewDelivery
from domain.notifications.repo import AUDITED_COLUMNS, delivery_record
from domain.notifications.tables import DeliveryTable

_ROWS: Final = 100
"""Rows per statement: 14 columns each stays well under SQLite's limit of bound variables."""


_CLAIM_COLUMNS: Final = (
    "id",
    "key",
    "kind",
    "channel",
    "subject_type",
    "subject_id",
    "recipient",
    "due_at",
    "state",
    "attempts",
    "lease_until",
    "claimed_by",
    "claimed_at",
    "payload",
)
_CLAIM_VALUES: Final = "(" + ",".join("{}" for _ in _CLAIM_COLUMNS) + ")"


async def insert_claims(
    news: Sequence[NewDelivery], *, worker: str, now: datetime, lease: timedelta
) -> set[str]:
    """Insert ``news`` as claimed by ``worker``; return the keys inserted (not there already).

    One multi-row INSERT per chunk, written as SQL: building a Piccolo row object per claim
    costs more than the database's work. Rows go in key order, so that two workers claiming
    overlapping batches on PostgreSQL wait for each other's keys in the same order and never
    deadlock.
    """
    claims = sorted(
        (
            (
                uuid.uuid4(),
                str(new.key),
                new.key.kind,
                new.key.channel,
                new.subject_type,
                new.subject_id,
                new.recipient,
                new.key.due_at,
                DeliveryState.CLAIMED.value,
                1,
                now + lease,
                worker,
                now,
                json.dumps(dict(new.payload), sort_keys=True),
            )
            for new in news
        ),
        key=lambda claim: claim[1],
    )
    inserted: set[str] = set()
    for start in range(0, len(claims), _ROWS):
        chunk = claims[start : start + _ROWS]
        found = await DeliveryTable.raw(
            f"INSERT INTO delivery ({','.join(_CLAIM_COLUMNS)}) "  # noqa: S608 - constant names
            f"VALUES {','.join([_CLAIM_VALUES] * len(chunk))} "
            "ON CONFLICT (key) DO NOTHING RETURNING key",
            *(value for claim in chunk for value in claim),
        )
        inserted.update(str(r["key"]) for r in found)
    return inserted


async def set_sent_many(keys: Sequence[str], *, now: datetime) -> dict[str, DeliveryRecord]:
    """Mark the claimed deliveries among ``keys`` sent; return those changed, by key."""
    changed: dict[str, DeliveryRecord] = {}
    ordered = sorted(set(keys))
    for start in range(0, len(ordered), _ROWS):
        rows = (
            await DeliveryTable.update(
                {
                    DeliveryTable.state: DeliveryState.SENT.value,
                    DeliveryTable.sent_at: now,
                    DeliveryTable.lease_until: None,
                    DeliveryTable.last_error: "",
                }
            )
            .where(
                DeliveryTable.key.is_in(ordered[start : start + _ROWS])
                & (DeliveryTable.state == DeliveryState.CLAIMED.value)
            )
            .returning(DeliveryTable.key, *AUDITED_COLUMNS)
            .run()
        )
        changed.update((str(r["key"]), delivery_record(r)) for r in rows)
    return changed
