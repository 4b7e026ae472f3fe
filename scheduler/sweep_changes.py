"""Which requests a sweep reads, and which of their alerts from before the last sweep are owed.

A sweep sends what fell due in ``(since, now]``, ``since`` being where the last sweep swept to.
A request logged or changed since then (or given its own offsets) may have instants before
``since`` that no sweep saw: one logged already overdue, or whose deadline an edit moved
earlier. Such a request is read whatever its deadlines and seen whole: the latest instant of
each of its series is due, and one before ``since`` is sent only if the ledger has no key for
it, to anyone over any channel (the assignee before a reassignment too). The keys are those
of every other notification: a late alert is sent, and kept from being sent twice, as any other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final
from uuid import UUID

from domain.identity.model import User
from domain.notifications import queries as reminder_queries
from domain.notifications.queries import Alert, OwnOffsets, RunningDeadlines
from domain.notifications.reminders import PRESERVATION_OFFSETS, deadline_windows
from jurisdictions.rulebook import RuleBook

CHANGE_OVERLAP: Final = timedelta(minutes=5)
"""A change stamped shortly before the last sweep may have committed after that sweep read the
requests: changes this much older than the last sweep are looked at again (the ledger keeps
what was alerted from being alerted twice)."""
CHANNEL_NAMES: Final = ("email", "inbox", "webhook")
"""Every channel an alert may have gone out on (one no longer configured still counts)."""
WEBHOOK_RECIPIENT: Final = "webhook"
"""The recipient of a webhook call in a ledger key (``scheduler.sweep.fan_out``)."""


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed since the last sweep: the requests seen whole, whatever their deadlines."""

    after: datetime | None
    """Changes after this count (None: no sweep ran before, every instant is new)."""
    retuned: tuple[UUID, ...]
    """Requests whose own reminder offsets were set after ``after``."""

    def seen_whole(self, req: RunningDeadlines) -> bool:
        """Whether the request was logged or changed (or its offsets set) since the last sweep."""
        if self.after is None:
            return False
        return req.changed_at > self.after or req.id in self.retuned


def changes_since(since: datetime | None, own: dict[UUID, OwnOffsets]) -> Changes:
    """The changes a sweep after one that swept to ``since`` looks at."""
    if since is None:
        return Changes(None, ())
    after = since - CHANGE_OVERLAP
    return Changes(after, tuple(r for r, o in own.items() if o.set_at > after))


async def candidates(
    now: datetime,
    since: datetime | None,
    book: RuleBook,
    *,
    escalate_after: timedelta,
    own: dict[UUID, OwnOffsets],
    changes: Changes,
) -> dict[UUID, RunningDeadlines]:
    """The open requests that may have something due in ``(since, now]``, or be seen whole.

    Two queries, and a third when a sweep ran before, however many requests.
    """
    offsets = {o for r in book.rules() for o in r.reminder_offsets}
    offsets |= set(PRESERVATION_OFFSETS) | {o for v in own.values() for o in v.offsets}
    windows = deadline_windows(offsets, since=since, now=now, escalate_after=escalate_after)
    overdue_before = now - timedelta(days=1)
    found = {
        r.id: r
        for r in await reminder_queries.deadline_candidates(windows, overdue_before=overdue_before)
    }
    for r in await reminder_queries.secondary_candidates(windows, since=since, now=now):
        found.setdefault(r.id, r)
    if changes.after is not None:
        for r in await reminder_queries.changed_requests(
            changes.after, request_ids=changes.retuned
        ):
            found.setdefault(r.id, r)
    return found


async def alerted(items: set[Alert], users: Sequence[User]) -> set[Alert]:
    """Which of ``items`` were alerted before: the ledger has them for some user, or a webhook."""
    return await reminder_queries.alerted(
        items,
        recipients=[*(u.email for u in users), WEBHOOK_RECIPIENT],
        channels=CHANNEL_NAMES,
    )
