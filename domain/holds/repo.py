"""Legal holds in and out of their tables: one, a page, a new one, a change saved once."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TypeAlias
from uuid import UUID

from piccolo.columns import Column
from piccolo.engine.postgres import PostgresEngine

from domain.holds.errors import HoldNotFoundError
from domain.holds.identifiers import match_key
from domain.holds.model import (
    Acknowledgement,
    Custodian,
    DataSource,
    HoldState,
    LegalHold,
)
from domain.holds.tables import HoldCustodianTable, HoldDataSourceTable, HoldTable
from domain.requests import queries as requests_queries
from domain.shared.database import current_engine
from domain.shared.errors import StaleVersionError
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
        version=int(str(row["version"])),
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


def _hold_values(hold: LegalHold) -> dict[Column, object]:
    """The columns of a hold's row that may change after it is drafted."""
    return {
        HoldTable.matter: hold.matter,
        HoldTable.title: hold.title,
        HoldTable.state: hold.state.value,
        HoldTable.request_ids: json.dumps([str(i) for i in hold.request_ids]),
        HoldTable.scope_start: hold.scope_start,
        HoldTable.scope_end: hold.scope_end,
        HoldTable.keywords: json.dumps(list(hold.keywords)),
        HoldTable.scope_description: hold.scope_description,
        HoldTable.notice_text: hold.notice_text,
        HoldTable.issued_at: _utc(hold.issued_at),
        HoldTable.released_at: _utc(hold.released_at),
        HoldTable.preservation_request_id: hold.preservation_request_id,
        HoldTable.questions: json.dumps(list(hold.questions)),
    }


def _utc(instant: datetime | None) -> datetime | None:
    return None if instant is None else instant.astimezone(UTC)


async def insert_hold(hold: LegalHold) -> None:
    """Save a new hold with its custodians and data sources (inside the caller's transaction)."""
    await HoldTable.insert(
        HoldTable(
            _data={
                HoldTable.id: hold.id,
                HoldTable.version: hold.version,
                HoldTable.created_by: hold.created_by,
                HoldTable.created_at: hold.created_at.astimezone(UTC),
                **_hold_values(hold),
            }
        )
    ).run()
    await _insert_items(hold)


async def _insert_items(hold: LegalHold) -> None:
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
                HoldDataSourceTable(
                    hold_id=hold.id,
                    system=d.system,
                    identifier=d.identifier,
                    match_key=match_key(d.system, d.identifier),
                )
                for d in hold.data_sources
            )
        ).run()


async def replace_draft_items(hold: LegalHold) -> None:
    """Put a draft's custodians and data sources in place of those it had.

    Requires a draft: nobody was notified and nothing was acknowledged or released yet, so
    the old rows carry nothing to keep (the audit entry keeps what they were).
    """
    await HoldCustodianTable.delete().where(HoldCustodianTable.hold_id == hold.id).run()
    await HoldDataSourceTable.delete().where(HoldDataSourceTable.hold_id == hold.id).run()
    await _insert_items(hold)


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
    ends = await requests_queries.binding_due_dates(
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


async def get_hold(hold_id: UUID, *, lock: bool = False) -> LegalHold:
    """One hold with its custodians and data sources.

    With ``lock``, inside a write transaction on PostgreSQL, the hold's row stays locked until
    commit (``FOR UPDATE``), so changes that cannot be retried by their caller queue up instead
    of failing on the version; SQLite's write transactions lock the whole database already.

    Raises:
        HoldNotFoundError: no such hold.
    """
    query = HoldTable.select().where(HoldTable.id == hold_id)
    if lock and isinstance(current_engine(), PostgresEngine):
        query = query.lock_rows()
    found = await _assemble(await query.run())
    if not found:
        raise HoldNotFoundError(hold_id)
    return found[0]


async def save_hold(before: LegalHold, after: LegalHold) -> None:
    """Store ``after`` over the row still at ``before.version``, bumping the version by one.

    The custodian and data-source rows that differ from ``before`` are written too. Requires
    ``after`` to be ``before`` changed: the same id, custodians and data sources. The version
    condition sits in the UPDATE itself, so two writers that read the same version cannot both
    succeed, whatever the isolation level.

    Raises:
        StaleVersionError: the hold is no longer at ``before.version``.
    """
    values: dict[Column | str, object] = {k: v for k, v in _hold_values(after).items()}
    values[HoldTable.version] = before.version + 1
    saved = await (
        HoldTable.update(values)
        .where((HoldTable.id == before.id) & (HoldTable.version == before.version))
        .returning(HoldTable.id)
        .run()
    )
    if not saved:
        latest = await HoldTable.select(HoldTable.version).where(HoldTable.id == before.id).run()
        actual = int(str(latest[0]["version"])) if latest else before.version
        raise StaleVersionError(before.id, before.version, actual, kind="legal hold")
    custodians = {c.email: c for c in before.custodians}
    for custodian in (c for c in after.custodians if custodians.get(c.email) != c):
        await _save_custodian(before.id, custodian)
    sources = {d.key: d for d in before.data_sources}
    for source in (d for d in after.data_sources if sources.get(d.key) != d):
        await (
            HoldDataSourceTable.update({HoldDataSourceTable.released_at: _utc(source.released_at)})
            .where(HoldDataSourceTable.hold_id == before.id)
            .where(HoldDataSourceTable.system == source.system)
            .where(HoldDataSourceTable.identifier == source.identifier)
            .run()
        )


async def _save_custodian(hold_id: UUID, custodian: Custodian) -> None:
    ack = custodian.acknowledgement
    await (
        HoldCustodianTable.update(
            {
                HoldCustodianTable.released_at: _utc(custodian.released_at),
                HoldCustodianTable.acknowledged_at: None if ack is None else _utc(ack.at),
                HoldCustodianTable.ack_address: "" if ack is None else ack.address,
                HoldCustodianTable.ack_user_agent: "" if ack is None else ack.user_agent,
                HoldCustodianTable.ack_answers: "{}"
                if ack is None
                else json.dumps(dict(ack.answers), sort_keys=True),
            }
        )
        .where(HoldCustodianTable.hold_id == hold_id)
        .where(HoldCustodianTable.email == custodian.email)
        .run()
    )


async def holds_from_request(request_id: UUID) -> list[LegalHold]:
    """The holds that follow preservation request ``request_id``, oldest first."""
    rows = (
        await HoldTable.select()
        .where(HoldTable.preservation_request_id == request_id)
        .order_by(HoldTable.created_at, HoldTable.id)
        .run()
    )
    return await _assemble(rows)
