"""Legal holds in and out of their tables, and the queries of the preservation check."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import TypeAlias
from uuid import UUID

from domain.errors import HoldNotFoundError, ValidationError
from domain.holds_model import CoveringHold, Custodian, DataSource, HoldState, LegalHold
from domain.repo import Row, aware
from domain.tables import HoldCustodianTable, HoldDataSourceTable, HoldTable

Key: TypeAlias = tuple[datetime, UUID]


def _uuid(value: object) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


def _aware_or_none(value: object) -> datetime | None:
    return None if value is None else aware(value)


def _date_or_none(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _custodian(row: Row) -> Custodian:
    return Custodian(
        email=str(row["email"]),
        name=str(row["name"]),
        manager_email=str(row["manager_email"]),
        released_at=_aware_or_none(row["released_at"]),
    )


def _data_source(row: Row) -> DataSource:
    return DataSource(
        system=str(row["system"]),
        identifier=str(row["identifier"]),
        released_at=_aware_or_none(row["released_at"]),
    )


def _hold(row: Row, custodians: Iterable[Custodian], sources: Iterable[DataSource]) -> LegalHold:
    return LegalHold(
        id=_uuid(row["id"]),
        matter=str(row["matter"]),
        title=str(row["title"]),
        state=HoldState(str(row["state"])),
        request_ids=tuple(UUID(i) for i in json.loads(str(row["request_ids"]))),
        scope_start=_date_or_none(row["scope_start"]),
        scope_end=_date_or_none(row["scope_end"]),
        keywords=tuple(json.loads(str(row["keywords"]))),
        scope_description=str(row["scope_description"]),
        notice_text=str(row["notice_text"]),
        custodians=tuple(custodians),
        data_sources=tuple(sources),
        created_by=str(row["created_by"]),
        created_at=aware(row["created_at"]),
        issued_at=_aware_or_none(row["issued_at"]),
        released_at=_aware_or_none(row["released_at"]),
    )


async def insert_hold(hold: LegalHold) -> None:
    """Save a new hold with its custodians and data sources (inside the caller's transaction)."""
    await HoldTable.insert(
        HoldTable(
            id=hold.id,
            matter=hold.matter,
            title=hold.title,
            state=hold.state.value,
            request_ids=json.dumps([str(i) for i in hold.request_ids]),
            scope_start=hold.scope_start,
            scope_end=hold.scope_end,
            keywords=json.dumps(list(hold.keywords)),
            scope_description=hold.scope_description,
            notice_text=hold.notice_text,
            created_by=hold.created_by,
            created_at=hold.created_at.astimezone(UTC),
        )
    ).run()
    if hold.custodians:
        await HoldCustodianTable.insert(
            *(
                HoldCustodianTable(
                    hold_id=hold.id, email=c.email, name=c.name, manager_email=c.manager_email
                )
                for c in hold.custodians
            )
        ).run()
    if hold.data_sources:
        await HoldDataSourceTable.insert(
            *(
                HoldDataSourceTable(hold_id=hold.id, system=d.system, identifier=d.identifier)
                for d in hold.data_sources
            )
        ).run()


async def get_hold(hold_id: UUID) -> LegalHold:
    """One hold with its custodians and data sources.

    Raises:
        HoldNotFoundError: no such hold.
    """
    row = await HoldTable.select().where(HoldTable.id == hold_id).first().run()
    if row is None:
        raise HoldNotFoundError(hold_id)
    custodians = (
        await HoldCustodianTable.select()
        .where(HoldCustodianTable.hold_id == hold_id)
        .order_by(HoldCustodianTable.email)
        .run()
    )
    sources = (
        await HoldDataSourceTable.select()
        .where(HoldDataSourceTable.hold_id == hold_id)
        .order_by(HoldDataSourceTable.system, HoldDataSourceTable.identifier)
        .run()
    )
    return _hold(row, map(_custodian, custodians), map(_data_source, sources))


async def set_state(hold_id: UUID, state: HoldState, now: datetime) -> None:
    """Move a hold to ``state``; issuing stamps ``issued_at``, releasing ``released_at``."""
    values: dict[object, object] = {HoldTable.state: state.value}
    if state is HoldState.ACTIVE:
        values[HoldTable.issued_at] = now.astimezone(UTC)
    if state is HoldState.RELEASED:
        values[HoldTable.released_at] = now.astimezone(UTC)
    await HoldTable.update(values).where(HoldTable.id == hold_id).run()  # type: ignore[arg-type]


async def release_custodian(hold_id: UUID, email: str, now: datetime) -> None:
    """Stamp the custodian's row of this hold as released."""
    await (
        HoldCustodianTable.update({HoldCustodianTable.released_at: now.astimezone(UTC)})
        .where(HoldCustodianTable.hold_id == hold_id)
        .where(HoldCustodianTable.email == email)
        .where(HoldCustodianTable.released_at.is_null())
        .run()
    )


async def release_data_source(hold_id: UUID, system: str, identifier: str, now: datetime) -> None:
    """Stamp the data source's row of this hold as released."""
    await (
        HoldDataSourceTable.update({HoldDataSourceTable.released_at: now.astimezone(UTC)})
        .where(HoldDataSourceTable.hold_id == hold_id)
        .where(HoldDataSourceTable.system == system)
        .where(HoldDataSourceTable.identifier == identifier)
        .where(HoldDataSourceTable.released_at.is_null())
        .run()
    )


async def _active_holds(hold_ids: Iterable[object]) -> list[CoveringHold]:
    ids = sorted({_uuid(i) for i in hold_ids}, key=str)
    if not ids:
        return []
    rows = (
        await HoldTable.select(HoldTable.id, HoldTable.matter)
        .where(HoldTable.id.is_in(ids))
        .where(HoldTable.state == HoldState.ACTIVE.value)
        .order_by(HoldTable.created_at, HoldTable.id)
        .run()
    )
    return [CoveringHold(_uuid(r["id"]), str(r["matter"])) for r in rows]


async def holds_covering_custodian(email: str) -> list[CoveringHold]:
    """Active holds on which ``email`` is a custodian not released (indexed on the e-mail)."""
    rows = (
        await HoldCustodianTable.select(HoldCustodianTable.hold_id)
        .where(HoldCustodianTable.email == email)
        .where(HoldCustodianTable.released_at.is_null())
        .run()
    )
    return await _active_holds(r["hold_id"] for r in rows)


async def holds_covering_data_source(system: str, identifier: str) -> list[CoveringHold]:
    """Active holds on which the data source is not released (indexed on system, identifier)."""
    rows = (
        await HoldDataSourceTable.select(HoldDataSourceTable.hold_id)
        .where(HoldDataSourceTable.system == system)
        .where(HoldDataSourceTable.identifier == identifier)
        .where(HoldDataSourceTable.released_at.is_null())
        .run()
    )
    return await _active_holds(r["hold_id"] for r in rows)


def encode_cursor(hold: LegalHold) -> str:
    """An opaque cursor that resumes the list of holds after ``hold``."""
    raw = {"k": hold.created_at.astimezone(UTC).isoformat(), "i": str(hold.id)}
    return base64.urlsafe_b64encode(json.dumps(raw).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Key:
    """The (created_at, id) a cursor resumes after.

    Raises:
        ValidationError: on ``cursor`` when the list of holds did not hand it out.
    """
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return aware(datetime.fromisoformat(raw["k"])).astimezone(UTC), UUID(raw["i"])
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise ValidationError("cursor", "not a cursor this list handed out") from None


async def list_holds(state: HoldState | None, *, limit: int, after: Key | None) -> list[LegalHold]:
    """At most ``limit`` holds, newest first, after a cursor's key."""
    query = HoldTable.select(HoldTable.id)
    if state is not None:
        query = query.where(HoldTable.state == state.value)
    if after is not None:
        key, ident = after
        query = query.where(
            (HoldTable.created_at < key) | ((HoldTable.created_at == key) & (HoldTable.id < ident))
        )
    rows = (
        await query.order_by(HoldTable.created_at, HoldTable.id, ascending=False).limit(limit).run()
    )
    return [await get_hold(_uuid(r["id"])) for r in rows]
