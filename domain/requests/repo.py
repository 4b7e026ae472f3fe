"""Rows in, values out, for authorities and regulatory requests; reference numbers; list queries."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final
from uuid import UUID

from piccolo.columns import Column

from domain.requests.clock_fields import STRUCTURED
from domain.requests.errors import AuthorityNotFoundError, RequestNotFoundError
from domain.requests.fields import NAMED_LISTS, RequestRecord, enum_or_none
from domain.requests.flat import REQUEST_FIELDS, Field, plain
from domain.requests.model import (
    Authority,
    AuthorityType,
    ClockPause,
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
    states: frozenset[RequestState] = frozenset()
    """Only requests in one of these states (none: any)."""
    jurisdiction: str | None = None
    rule_id: str | None = None
    authority_id: UUID | None = None
    assignee: UUID | None = None
    priority: Priority | None = None
    tag: str | None = None
    open_only: bool = False
    """Only requests whose answer is still owed (not sent, closed, rejected or withdrawn)."""
    unassigned: bool = False
    """Only requests nobody is assigned to."""
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


_BY_TYPE: Final[Mapping[object, Callable[[object], object]]] = {
    datetime: aware,
    date: date_or_none,
    UUID: as_uuid,
    bool: bool,
    int: lambda value: int(str(value)),
    str: str,
}


def _read_value(field: Field) -> Callable[[object], object]:
    base, vocabulary, element = field.base, field.vocabulary, field.element
    if base in _BY_TYPE:
        return _BY_TYPE[base]
    if vocabulary is not None:
        # a dict look-up of the stored text: the Enum call costs several times more, and a
        # list page reads a dozen vocabularies per row
        members = {m.value: m for m in vocabulary}
        if field.optional:  # '' is "not recorded" in the column
            return lambda value: (
                members[value] if value in members else enum_or_none(vocabulary, value, field.name)
            )
        return lambda value: members[value] if value in members else vocabulary(str(value))
    if element is str:
        return lambda value: () if value == "[]" else tuple(json.loads(str(value)))
    if element in NAMED_LISTS:
        parse_list = NAMED_LISTS[element]
        return lambda value: () if value == "[]" else parse_list(value)
    if base in STRUCTURED:  # stored as its JSON text
        parse = STRUCTURED[base]
        return lambda value: parse(field.name, value)
    msg = f"no column type for the field {field.name}: {field.annotation}"
    raise TypeError(msg)


def _reader(field: Field) -> Callable[[object], object]:
    """How a column value becomes the value of ``field`` (decided by its type, once)."""
    read = _read_value(field)
    if field.optional and field.vocabulary is None:
        return lambda value: None if value is None else read(value)
    return read


_CORE_READERS: Final = tuple((f.attribute, _reader(f)) for f in REQUEST_FIELDS if not f.in_record)
_RECORD_READERS: Final = tuple((f.attribute, _reader(f)) for f in REQUEST_FIELDS if f.in_record)


def request_from_row(row: Row) -> RegulatoryRequest:
    """A ``RegulatoryRequest`` from a ``RequestTable`` row dict (one column per field)."""
    record = {a: read(row[a]) for a, read in _RECORD_READERS}
    core = {a: read(row[a]) for a, read in _CORE_READERS}
    return RegulatoryRequest(**core, record=RequestRecord(**record))  # type: ignore[arg-type]


def _utc(value: object) -> object:
    return value.astimezone(UTC) if isinstance(value, datetime) else value


def _writer(field: Field) -> Callable[[object], object] | None:
    """How the value of ``field`` becomes a column value (None: as it is)."""
    if field.vocabulary is not None:  # a vocabulary's column is NOT NULL: '' is "not recorded"
        return lambda value: "" if value is None else str(value)
    if field.base is datetime:
        return _utc
    if field.element is not None or field.base in STRUCTURED:
        return lambda value: None if value is None else json.dumps(plain(value))
    return None


_STORED: Final = tuple((f, _writer(f)) for f in REQUEST_FIELDS if f.attribute != "id")
"""Every field but the id (the row's key, set once), and how its column value is written."""


def request_values(reg_request: RegulatoryRequest) -> dict[str, object]:
    """The column values of a request (instants in UTC), for an insert or an update."""
    values: dict[str, object] = {}
    for field, write in _STORED:
        value = getattr(reg_request.record if field.in_record else reg_request, field.attribute)
        values[field.attribute] = value if write is None else write(value)
    due = reg_request.effective_due_at
    values["sort_due_at"] = NO_DUE_DATE if due is None else due.astimezone(UTC)
    owed = reg_request.state in UNANSWERED_STATES
    values["queue_due_at"] = values["sort_due_at"] if owed else None
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


async def insert_request(reg_request: RegulatoryRequest) -> RegulatoryRequest:
    """Store a new request (inside the caller's transaction); return it as it is now stored.

    The result is read from the values written (instants in UTC, lists as their JSON), not
    from the database: reading the row back cost a query while the write lock is held.
    """
    values = request_values(reg_request)
    row = RequestTable(id=reg_request.id)
    for column, value in values.items():
        setattr(row, column, value)
    await RequestTable.insert(row).run()
    return request_from_row({"id": reg_request.id, **values})


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
