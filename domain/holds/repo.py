"""Legal holds in and out of their tables, and the queries of the preservation check."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TypeAlias
from uuid import UUID

from domain.holds.errors import HoldNotFoundError
from domain.holds.model import (
    PRESERVING_STATES,
    Acknowledgement,
    CoveringHold,
    Custodian,
    DataSource,
    HoldState,
    LegalHold,
)
from domain.holds.tables import HoldCustodianTable, HoldDataSourceTable, HoldTable
from domain.requests.tables import RequestTable
from domain.shared.rows import Row, as_uuid, aware, aware_or_none, date_or_none

Key: TypeAlias = tuple[datetime, UUID]


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
        released_at=aware_or_none(row["released_at"]),
        acknowledgement=_acknowledgement(row),
    )


def _data_source(row: Row) -> DataSource:
    return DataSource(
        system=str(row["system"]),
        identifier=str(row["identifier"]),
        released_at=aware_or_none(row["released_at"]),
    )


def _hold(
    row: Row,
    custodians: Iterable[Custodian],
    sources: Iterable[DataSource],
    expires_at: datetime | None = None,
) -> LegalHold:
    preservation = row["preservation_request_id"]
    return LegalHold(
        id=as_uuid(row["id"]),
        matter=str(row["matter"]),
        title=str(row["title"]),
        state=HoldState(str(row["state"])),
        request_ids=tuple(UUID(i) for i in json.loads(str(row["request_ids"]))),
        scope_start=date_or_none(row["scope_start"]),
        scope_end=date_or_none(row["scope_end"]),
        keywords=tuple(json.loads(str(row["keywords"]))),
        scope_description=str(row["scope_description"]),
        notice_text=str(row["notice_text"]),
        custodians=tuple(custodians),
        data_sources=tuple(sources),
        created_by=str(row["created_by"]),
        created_at=aware(row["created_at"]),
        issued_at=aware_or_none(row["issued_at"]),
        released_at=aware_or_none(row["released_at"]),
        preservation_request_id=None if preservation is None else as_uuid(preservation),
        expires_at=expires_at,
        questions=tuple(json.loads(str(row["questions"]))),
    )


async def _preservation_ends(request_ids: list[UUID]) -> dict[UUID, datetime | None]:
    """When each preservation request's period ends (the renewed due time once renewed)."""
    if not request_ids:
        return {}
    rows = (
        await RequestTable.select(
            RequestTable.id,
            RequestTable.due_at,
            RequestTable.extended_due_at,
            RequestTable.extension_taken,
        )
        .where(RequestTable.id.is_in(request_ids))
        .run()
    )
    ends: dict[UUID, datetime | None] = {}
    for row in rows:
        renewed = row["extension_taken"] and row["extended_due_at"] is not None
        ends[as_uuid(row["id"])] = aware_or_none(
            row["extended_due_at"] if renewed else row["due_at"]
        )
    return ends


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


async def _assemble(rows: Sequence[Row]) -> list[LegalHold]:
    """Holds from their rows, with custodians, data sources and expiry: four queries in all."""
    if not rows:
        return []
    ids = [as_uuid(r["id"]) for r in rows]
    custodians: dict[UUID, list[Custodian]] = {i: [] for i in ids}
    for c in (
        await HoldCustodianTable.select()
        .where(HoldCustodianTable.hold_id.is_in(ids))
        .order_by(HoldCustodianTable.email)
        .run()
    ):
        custodians[as_uuid(c["hold_id"])].append(_custodian(c))
    sources: dict[UUID, list[DataSource]] = {i: [] for i in ids}
    for d in (
        await HoldDataSourceTable.select()
        .where(HoldDataSourceTable.hold_id.is_in(ids))
        .order_by(HoldDataSourceTable.system, HoldDataSourceTable.identifier)
        .run()
    ):
        sources[as_uuid(d["hold_id"])].append(_data_source(d))
    ends = await _preservation_ends(
        [as_uuid(r["preservation_request_id"]) for r in rows if r["preservation_request_id"]]
    )
    return [
        _hold(
            r,
            custodians[as_uuid(r["id"])],
            sources[as_uuid(r["id"])],
            None
            if r["preservation_request_id"] is None
            else ends.get(as_uuid(r["preservation_request_id"])),
        )
        for r in rows
    ]


async def get_hold(hold_id: UUID) -> LegalHold:
    """One hold with its custodians and data sources.

    Raises:
        HoldNotFoundError: no such hold.
    """
    found = await _assemble(await HoldTable.select().where(HoldTable.id == hold_id).run())
    if not found:
        raise HoldNotFoundError(hold_id)
    return found[0]


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
    found = {as_uuid(r["id"]): str(r["matter"]) for r in rows}  # one row per hold, in order
    return [CoveringHold(ident, matter) for ident, matter in found.items()]


async def holds_covering_custodian(email: str) -> list[CoveringHold]:
    """Preserving holds on which ``email`` is a custodian not released: one indexed join."""
    return _covering(await HoldTable.raw(_COVERING_CUSTODIAN, email, *_PRESERVING).run())


async def holds_covering_data_source(system: str, identifier: str) -> list[CoveringHold]:
    """Preserving holds on which the data source is not released: one indexed join."""
    query = _COVERING_DATA_SOURCE
    return _covering(await HoldTable.raw(query, system, identifier, *_PRESERVING).run())


async def list_holds(
    state: HoldState | None,
    *,
    limit: int,
    after: Key | None,
    matter: str | None = None,
    custodian: str | None = None,
) -> list[LegalHold]:
    """At most ``limit`` holds, newest first, after a cursor's key, filtered."""
    query = HoldTable.select()
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
    return await _assemble(rows)
