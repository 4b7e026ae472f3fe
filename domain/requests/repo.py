"""Rows in, values out, for authorities and regulatory requests; reference numbers; list queries."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final
from uuid import UUID

from piccolo.columns import Column

from domain.requests.errors import AuthorityNotFoundError, RequestNotFoundError
from domain.requests.fields import record_columns, record_from_columns
from domain.requests.model import (
    Authority,
    AuthorityType,
    Channel,
    ClockPause,
    Confidentiality,
    DsaBasis,
    Instrument,
    Priority,
    RegulatoryRequest,
    RequestKind,
    RequestSort,
    format_reference,
)
from domain.requests.tables import (
    AuthorityTable,
    ClockPauseTable,
    ReferenceCounterTable,
    RequestTable,
)
from domain.requests.workflow import FINISHED_STATES, RequestState
from domain.shared.rows import Row, as_uuid, aware, aware_or_none, date_or_none

NO_DUE_DATE: Final = datetime(9999, 12, 31, tzinfo=UTC)
"""Sort key of an order that gave no date: after every real deadline, on both engines."""

UNANSWERED_STATES: Final = frozenset(RequestState) - FINISHED_STATES - {RequestState.SENT}
"""States in which the answer is still owed, so the request can be overdue."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestFilters:
    """What a list of requests is narrowed to; None means any."""

    state: RequestState | None = None
    jurisdiction: str | None = None
    rule_id: str | None = None
    authority_id: UUID | None = None
    assignee: UUID | None = None
    priority: Priority | None = None
    tag: str | None = None
    overdue: bool = False
    due_within_days: int | None = None
    due_before: datetime | None = None
    """Only requests whose binding deadline is before this instant."""
    due_after: datetime | None = None
    """Only requests whose binding deadline is at or after this instant."""
    q: str | None = None
    sort: RequestSort = RequestSort.DUE
    """The order of the list (and of a cursor handed out for it)."""
    kind: RequestKind | None = None
    dsa_basis: DsaBasis | None = None
    instrument: Instrument | None = None
    emergency: bool | None = None
    country: str | None = None
    """ISO code of the issuing authority's country."""


def authority_from_row(row: Row) -> Authority:
    """An ``Authority`` from an ``AuthorityTable`` row dict."""
    return Authority(
        id=as_uuid(row["id"]),
        name=str(row["name"]),
        country=str(row["country"]),
        type=AuthorityType(str(row["type"])),
        contact=str(row["contact"]),
        verified=bool(row["verified"]),
        created_at=aware(row["created_at"]),
    )


async def get_authority(authority_id: UUID) -> Authority:
    """The authority with this id.

    Raises:
        AuthorityNotFoundError: when there is none.
    """
    row = await AuthorityTable.select().where(AuthorityTable.id == authority_id).first().run()
    if row is None:
        raise AuthorityNotFoundError(authority_id)
    return authority_from_row(row)


async def list_authorities(country: str | None = None) -> list[Authority]:
    """Every authority (of one country), by country and name."""
    query = AuthorityTable.select()
    if country is not None:
        query = query.where(AuthorityTable.country == country)
    rows = await query.order_by(AuthorityTable.country, AuthorityTable.name, AuthorityTable.id)
    return [authority_from_row(r) for r in rows]


def request_from_row(row: Row) -> RegulatoryRequest:
    """A ``RegulatoryRequest`` from a ``RequestTable`` row dict."""
    return RegulatoryRequest(
        id=as_uuid(row["id"]),
        reference=str(row["reference"]),
        version=int(str(row["version"])),
        authority_id=as_uuid(row["authority_id"]),
        rule_id=str(row["rule_id"]),
        jurisdiction=str(row["jurisdiction"]),
        tz=str(row["tz"]),
        subdivision=None if row["subdivision"] is None else str(row["subdivision"]),
        channel=Channel(str(row["channel"])),
        received_at=aware(row["received_at"]),
        authority_reference=str(row["authority_reference"]),
        legal_basis=str(row["legal_basis"]),
        summary=str(row["summary"]),
        priority=Priority(str(row["priority"])),
        confidentiality=Confidentiality(str(row["confidentiality"])),
        tags=tuple(json.loads(str(row["tags"]))),
        assignee=None if row["assignee"] is None else as_uuid(row["assignee"]),
        response_language=str(row["response_language"]),
        kind=RequestKind(str(row["kind"])),
        dsa_basis=DsaBasis(str(row["dsa_basis"])),
        instrument=Instrument(str(row["instrument"])),
        emergency=bool(row["emergency"]),
        state=RequestState(str(row["state"])),
        due_at=aware_or_none(row["due_at"]),
        due_date=date_or_none(row["due_date"]),
        extended_due_at=aware_or_none(row["extended_due_at"]),
        extended_due_date=date_or_none(row["extended_due_date"]),
        extension_notice_due_at=aware_or_none(row["extension_notice_due_at"]),
        extension_taken=bool(row["extension_taken"]),
        extension_reason=str(row["extension_reason"]),
        extension_notified_on=date_or_none(row["extension_notified_on"]),
        created_at=aware(row["created_at"]),
        updated_at=aware(row["updated_at"]),
        acknowledgement_due_at=aware_or_none(row["acknowledgement_due_at"]),
        record=record_from_columns(row, aware_or_none),
    )


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


def request_values(reg_request: RegulatoryRequest) -> dict[str, object]:
    """The column values of a request (instants in UTC), for an insert or an update."""
    due = reg_request.effective_due_at
    return {
        "reference": reg_request.reference,
        "version": reg_request.version,
        "authority_id": reg_request.authority_id,
        "rule_id": reg_request.rule_id,
        "jurisdiction": reg_request.jurisdiction,
        "tz": reg_request.tz,
        "subdivision": reg_request.subdivision,
        "channel": reg_request.channel.value,
        "received_at": _utc(reg_request.received_at),
        "authority_reference": reg_request.authority_reference,
        "legal_basis": reg_request.legal_basis,
        "summary": reg_request.summary,
        "priority": reg_request.priority.value,
        "confidentiality": reg_request.confidentiality.value,
        "tags": json.dumps(list(reg_request.tags)),
        "assignee": reg_request.assignee,
        "response_language": reg_request.response_language,
        "kind": reg_request.kind.value,
        "dsa_basis": reg_request.dsa_basis.value,
        "instrument": reg_request.instrument.value,
        "emergency": reg_request.emergency,
        "state": reg_request.state.value,
        "due_at": _utc(reg_request.due_at),
        "due_date": reg_request.due_date,
        "extended_due_at": _utc(reg_request.extended_due_at),
        "extended_due_date": reg_request.extended_due_date,
        "extension_notice_due_at": _utc(reg_request.extension_notice_due_at),
        "extension_taken": reg_request.extension_taken,
        "extension_reason": reg_request.extension_reason,
        "extension_notified_on": reg_request.extension_notified_on,
        "acknowledgement_due_at": _utc(reg_request.acknowledgement_due_at),
        "sort_due_at": NO_DUE_DATE if due is None else due.astimezone(UTC),
        "created_at": _utc(reg_request.created_at),
        "updated_at": _utc(reg_request.updated_at),
        **_record_values(reg_request),
    }


def _record_values(reg_request: RegulatoryRequest) -> dict[str, object]:
    values = record_columns(reg_request.record)
    for name, value in values.items():
        if isinstance(value, datetime):
            values[name] = _utc(value)
    return values


async def get_request(request_id: UUID) -> RegulatoryRequest:
    """The request with this id.

    Raises:
        RequestNotFoundError: when there is none.
    """
    row = await RequestTable.select().where(RequestTable.id == request_id).first().run()
    if row is None:
        raise RequestNotFoundError(request_id)
    return request_from_row(row)


async def insert_request(reg_request: RegulatoryRequest) -> None:
    """Store a new request (inside the caller's transaction)."""
    row = RequestTable(id=reg_request.id)
    for column, value in request_values(reg_request).items():
        setattr(row, column, value)
    await RequestTable.insert(row).run()


async def update_request(reg_request: RegulatoryRequest, *, expected_version: int) -> bool:
    """Store ``reg_request`` over the row still at ``expected_version``; False when it is not.

    The version condition sits in the UPDATE itself, so two writers that read the same version
    cannot both succeed, whatever the isolation level.
    """
    values: dict[Column | str, object] = {
        k: v for k, v in request_values(reg_request).items() if k not in {"reference", "created_at"}
    }
    rows = await (
        RequestTable.update(values)
        .where((RequestTable.id == reg_request.id) & (RequestTable.version == expected_version))
        .returning(RequestTable.id)
        .run()
    )
    return bool(rows)


async def allocate_reference(year: int) -> str:
    """The next unused ``REQ-<year>-<number>``; numbers are never handed out twice.

    Runs in the caller's write transaction: the UPDATE locks the year's counter row (PostgreSQL)
    or the database (SQLite, BEGIN IMMEDIATE) until commit, so concurrent loggers queue up; a
    rollback gives the number back unused, and no committed reference is ever reused.
    """
    await (
        ReferenceCounterTable.insert(ReferenceCounterTable(year=year, last_number=0))
        .on_conflict(target=ReferenceCounterTable.year, action="DO NOTHING")
        .run()
    )
    rows = await (
        ReferenceCounterTable.update(
            {ReferenceCounterTable.last_number: ReferenceCounterTable.last_number + 1}
        )
        .where(ReferenceCounterTable.year == year)
        .returning(ReferenceCounterTable.last_number)
        .run()
    )
    return format_reference(year, int(rows[0]["last_number"]))


async def list_pauses(request_id: UUID) -> list[ClockPause]:
    """The clock stops of a request, oldest first."""
    rows = await (
        ClockPauseTable.select(ClockPauseTable.started_at, ClockPauseTable.ended_at)
        .where(ClockPauseTable.request_id == request_id)
        .order_by(ClockPauseTable.started_at)
    )
    return [
        ClockPause(started_at=aware(r["started_at"]), ended_at=aware_or_none(r["ended_at"]))
        for r in rows
    ]


async def start_pause(request_id: UUID, now: datetime) -> None:
    """Open a clock stop at ``now``."""
    await ClockPauseTable.insert(
        ClockPauseTable(request_id=request_id, started_at=now.astimezone(UTC))
    ).run()


async def end_pause(request_id: UUID, now: datetime) -> None:
    """Close the open clock stop of a request at ``now``."""
    await (
        ClockPauseTable.update({ClockPauseTable.ended_at: now.astimezone(UTC)})
        .where(ClockPauseTable.request_id == request_id)
        .where(ClockPauseTable.ended_at.is_null())
        .run()
    )
