"""Read-side queries of the reminder sweep: which requests may have something due, who hears it.

Only index-backed ranges on ``sort_due_at`` find the deadline reminders (see
``domain.reminders.deadline_windows``); the acknowledgement, extension-notice and non-disclosure
dates are filtered in one more query.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final
from uuid import UUID
from zoneinfo import ZoneInfo

from piccolo.custom_types import Combinable

from domain.identity.tables import UserTable
from domain.notifications.tables import RequestReminderTable
from domain.requests.model import RequestState
from domain.requests.tables import RequestTable
from domain.shared.model import Role

SWEPT_STATES: Final = (
    RequestState.RECEIVED,
    RequestState.TRIAGED,
    RequestState.IN_PROGRESS,
    RequestState.DRAFTING,
    RequestState.REOPENED,
    RequestState.IN_LEGAL_REVIEW,
    RequestState.APPROVED,
)
"""States in which a deadline still runs (not while the clock is stopped for clarification)."""
_RUNNING: Final = frozenset(s.value for s in SWEPT_STATES)
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
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Recipient:
    """An active Docket user who can be told something."""

    id: UUID
    email: str
    role: Role
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SweptRequest:
    """What the sweep reads of a request."""

    id: UUID
    reference: str
    summary: str
    rule_id: str
    assignee: UUID | None
    received_at: datetime
    tz: str
    due_at: datetime | None
    acknowledgement_due_at: datetime | None
    extension_notice_due_at: datetime | None
    nondisclosure_ends_at: datetime | None


async def active_recipients() -> list[Recipient]:
    """Every active user."""
    rows = await UserTable.select(
        UserTable.id, UserTable.email, UserTable.role, UserTable.display_name
    ).where(UserTable.disabled_at.is_null())
    return [
        Recipient(id=r["id"], email=r["email"], role=Role(r["role"]), name=r["display_name"])
        for r in rows
    ]


async def own_offsets() -> dict[UUID, tuple[timedelta, ...]]:
    """The requests that have their own reminder offsets, and those offsets."""
    rows = await RequestReminderTable.select(
        RequestReminderTable.request_id, RequestReminderTable.offsets
    )
    return {
        r["request_id"]: tuple(timedelta(seconds=s) for s in json.loads(r["offsets"])) for r in rows
    }


def _day_start(day: date | None, tz: str) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(tz))


def _swept(row: dict[str, object]) -> SweptRequest:
    """A row as the sweep sees it: deadlines only while they run (see ``SWEPT_STATES``)."""
    if row["state"] not in _RUNNING:
        row = {
            **row,
            "due_at": None,
            "extended_due_at": None,
            "acknowledgement_due_at": None,
            "extension_notice_due_at": None,
        }
    taken = bool(row["extension_taken"])
    due = row["extended_due_at"] if taken else row["due_at"]
    ends = row["notice_delay_expires_on"] or row["nondisclosure_expires_on"]
    assert isinstance(ends, date | None)  # noqa: S101 - the column's type
    return SweptRequest(
        id=row["id"],  # type: ignore[arg-type]
        reference=str(row["reference"]),
        summary=str(row["summary"]),
        rule_id=str(row["rule_id"]),
        assignee=row["assignee"],  # type: ignore[arg-type]
        received_at=row["received_at"],  # type: ignore[arg-type]
        tz=str(row["tz"]),
        due_at=due,  # type: ignore[arg-type]
        acknowledgement_due_at=(
            None if row["receipt_acknowledged_at"] else row["acknowledgement_due_at"]  # type: ignore[arg-type]
        ),
        extension_notice_due_at=None if taken else row["extension_notice_due_at"],  # type: ignore[arg-type]
        nondisclosure_ends_at=_day_start(ends, str(row["tz"])),
    )


def _any(conditions: list[Combinable]) -> Combinable:
    combined = conditions[0]
    for c in conditions[1:]:
        combined = combined | c
    return combined


def _open(rows: list[dict[str, object]]) -> list[SweptRequest]:
    """The rows of requests still to be reminded of something, as sweep values.

    The state is filtered here, not in SQL: nearly every row is in one of these states, and
    without statistics SQLite would then pick the state index over the deadline ranges. A
    non-disclosure period's end matters after the answer too (the user may be told then).
    """
    return [_swept(r) for r in rows if r["state"] in _RUNNING or r["state"] in _ANSWERED]


async def deadline_candidates(
    windows: list[tuple[datetime | None, datetime]], *, overdue_before: datetime
) -> list[SweptRequest]:
    """Open requests whose binding deadline lies in a window, or at/before ``overdue_before``."""
    col = RequestTable.sort_due_at
    ranges: list[Combinable] = [col <= overdue_before]
    for low, high in windows:
        ranges.append(col <= high if low is None else (col > low) & (col <= high))
    return _open(await RequestTable.select(*_COLUMNS).where(_any(ranges)).run())


async def secondary_candidates(
    windows: list[tuple[datetime | None, datetime]], *, since: datetime | None, now: datetime
) -> list[SweptRequest]:
    """Open requests with an acknowledgement, extension-notice or non-disclosure end near.

    That is: the acknowledgement or extension-notice deadline lies in a window, or the
    non-disclosure period ends between ``since`` and ``now`` (a day either side).
    """
    conditions: list[Combinable] = []
    for col in (RequestTable.acknowledgement_due_at, RequestTable.extension_notice_due_at):
        for low, high in windows:
            conditions.append(col <= high if low is None else (col > low) & (col <= high))
    last = now.date() + timedelta(days=1)
    for day in (RequestTable.nondisclosure_expires_on, RequestTable.notice_delay_expires_on):
        first = None if since is None else since.date() - timedelta(days=1)
        conditions.append(day <= last if first is None else (day >= first) & (day <= last))
    return _open(await RequestTable.select(*_COLUMNS).where(_any(conditions)).run())


async def digest_items(now: datetime, horizon: timedelta) -> dict[UUID, list[SweptRequest]]:
    """Each assignee's open requests whose deadline falls in ``(now, now + horizon]``."""
    col = RequestTable.sort_due_at
    window = (col > now) & (col <= now + horizon) & RequestTable.assignee.is_not_null()
    rows = await RequestTable.select(*_COLUMNS).where(window).order_by(col).run()
    found: dict[UUID, list[SweptRequest]] = defaultdict(list)
    for item in _open(rows):
        if item.assignee is not None and item.due_at is not None:
            found[item.assignee].append(item)
    return dict(found)


@dataclass(frozen=True, slots=True, kw_only=True)
class IntakeCount:
    """Requests received from one authority or jurisdiction: the last week and the 8 before."""

    subject_type: str
    subject_id: str
    last_week: int
    trailing: int


async def intake_counts(now: datetime) -> list[IntakeCount]:
    """Requests received per authority and per jurisdiction: the last 7 days, the 8 weeks before."""
    week_ago, start = now - timedelta(days=7), now - timedelta(days=63)
    rows = await RequestTable.select(
        RequestTable.authority_id, RequestTable.jurisdiction, RequestTable.received_at
    ).where((RequestTable.received_at > start) & (RequestTable.received_at <= now))
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        slot = 0 if r["received_at"] > week_ago else 1
        counts[("authority", str(r["authority_id"]))][slot] += 1
        counts[("jurisdiction", str(r["jurisdiction"]))][slot] += 1
    return [
        IntakeCount(subject_type=k[0], subject_id=k[1], last_week=v[0], trailing=v[1])
        for k, v in sorted(counts.items())
    ]
