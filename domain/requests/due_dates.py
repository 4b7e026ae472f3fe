"""Requests' deadlines as other aggregates read them: rows in, small frozen read models out.

Internal lookups for the reminder sweep, the daily digest, the calendar feed and the holds that
follow a preservation request: no permission checks (the callers run as the system, or have
checked their own). Each function is one query, whatever the number of rows: the sweep's read
side stays a fixed number of queries per sweep. Only index-backed ranges on ``sort_due_at`` find
the deadline reminders; the acknowledgement, extension-notice and non-disclosure dates are
filtered in one more query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final
from uuid import UUID
from zoneinfo import ZoneInfo

from piccolo.columns import Column
from piccolo.custom_types import Combinable

from domain.requests.model import RegulatoryRequest
from domain.requests.repo import request_from_row
from domain.requests.tables import RequestTable
from domain.requests.workflow import FINISHED_STATES, RequestState
from domain.shared.rows import Row, as_uuid, aware, aware_or_none, date_or_none

RUNNING_STATES: Final = (
    RequestState.RECEIVED,
    RequestState.TRIAGED,
    RequestState.IN_PROGRESS,
    RequestState.DRAFTING,
    RequestState.REOPENED,
    RequestState.IN_LEGAL_REVIEW,
    RequestState.APPROVED,
)
"""States in which a deadline still runs (not while the clock is stopped for clarification)."""
_RUNNING: Final = frozenset(s.value for s in RUNNING_STATES)
_ANSWERED: Final = frozenset({RequestState.SENT.value, RequestState.CLOSED.value})

_COLUMNS: Final = (
    RequestTable.id,
    RequestTable.reference,
    RequestTable.summary,
    RequestTable.rule_id,
    RequestTable.assignee,
    RequestTable.received_at,
    RequestTable.tz,
    RequestTable.due_at,
    RequestTable.extended_due_at,
    RequestTable.extension_taken,
    RequestTable.sort_due_at,
    RequestTable.acknowledgement_due_at,
    RequestTable.receipt_acknowledged_at,
    RequestTable.extension_notice_due_at,
    RequestTable.nondisclosure_expires_on,
    RequestTable.notice_delay_expires_on,
    RequestTable.authority_id,
    RequestTable.jurisdiction,
    RequestTable.state,
    RequestTable.updated_at,
)


@dataclass(frozen=True, slots=True)
class DueWindow:
    """Deadlines in ``(after, until]``; ``after`` None is unbounded below."""

    after: datetime | None
    until: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class RunningDeadlines:
    """A request's deadlines that still run, and what a reminder names it by (a read model).

    A deadline is None when it does not run: the clock is stopped, the request is answered,
    the receipt was acknowledged already, or the extension was taken (no notice is due then).
    """

    id: UUID
    reference: str
    summary: str
    rule_id: str
    assignee: UUID | None
    received_at: datetime
    tz: str
    due_at: datetime | None
    """The binding deadline: the extended one once the extension is taken."""
    acknowledgement_due_at: datetime | None
    extension_notice_due_at: datetime | None
    nondisclosure_ends_at: datetime | None
    """The start of the local day a non-disclosure (or notice delay) period ends on."""
    changed_at: datetime
    """When the request was logged or last changed (its deadlines may have moved then)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class IntakeCount:
    """Requests received from one authority or jurisdiction: the last week and the 8 before."""

    subject_type: str
    """``authority`` or ``jurisdiction``."""
    subject_id: str
    last_week: int
    trailing: int


def _day_start(day: date | None, tz: str) -> datetime | None:
    return None if day is None else datetime.combine(day, time(0), tzinfo=ZoneInfo(tz))


def _running(row: Row) -> RunningDeadlines:
    """A row as its deadlines run: none while stopped or answered (see ``RUNNING_STATES``)."""
    runs = str(row["state"]) in _RUNNING
    taken = bool(row["extension_taken"])
    due = row["due_at"]  # the deadline in force
    acknowledged = row["receipt_acknowledged_at"] is not None
    tz = str(row["tz"])
    ends = date_or_none(row["notice_delay_expires_on"]) or date_or_none(
        row["nondisclosure_expires_on"]
    )
    return RunningDeadlines(
        id=as_uuid(row["id"]),
        reference=str(row["reference"]),
        summary=str(row["summary"]),
        rule_id=str(row["rule_id"]),
        assignee=None if row["assignee"] is None else as_uuid(row["assignee"]),
        received_at=aware(row["received_at"]),
        tz=tz,
        due_at=aware_or_none(due) if runs else None,
        acknowledgement_due_at=(
            aware_or_none(row["acknowledgement_due_at"]) if runs and not acknowledged else None
        ),
        extension_notice_due_at=(
            aware_or_none(row["extension_notice_due_at"]) if runs and not taken else None
        ),
        nondisclosure_ends_at=_day_start(ends, tz),
        changed_at=aware(row["updated_at"]),
    )


def _unfinished(rows: Iterable[Row]) -> list[RunningDeadlines]:
    """The rows of requests still to be reminded of something, as read models.

    The state is filtered here, not in SQL: nearly every row is in one of these states, and
    without statistics SQLite would then pick the state index over the deadline ranges. A
    non-disclosure period's end matters after the answer too (the user may be told then).
    """
    return [_running(r) for r in rows if str(r["state"]) in _RUNNING | _ANSWERED]


def _any(conditions: Sequence[Combinable]) -> Combinable:
    combined = conditions[0]
    for c in conditions[1:]:
        combined = combined | c
    return combined


def _in(column: Column, window: DueWindow) -> Combinable:
    if window.after is None:
        return column <= window.until
    return (column > window.after) & (column <= window.until)


async def deadline_candidates(
    windows: Sequence[DueWindow], *, overdue_before: datetime
) -> list[RunningDeadlines]:
    """Unfinished requests whose binding deadline lies in a window, or at/before ``overdue_before``.

    One query (index ranges on ``sort_due_at``).
    """
    col = RequestTable.sort_due_at
    ranges: list[Combinable] = [col <= overdue_before, *(_in(col, w) for w in windows)]
    return _unfinished(await RequestTable.select(*_COLUMNS).where(_any(ranges)).run())


async def changed_after(
    instant: datetime, *, request_ids: Sequence[UUID] = ()
) -> list[RunningDeadlines]:
    """Unfinished requests logged or changed after ``instant``, and those of ``request_ids``.

    One query, on the index of ``updated_at`` (its own: joined to the deadline ranges by OR,
    it made SQLite read the whole table).
    """
    changed: Combinable = RequestTable.updated_at > instant
    if request_ids:
        changed = changed | RequestTable.id.is_in(list(request_ids))
    return _unfinished(await RequestTable.select(*_COLUMNS).where(changed).run())


async def secondary_candidates(
    windows: Sequence[DueWindow], *, since: datetime | None, now: datetime
) -> list[RunningDeadlines]:
    """Unfinished requests with an acknowledgement, extension-notice or non-disclosure end near.

    That is: the acknowledgement or extension-notice deadline lies in a window, or the
    non-disclosure period ends between ``since`` and ``now`` (a day either side). One query.
    """
    conditions: list[Combinable] = [
        _in(col, w)
        for col in (RequestTable.acknowledgement_due_at, RequestTable.extension_notice_due_at)
        for w in windows
    ]
    last = now.date() + timedelta(days=1)
    first = None if since is None else since.date() - timedelta(days=1)
    for day in (RequestTable.nondisclosure_expires_on, RequestTable.notice_delay_expires_on):
        conditions.append(day <= last if first is None else (day >= first) & (day <= last))
    return _unfinished(await RequestTable.select(*_COLUMNS).where(_any(conditions)).run())


async def assigned_due_between(after: datetime, until: datetime) -> list[RunningDeadlines]:
    """Unfinished assigned requests whose binding deadline is in ``(after, until]``, soonest first.

    One query.
    """
    col = RequestTable.sort_due_at
    window = (col > after) & (col <= until) & RequestTable.assignee.is_not_null()
    rows = await RequestTable.select(*_COLUMNS).where(window).order_by(col).run()
    return _unfinished(rows)


async def intake_counts(now: datetime) -> list[IntakeCount]:
    """Requests received per authority and per jurisdiction: the last 7 days, the 8 weeks before.

    One query.
    """
    week_ago, start = now - timedelta(days=7), now - timedelta(days=63)
    rows = await RequestTable.select(
        RequestTable.authority_id, RequestTable.jurisdiction, RequestTable.received_at
    ).where((RequestTable.received_at > start) & (RequestTable.received_at <= now))
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        slot = 0 if aware(r["received_at"]) > week_ago else 1
        counts[("authority", str(r["authority_id"]))][slot] += 1
        counts[("jurisdiction", str(r["jurisdiction"]))][slot] += 1
    return [
        IntakeCount(subject_type=kind, subject_id=ident, last_week=last, trailing=trailing)
        for (kind, ident), (last, trailing) in sorted(counts.items())
    ]


async def binding_due_dates(request_ids: Sequence[UUID]) -> dict[UUID, datetime | None]:
    """Each request's binding deadline (the extended one once the extension is taken).

    One query; requests that do not exist are left out.
    """
    if not request_ids:
        return {}
    rows = (
        await RequestTable.select(RequestTable.id, RequestTable.due_at)
        .where(RequestTable.id.is_in(list(request_ids)))
        .run()
    )
    return {as_uuid(row["id"]): aware_or_none(row["due_at"]) for row in rows}


async def assigned_unfinished(user_id: UUID) -> list[RegulatoryRequest]:
    """The requests assigned to a user that are not finished, soonest binding deadline first.

    One query.
    """
    rows = (
        await RequestTable.select()
        .where(RequestTable.assignee == user_id)
        .where(RequestTable.state.not_in([s.value for s in FINISHED_STATES]))
        .order_by(RequestTable.sort_due_at)
        .run()
    )
    return [request_from_row(r) for r in rows]
