"""Hold notice rows in and out of their table: written by hold changes, read by the sweep."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from uuid import UUID

from domain.holds.errors import AckLinkInvalidError
from domain.holds.model import HoldNotice, NoticeKind
from domain.holds.notice_plan import PlannedNotice
from domain.holds.tables import HoldNoticeTable
from domain.shared.rows import Row, aware, aware_or_none


def _notice(row: Row) -> HoldNotice:
    ident, hold = row["id"], row["hold_id"]
    return HoldNotice(
        id=ident if isinstance(ident, UUID) else UUID(str(ident)),
        hold_id=hold if isinstance(hold, UUID) else UUID(str(hold)),
        custodian_email=str(row["custodian_email"]),
        recipient_email=str(row["recipient_email"]),
        kind=NoticeKind(str(row["kind"])),
        due_at=aware(row["due_at"]),
        expires_at=aware_or_none(row["expires_at"]),
        delivered_at=aware_or_none(row["delivered_at"]),
        cancelled_at=aware_or_none(row["cancelled_at"]),
        used_at=aware_or_none(row["used_at"]),
    )


async def insert_notices(hold_id: UUID, planned: Iterable[PlannedNotice], now: datetime) -> None:
    """Write planned notices for the scheduler (inside the caller's transaction)."""
    rows = [
        HoldNoticeTable(
            id=uuid.uuid4(),
            hold_id=hold_id,
            custodian_email=p.custodian_email,
            recipient_email=p.recipient_email,
            kind=p.kind.value,
            due_at=p.due_at.astimezone(UTC),
            expires_at=None if p.expires_at is None else p.expires_at.astimezone(UTC),
            created_at=now.astimezone(UTC),
        )
        for p in planned
    ]
    if rows:
        await HoldNoticeTable.insert(*rows).run()


async def cancel_pending(
    hold_id: UUID,
    now: datetime,
    *,
    custodian_email: str | None = None,
    kinds: Iterable[NoticeKind] | None = None,
) -> None:
    """Cancel notices of a hold not delivered yet (of one custodian, of some kinds)."""
    query = (
        HoldNoticeTable.update({HoldNoticeTable.cancelled_at: now.astimezone(UTC)})
        .where(HoldNoticeTable.hold_id == hold_id)
        .where(HoldNoticeTable.delivered_at.is_null())
        .where(HoldNoticeTable.cancelled_at.is_null())
    )
    if custodian_email is not None:
        query = query.where(HoldNoticeTable.custodian_email == custodian_email)
    if kinds is not None:
        query = query.where(HoldNoticeTable.kind.is_in([k.value for k in kinds]))
    await query.run()


async def get_notice(notice_id: UUID) -> HoldNotice:
    """One notice.

    Raises:
        AckLinkInvalidError: no such notice (a link to nothing is an invalid link).
    """
    row = await HoldNoticeTable.select().where(HoldNoticeTable.id == notice_id).first().run()
    if row is None:
        raise AckLinkInvalidError
    return _notice(row)


async def due_notices(now: datetime, *, limit: int) -> list[HoldNotice]:
    """Notices due by ``now``, neither delivered nor cancelled, oldest first."""
    rows = (
        await HoldNoticeTable.select()
        .where(HoldNoticeTable.delivered_at.is_null())
        .where(HoldNoticeTable.cancelled_at.is_null())
        .where(HoldNoticeTable.due_at <= now.astimezone(UTC))
        .order_by(HoldNoticeTable.due_at)
        .limit(limit)
        .run()
    )
    return [_notice(r) for r in rows]


async def notices_of(hold_id: UUID) -> list[HoldNotice]:
    """Every notice of a hold, by due time."""
    rows = (
        await HoldNoticeTable.select()
        .where(HoldNoticeTable.hold_id == hold_id)
        .order_by(HoldNoticeTable.due_at, HoldNoticeTable.kind)
        .run()
    )
    return [_notice(r) for r in rows]


async def mark_delivered(notice_id: UUID, now: datetime) -> bool:
    """Stamp a notice delivered; False when it already was (or was cancelled)."""
    rows = (
        await HoldNoticeTable.update({HoldNoticeTable.delivered_at: now.astimezone(UTC)})
        .where(HoldNoticeTable.id == notice_id)
        .where(HoldNoticeTable.delivered_at.is_null())
        .where(HoldNoticeTable.cancelled_at.is_null())
        .returning(HoldNoticeTable.id)
        .run()
    )
    return bool(rows)


async def mark_used(notice_id: UUID, now: datetime) -> bool:
    """Stamp a notice's link used; False when it already was (single use)."""
    rows = (
        await HoldNoticeTable.update({HoldNoticeTable.used_at: now.astimezone(UTC)})
        .where(HoldNoticeTable.id == notice_id)
        .where(HoldNoticeTable.used_at.is_null())
        .returning(HoldNoticeTable.id)
        .run()
    )
    return bool(rows)
