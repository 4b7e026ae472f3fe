"""What a sweep must send: derived from the database alone, as events with their recipients.

An *event* is one thing to tell (a request's 3-day reminder, a user's digest, a spike alert, a
hold notice); ``scheduler.sweep`` fans it out into one ``Notification`` per recipient and
channel, each with its own ledger key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final
from uuid import UUID

from audit.canonical import JsonValue
from domain.holds import notices as hold_notices
from domain.holds.notice_plan import DEFAULT_HOLD_POLICY, HoldPolicy
from domain.identity.model import User
from domain.notifications import queries as reminder_queries
from domain.notifications.queries import Alert, OwnOffsets, RunningDeadlines
from domain.notifications.reminders import (
    PRESERVATION_OFFSETS,
    DueReminder,
    RequestDeadlines,
    due_reminders,
    is_spike,
    latest_daily,
    normalize_offsets,
)
from domain.shared import links
from domain.shared.model import Role
from jurisdictions.errors import RuleNotFoundError
from jurisdictions.rulebook import RuleBook
from scheduler import sweep_changes

PRESERVATION_RULE_MARK: Final = "sca-2703f"
ESCALATION_ROLES: Final = (Role.LEGAL,)


@dataclass(frozen=True, slots=True, kw_only=True)
class SweepPolicy:
    """The knobs of the sweep, from settings (``DOCKET_*``)."""

    base_url: str = "http://127.0.0.1:8000"
    escalate_after: timedelta = timedelta(hours=24)
    digest_hour: int = 7
    digest_horizon: timedelta = timedelta(days=7)
    spike_factor: float = 3.0
    spike_min_count: int = 5
    lease: timedelta = timedelta(minutes=5)
    max_attempts: int = 8
    locale: str = "en"
    """The organisation's language: a person's until they choose one, and the webhooks'."""
    time_zone: str = "UTC"
    """The organisation's zone: a person's until they choose one, and the webhooks'."""
    ack_key: bytes = b""
    """Signs custodians' acknowledgement links in hold notices (``holds.ack_links.ack_key``)."""
    hold_policy: HoldPolicy = DEFAULT_HOLD_POLICY


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """Who hears an event: an address, its Docket user if any, and that person's choices.

    ``locale`` and ``time_zone`` are what the person chose; "" means the organisation's.
    """

    email: str
    user_id: UUID | None
    locale: str = ""
    time_zone: str = ""


def target(user: User) -> Target:
    """A Docket user as a hearer, with their language and zone."""
    return Target(email=user.email, user_id=user.id, locale=user.locale, time_zone=user.time_zone)


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """One thing to tell some people."""

    subject_type: str
    subject_id: str
    kind: str
    due_at: datetime
    context: dict[str, JsonValue]
    targets: tuple[Target, ...]
    key_prefix: str = ""
    """Replaces ``subject_type:subject_id`` at the head of the keys (hold notices: the notice)."""
    hold_notice_id: UUID | None = field(default=None)

    @property
    def key_subject(self) -> str:
        """The head of this event's delivery keys (``DeliveryKey.subject``)."""
        return self.key_prefix or f"{self.subject_type}:{self.subject_id}"


class People:
    """The active users, read once per sweep and only when something is due."""

    def __init__(self) -> None:
        """Nothing is read yet."""
        self._users: list[User] | None = None

    async def get(self) -> list[User]:
        """Every active user."""
        if self._users is None:
            self._users = await reminder_queries.active_recipients()
        return self._users


def _targets(users: Sequence[User]) -> tuple[Target, ...]:
    return tuple(target(u) for u in users)


def _request_context(
    req: RunningDeadlines, due: DueReminder, policy: SweepPolicy
) -> dict[str, JsonValue]:
    return {
        "reference": req.reference,
        "title": req.summary[:200],
        "rule_id": req.rule_id,
        "due": due.deadline.isoformat(),
        "offset": due.offset,
        "tz": req.tz,
        "link": links.request_page(policy.base_url, req.id),
    }


def _deadlines(
    req: RunningDeadlines, book: RuleBook, own: dict[UUID, OwnOffsets]
) -> RequestDeadlines:
    preservation = PRESERVATION_RULE_MARK in req.rule_id
    if req.id in own:
        offsets = own[req.id].offsets
    elif preservation:
        offsets = PRESERVATION_OFFSETS
    else:
        try:
            offsets = normalize_offsets(book.rule(req.rule_id).reminder_offsets)
        except RuleNotFoundError:
            offsets = ()
    return RequestDeadlines(
        request_id=req.id,
        not_before=req.received_at,
        due_at=req.due_at,
        offsets=offsets,
        acknowledgement_due_at=req.acknowledgement_due_at,
        extension_notice_due_at=req.extension_notice_due_at,
        nondisclosure_ends_at=req.nondisclosure_ends_at,
        preservation=preservation and req.id not in own,
    )


async def request_events(
    now: datetime,
    since: datetime | None,
    book: RuleBook,
    policy: SweepPolicy,
    people: People,
) -> list[Event]:
    """Reminders, due and overdue notices, escalations of open requests due in ``(since, now]``.

    A request logged or changed since the last sweep (or given its own offsets) is seen whole:
    the latest instant of each of its series up to ``now`` is due unless it was alerted,
    even one before ``since`` (logged already overdue, or a deadline moved earlier).
    """
    own = await reminder_queries.own_offsets()
    changes = sweep_changes.changes_since(since, own)
    found = await sweep_changes.candidates(
        now, since, book, escalate_after=policy.escalate_after, own=own, changes=changes
    )
    if not found:
        return []
    users = await people.get()
    by_id = {u.id: u for u in users}
    legal = [u for u in users if u.role in ESCALATION_ROLES] or [
        u for u in users if u.role is Role.ADMIN
    ]
    events: list[Event] = []
    for req in found.values():
        dues = due_reminders(
            _deadlines(req, book, own),
            since=None if changes.seen_whole(req) else since,
            now=now,
            escalate_after=policy.escalate_after,
        )
        assignee = by_id.get(req.assignee) if req.assignee is not None else None
        for due in dues:
            hearers = legal if due.kind == "request.escalation" or assignee is None else [assignee]
            events.append(
                Event(
                    subject_type="request",
                    subject_id=str(req.id),
                    kind=due.kind,
                    due_at=due.due_at,
                    context=_request_context(req, due, policy),
                    targets=_targets(hearers),
                )
            )
    late = {_item(e) for e in events if since is not None and e.due_at <= since}
    alerted = await sweep_changes.alerted(late, users) if late else set()
    return [e for e in events if _item(e) not in alerted]


def _item(event: Event) -> Alert:
    return (event.key_subject, event.kind, event.due_at)


async def digest_events(
    now: datetime, since: datetime | None, policy: SweepPolicy, people: People
) -> list[Event]:
    """Each user's daily digest of what falls due in the next days (once a day, at the hour)."""
    at = latest_daily(now, policy.digest_hour)
    if since is not None and at <= since:
        return []
    items = await reminder_queries.digest_items(at, policy.digest_horizon)
    events: list[Event] = []
    for user in await people.get() if items else []:
        mine = items.get(user.id, [])
        if not mine:
            continue
        listed: list[JsonValue] = [
            {
                "reference": r.reference,
                "title": r.summary[:200],
                "due": None if r.due_at is None else r.due_at.isoformat(),
                "link": links.request_page(policy.base_url, r.id),
            }
            for r in mine
        ]
        events.append(
            Event(
                subject_type="user",
                subject_id=str(user.id),
                kind="digest.daily",
                due_at=at,
                context={
                    "items": listed,
                    "count": len(mine),
                    "name": user.display_name,
                    "days": policy.digest_horizon.days,
                    "link": links.queue_page(policy.base_url, "mine"),
                },
                targets=(target(user),),
            )
        )
    return events


async def spike_events(
    now: datetime, since: datetime | None, policy: SweepPolicy, people: People
) -> list[Event]:
    """Spike alerts to Legal, checked once a day at the digest hour."""
    at = latest_daily(now, policy.digest_hour)
    if since is not None and at <= since:
        return []
    events: list[Event] = []
    for count in await reminder_queries.intake_counts(at):
        if not is_spike(
            count.last_week,
            count.trailing,
            factor=policy.spike_factor,
            min_count=policy.spike_min_count,
        ):
            continue
        events.append(
            Event(
                subject_type=count.subject_type,
                subject_id=count.subject_id,
                kind="alert.spike",
                due_at=at,
                targets=_targets([u for u in await people.get() if u.role in ESCALATION_ROLES]),
                context={
                    "subject_type": count.subject_type,
                    "subject": count.subject_id,
                    "last_week": count.last_week,
                    "weekly_average": count.trailing / 8,
                    "factor": policy.spike_factor,
                    "reference": count.subject_id,
                },
            )
        )
    return events


def _custodian(email: str, user: User | None) -> Target:
    """A custodian: a Docket user with their choices, or an address with the organisation's."""
    return Target(email=email, user_id=None) if user is None else target(user)


async def hold_notice_events(now: datetime, policy: SweepPolicy, people: People) -> list[Event]:
    """Hold notices, reminders, escalations, re-affirmations and releases that are due."""
    events: list[Event] = []
    due = await hold_notices.due_hold_notices(now, key=policy.ack_key)
    by_email = {u.email: u for u in await people.get()} if due else {}
    for notice in due:
        context = dict(notice.context)
        ack_path = context.get("ack_path")
        context["link"] = f"{policy.base_url}{ack_path}" if isinstance(ack_path, str) else None
        context.setdefault("reference", str(context.get("matter", notice.hold_id)))
        email = notice.recipient_email
        events.append(
            Event(
                subject_type="legal_hold",
                subject_id=str(notice.hold_id),
                kind=notice.kind,
                due_at=notice.due_at,
                context=context,
                targets=(_custodian(email, by_email.get(email)),),
                key_prefix=f"hold_notice:{notice.id}",
                hold_notice_id=notice.id,
            )
        )
    return events
