"""The query parameters that narrow a list of requests, shared by the list and the CSV export."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar.di import Provide
from litestar.params import FromQuery, QueryParameter

from api.query_params import Code, Country, Instant, Tag, Text
from domain.requests.model import DsaBasis, Instrument, Priority, RequestKind, RequestSort
from domain.requests.repo import RequestFilters
from domain.requests.workflow import RequestState
from domain.shared.errors import ValidationError


def _aware(value: str | None, field: str) -> datetime | None:
    # read here rather than by Litestar, which would take a number as a Unix time
    if value is None:
        return None
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        raise ValidationError(
            field, "must be a date and time with a UTC offset, e.g. 2026-03-31T00:00:00Z"
        )
    return instant


def request_filters(
    *,
    state_filter: Annotated[
        list[RequestState] | None,
        QueryParameter(name="state", description="one or more: `state=received&state=triaged`"),
    ] = None,
    jurisdiction: Code = None,
    rule: Code = None,
    authority_id: FromQuery[UUID | None] = None,
    assignee: FromQuery[UUID | None] = None,
    priority: FromQuery[Priority | None] = None,
    tag: Tag = None,
    overdue: FromQuery[bool] = False,
    due_within_days: Annotated[int | None, QueryParameter(ge=0, le=3660)] = None,
    due_before: Instant = None,
    due_after: Instant = None,
    q: Text = None,
    kind: FromQuery[RequestKind | None] = None,
    dsa_basis: FromQuery[DsaBasis | None] = None,
    instrument: FromQuery[Instrument | None] = None,
    emergency: FromQuery[bool | None] = None,
    country: Country = None,
    sort: FromQuery[RequestSort] = RequestSort.DUE,
) -> RequestFilters:
    """The filters given in the query string (codes upper-, tags lower-cased)."""
    return RequestFilters(
        states=frozenset(state_filter or ()),
        jurisdiction=None if jurisdiction is None else jurisdiction.upper(),
        rule_id=rule,
        authority_id=authority_id,
        assignee=assignee,
        priority=priority,
        tag=None if tag is None else tag.lower(),
        overdue=overdue,
        due_within_days=due_within_days,
        due_before=_aware(due_before, "due_before"),
        due_after=_aware(due_after, "due_after"),
        q=q,
        kind=kind,
        dsa_basis=dsa_basis,
        instrument=instrument,
        emergency=emergency,
        country=None if country is None else country.upper(),
        sort=sort,
    )


FILTERS = {"filters": Provide(request_filters, sync_to_thread=False)}
"""The ``dependencies`` of a handler that takes ``filters: RequestFilters``."""
