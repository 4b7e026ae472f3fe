"""One sweep: derive what is due from the database, claim each in the ledger, send, record.

Exactly once: a notification is claimed by the INSERT of its unique key *before* it is sent (a
conflict means another sweep has it: skipped). Sent is marked with one audit entry in the same
transaction. Both go a batch at a time (``BATCH``: one claim transaction, the sends, one mark
transaction), since a transaction costs more than the rows it writes. A failed send is retried
by a later sweep with exponential backoff; a claim whose worker died is re-taken when its lease
runs out. The scheduler's job store holds nothing.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final
from uuid import UUID

from audit.canonical import JsonValue
from domain.holds import notices as hold_notices
from domain.notifications import ledger as notifications
from domain.notifications.model import SETTLED_STATES, DeliveryKey, NewDelivery
from jurisdictions.rulebook import RuleBook
from scheduler import sweep_plan
from scheduler.channels.base import Channel, Notification
from scheduler.sweep_plan import Event, SweepPolicy
from scheduler.sweep_send import Sender, SweepReport, report_line

log = logging.getLogger("docket.sweep")
BATCH: Final = 500
"""Notifications claimed in one transaction, then marked sent in one. On SQLite a transaction
(a connection, BEGIN IMMEDIATE, a synced COMMIT) costs as much as writing a few hundred rows
in it; a batch this size holds the write lock for tens of milliseconds."""
RECORD_AT_LEAST_EVERY: Final = timedelta(hours=1)
"""A sweep that found nothing due records no run (it stays read-only), so the next window
starts where the last one that did; at least this often it records one, to keep windows short."""


def default_worker_id() -> str:
    """``host:pid``: who holds a claim."""
    return f"{socket.gethostname()}:{os.getpid()}"


def fan_out(
    event: Event, channels: Sequence[Channel], locale: str, time_zone: str = "UTC"
) -> list[Notification]:
    """One notification per recipient and channel.

    E-mail goes to each recipient, the inbox to each Docket user, and one webhook call per event.
    Each person reads it in their language and zone (``locale`` and ``time_zone``, the
    organisation's, when they chose none); a webhook, which has no person, always in those.
    """
    found: list[Notification] = []
    for channel in channels:
        if channel.name == "webhook":
            targets = event.targets[:1]
        elif channel.name == "inbox":
            targets = tuple(t for t in event.targets if t.user_id is not None)
        else:
            targets = event.targets
        for t in targets:
            hook = channel.name == "webhook"
            who = "webhook" if hook else t.email
            found.append(
                Notification(
                    key=DeliveryKey(
                        subject=event.key_subject,
                        kind=event.kind,
                        due_at=event.due_at,
                        recipient=who,
                        channel=channel.name,
                    ),
                    kind=event.kind,
                    subject_type=event.subject_type,
                    subject_id=event.subject_id,
                    due_at=event.due_at,
                    recipient_email=t.email,
                    recipient_user_id=t.user_id,
                    locale=locale if hook else t.locale or locale,
                    time_zone=time_zone if hook else t.time_zone or time_zone,
                    context=event.context,
                )
            )
    return found


def _payload(n: Notification, hold_notice_id: UUID | None) -> dict[str, JsonValue]:
    return {
        "kind": n.kind,
        "subject_type": n.subject_type,
        "subject_id": n.subject_id,
        "due_at": n.due_at.isoformat(),
        "recipient_email": n.recipient_email,
        "recipient_user_id": None if n.recipient_user_id is None else str(n.recipient_user_id),
        "locale": n.locale,
        "time_zone": n.time_zone,
        "context": json_context(n.context),
        "hold_notice_id": None if hold_notice_id is None else str(hold_notice_id),
    }


def _from_payload(key: DeliveryKey, p: dict[str, JsonValue]) -> Notification:
    user = p.get("recipient_user_id")
    context = p.get("context")
    return Notification(
        key=key,
        kind=str(p["kind"]),
        subject_type=str(p["subject_type"]),
        subject_id=str(p["subject_id"]),
        due_at=datetime.fromisoformat(str(p["due_at"])),
        recipient_email=str(p["recipient_email"]),
        recipient_user_id=None if user is None else UUID(str(user)),
        locale=str(p.get("locale") or "en"),
        time_zone=str(p.get("time_zone") or ""),
        context=context if isinstance(context, dict) else {},
    )


def json_context(context: Mapping[str, object]) -> dict[str, JsonValue]:
    """The context as JSON values (what the ledger keeps for a retry)."""
    loaded: dict[str, JsonValue] = json.loads(json.dumps(dict(context), default=str))
    return loaded


async def _hold_delivered(
    notice_id: UUID, keys: list[DeliveryKey], now: datetime, policy: SweepPolicy
) -> None:
    found = await notifications.delivery_states(keys)
    settled = [k in found and found[k].state in SETTLED_STATES for k in keys]
    if keys and all(settled):  # failed for good counts: it is in the ledger, audited
        await hold_notices.mark_hold_notice_delivered(notice_id, now=now, policy=policy.hold_policy)


async def _retries(sender: Sender, worker_id: str, report: SweepReport) -> None:
    taken = await notifications.retake(worker=worker_id, now=sender.now, lease=sender.policy.lease)
    batch = [(_from_payload(d.key, d.payload), d.attempts) for d in taken]
    sent = await sender.send_batch(batch, report)
    for d in taken:
        notice = d.payload.get("hold_notice_id")
        if d.key in sent and isinstance(notice, str):
            await hold_notices.mark_hold_notice_delivered(
                UUID(notice), now=sender.now, policy=sender.policy.hold_policy
            )


async def derive_events(
    now: datetime, since: datetime | None, book: RuleBook, policy: SweepPolicy
) -> list[Event]:
    """Everything that falls due in ``(since, now]``, plus every undelivered due hold notice."""
    users = sweep_plan.People()
    return [
        *await sweep_plan.request_events(now, since, book, policy, users),
        *await sweep_plan.digest_events(now, since, policy, users),
        *await sweep_plan.spike_events(now, since, policy, users),
        *await sweep_plan.hold_notice_events(now, policy, users),
    ]


@dataclass(frozen=True, slots=True)
class _Planned:
    """One event and the notifications it fans out into."""

    event: Event
    notifications: tuple[Notification, ...]


async def _dry(planned: Sequence[_Planned], report: SweepReport) -> None:
    every = [n for p in planned for n in p.notifications]
    known = await notifications.known_keys(n.key for n in every)
    for n in every:
        if n.key in known:
            report.already_sent += 1
        else:
            report.would_send += 1
            report.lines.append(report_line("would send", n))


async def _claim_and_send(
    planned: Sequence[_Planned], sender: Sender, worker: str, report: SweepReport
) -> None:
    """Claim and send in batches: one claim transaction and one mark transaction per batch."""
    every = [(n, p.event.hold_notice_id) for p in planned for n in p.notifications]
    taken: set[DeliveryKey] = set()
    for start in range(0, len(every), BATCH):
        chunk = every[start : start + BATCH]
        news = [
            NewDelivery(
                key=n.key,
                subject_type=n.subject_type,
                subject_id=n.subject_id,
                recipient=n.recipient_email,
                payload=_payload(n, notice),
            )
            for n, notice in chunk
        ]
        lease = sender.policy.lease
        claimed = await notifications.claim_batch(news, worker=worker, now=sender.now, lease=lease)
        batch = []
        for n, _ in chunk:
            if n.key in claimed and n.key not in taken:  # a key planned twice is sent once
                taken.add(n.key)
                batch.append((n, 1))
            else:
                report.already_sent += 1
        await sender.send_batch(batch, report)
    for p in planned:
        if p.event.hold_notice_id is not None and p.notifications:
            keys = [n.key for n in p.notifications]
            await _hold_delivered(p.event.hold_notice_id, keys, sender.now, sender.policy)


async def run_sweep(
    now: datetime,
    *,
    channels: Sequence[Channel],
    rulebook: RuleBook,
    policy: SweepPolicy | None = None,
    dry_run: bool = False,
    worker_id: str | None = None,
) -> SweepReport:
    """Run one sweep as of ``now``; a dry run claims, sends and records nothing."""
    policy = policy or SweepPolicy()
    worker = worker_id or default_worker_id()
    report = SweepReport(dry_run=dry_run)
    sender = Sender({c.name: c for c in channels}, policy, now)
    if not dry_run:
        await _retries(sender, worker, report)
    since = await notifications.last_swept_to(now)
    events = await derive_events(now, since, rulebook, policy)
    planned = [
        _Planned(e, tuple(fan_out(e, channels, policy.locale, policy.time_zone))) for e in events
    ]
    if dry_run:
        await _dry(planned, report)
        return report
    await _claim_and_send(planned, sender, worker, report)
    if events or since is None or now - since >= RECORD_AT_LEAST_EVERY:
        await notifications.record_sweep(
            worker=worker, swept_to=now, finished_at=now, sent=report.sent, failed=report.failed
        )
    return report


__all__ = ["SweepPolicy", "SweepReport", "default_worker_id", "fan_out", "run_sweep"]
