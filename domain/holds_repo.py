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
from domain.holds_model import (
    PRESERVING_STATES,
    Acknowledgement,
    CoveringHold,
    Custodian,
    DataSource,
    HoldState,
    LegalHold,
)
from domain.repo import Row, aware
from domain.tables import HoldCustodianTable, HoldDataSourceTable, HoldTable, RequestTable

Key: TypeAlias = tuple[datetime, UUID]


def _uuid(value: object) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


def _aware_or_none(value: object) -> datetime | None:
    return None if value is None else aware(value)


def _date_or_none(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _acknowledgement(row: Row) -> Acknowledgement | None:
    if row["acknowledged_at"] is None:
        return None
    return Acknowledgement(
        at=aware(row["acknowledged_at"]),
        address=str(row["ack_address"]),
        user_agent=str(row["ack_user_agent"]),
        answers=json.loads(str(row["ack_answers"])),
    )


def _custodian(row: Row) -> Custodian:
    return Custodian(
        email=str(row["email"]),
        name=str(row["name"]),
        manager_email=str(row["manager_email"]),
        released_at=_aware_or_none(row["released_at"]),
        acknowledgement=_acknowledgement(row),
    )


def _data_source(row: Row) -> DataSource:
    return DataSource(
        system=str(row["system"]),
        identifier=str(row["identifier"]),
        released_at=_aware_or_none(row["released_at"]),
    )


def _hold(
    row: Row,
    custodians: Iterable[Custodian],
    sources: Iterable[DataSource],
    expires_at: datetime | None = None,
) -> LegalHold:
    preservation = row["preservation_request_id"]
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
        preservation_request_id=None if preservation is None else _uuid(preservation),
        expires_at=expires_at,
        questions=tuple(json.loads(str(row["questions"]))),
    )


async def preservation_ends(request_id: UUID) -> datetime | None:
    """When a preservation request's period ends: its renewed (extended) due time, else its due."""
    row = (
        await RequestTable.select(
            RequestTable.due_at, RequestTable.extended_due_at, RequestTable.extension_taken
        )
        .where(RequestTable.id == request_id)
        .first()
        .run()
    )
    if row is None:
        return None
    renewed = row["extension_taken"] and row["extended_due_at"] is not None
    return _aware_or_none(row["extended_due_at"] if renewed else row["due_at"])


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
            preservation_request_id=hold.preservation_request_id,
            questions=json.dumps(list(hold.questions)),
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
    preservation = row["preservation_request_id"]
    expires = None if preservation is None else await preservation_ends(_uuid(preservation))
    return _hold(row, map(_custodian, custodians), map(_data_source, sources), expires)


async def set_state(hold_id: UUID, state: HoldState, now: datetime) -> None:
    """Move a hold to ``state``; issuing stamps ``issued_at``, releasing ``released_at``."""
    values: dict[object, object] = {HoldTable.state: state.value}
    if state is HoldState.ISSUED:
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


async def acknowledge_custodian(hold_id: UUID, email: str, ack: Acknowledgement) -> None:
    """Record a custodian's acknowledgement of this hold (their first one only)."""
    await (
        HoldCustodianTable.update(
            {
                HoldCustodianTable.acknowledged_at: ack.at.astimezone(UTC),
                HoldCustodianTable.ack_address: ack.address,
                HoldCustodianTable.ack_user_agent: ack.user_agent,
                HoldCustodianTable.ack_answers: json.dumps(dict(ack.answers), sort_keys=True),
            }
        )
        .where(HoldCustodianTable.hold_id == hold_id)
        .where(HoldCustodianTable.email == email)
        .where(HoldCustodianTable.acknowledged_at.is_null())
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
    found = {_uuid(r["id"]): str(r["matter"]) for r in rows}  # one row per hold, in order
    return [CoveringHold(ident, matter) for ident, matter in found.items()]


async def holds_covering_custodian(email: str) -> list[CoveringHold]:
    """Preserving holds on which ``email`` is a custodian not released: one indexed join."""
    return _covering(await HoldTable.raw(_COVERING_CUSTODIAN, email, *_PRESERVING).run())


async def holds_covering_data_source(system: str, identifier: str) -> list[CoveringHold]:
    """Preserving holds on which the data source is not released: one indexed join."""
    query = _COVERING_DATA_SOURCE
    return _covering(await HoldTable.raw(query, system, identifier, *_PRESERVING).run())


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


async def list_holds(
    state: HoldState | None,
    *,
    limit: int,
    after: Key | None,
    matter: str | None = None,
    custodian: str | None = None,
) -> list[LegalHold]:
    """At most ``limit`` holds, newest first, after a cursor's key, filtered."""
    query = HoldTable.select(HoldTable.id)
    if state is not None:
        query = query.where(HoldTable.state == state.value)
    if matter:
        query = query.where(HoldTable.matter == matter)
    if custodian:
        held = HoldCustodianTable.select(HoldCustodianTable.hold_id).where(
            HoldCustodianTable.email == custodian
        )
        ids = [r["hold_id"] for r in await held.run()]
        if not ids:
            return []
        query = query.where(HoldTable.id.is_in(ids))
    if after is not None:
        key, ident = after
        query = query.where(
            (HoldTable.created_at < key) | ((HoldTable.created_at == key) & (HoldTable.id < ident))
        )
    rows = (
        await query.order_by(HoldTable.created_at, HoldTable.id, ascending=False).limit(limit).run()
    )
    return [await get_hold(_uuid(r["id"])) for r in rows]
