"""Read side of the reminder sweep: which requests may have something due, who hears it.

The requests' deadlines come from the requests aggregate (``domain.requests.queries``), the
people from identity; each function here is one query, whatever the number of rows, so a sweep
reads what is due in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from uuid import UUID

from domain.identity import users
from domain.identity.model import User
from domain.notifications import repo
from domain.notifications.model import DeliveryKey, OwnOffsets
from domain.notifications.reminders import Window
from domain.requests import queries as requests
from domain.requests.queries import IntakeCount, RunningDeadlines

Alert = tuple[str, str, datetime]
"""One thing to alert of: the subject (``request:<id>``), the kind, and the instant it fell due."""

__all__ = [
    "Alert",
    "IntakeCount",
    "OwnOffsets",
    "RunningDeadlines",
    "active_recipients",
    "alerted",
    "changed_requests",
    "deadline_candidates",
    "digest_items",
    "intake_counts",
    "own_offsets",
    "secondary_candidates",
]


async def active_recipients() -> list[User]:
    """Every active user."""
    return await users.active_users()


async def own_offsets() -> dict[UUID, OwnOffsets]:
    """The requests that have their own reminder offsets: those, and when they were set."""
    return await repo.every_own_offsets()


def _due_windows(windows: Sequence[Window]) -> list[requests.DueWindow]:
    return [requests.DueWindow(w.low, w.high) for w in windows]


async def deadline_candidates(
    windows: Sequence[Window], *, overdue_before: datetime
) -> list[RunningDeadlines]:
    """Open requests whose binding deadline lies in a window, or at/before ``overdue_before``."""
    return await requests.deadline_candidates(_due_windows(windows), overdue_before=overdue_before)


async def changed_requests(
    after: datetime, *, request_ids: Sequence[UUID] = ()
) -> list[RunningDeadlines]:
    """Open requests logged or changed after ``after``, and those of ``request_ids``. One query."""
    return await requests.changed_after(after, request_ids=request_ids)


async def alerted(
    items: Iterable[Alert], *, recipients: Iterable[str], channels: Iterable[str]
) -> set[Alert]:
    """Which of ``items`` the ledger has, for any of ``recipients`` over any of ``channels``.

    An item is a (subject, kind, due instant) of ``DeliveryKey``: one that went to anyone
    (the assignee before a reassignment too) was alerted. A query per 500 keys, each key found
    by the ledger's unique index.
    """
    keys = {
        DeliveryKey(subject=s, kind=k, due_at=d, recipient=r, channel=c): (s, k, d)
        for s, k, d in items
        for r in set(recipients)
        for c in set(channels)
    }
    found = await repo.keys_in_ledger([str(key) for key in keys])
    return {item for key, item in keys.items() if str(key) in found}


async def secondary_candidates(
    windows: Sequence[Window], *, since: datetime | None, now: datetime
) -> list[RunningDeadlines]:
    """Open requests with an acknowledgement, extension-notice or non-disclosure end near.

    That is: the acknowledgement or extension-notice deadline lies in a window, or the
    non-disclosure period ends between ``since`` and ``now`` (a day either side).
    """
    return await requests.secondary_candidates(_due_windows(windows), since=since, now=now)


async def digest_items(now: datetime, horizon: timedelta) -> dict[UUID, list[RunningDeadlines]]:
    """Each assignee's open requests whose deadline falls in ``(now, now + horizon]``."""
    found: dict[UUID, list[RunningDeadlines]] = defaultdict(list)
    for item in await requests.assigned_due_between(now, now + horizon):
        if item.assignee is not None and item.due_at is not None:
            found[item.assignee].append(item)
    return dict(found)


async def intake_counts(now: datetime) -> list[IntakeCount]:
    """Requests received per authority and per jurisdiction: the last 7 days, the 8 weeks before."""
    return await requests.intake_counts(now)
