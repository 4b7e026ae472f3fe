"""Which notices a hold calls for, and when (pure).

On issue every custodian gets the notice (with an acknowledgement link), a first reminder, an
escalation to their manager and a first re-affirmation. Delivering a reminder or re-affirmation
plans the next one while it is still needed; acknowledging cancels the pending reminders and the
escalation; releasing cancels what is pending and plans release notices.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.holds.model import Custodian, HoldNotice, LegalHold, NoticeKind


@dataclass(frozen=True, slots=True, kw_only=True)
class HoldPolicy:
    """How often custodians are reminded, when managers hear of it, how long links live."""

    reminder_every: timedelta = timedelta(days=3)
    escalate_after: timedelta = timedelta(days=7)
    reaffirm_every: timedelta = timedelta(days=90)
    link_valid_for: timedelta = timedelta(days=30)


DEFAULT_HOLD_POLICY = HoldPolicy()


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedNotice:
    """A notice row to write."""

    custodian_email: str
    recipient_email: str
    kind: NoticeKind
    due_at: datetime
    expires_at: datetime | None = None


def _with_link(
    custodian: Custodian, kind: NoticeKind, due: datetime, policy: HoldPolicy
) -> PlannedNotice:
    return PlannedNotice(
        custodian_email=custodian.email,
        recipient_email=custodian.email,
        kind=kind,
        due_at=due,
        expires_at=due + policy.link_valid_for,
    )


def on_issue(hold: LegalHold, now: datetime, policy: HoldPolicy) -> list[PlannedNotice]:
    """The notices issuing ``hold`` at ``now`` calls for, custodian by custodian."""
    planned: list[PlannedNotice] = []
    for c in hold.custodians:
        if not c.is_held:
            continue
        planned.append(_with_link(c, NoticeKind.NOTICE, now, policy))
        planned.append(_with_link(c, NoticeKind.REMINDER, now + policy.reminder_every, policy))
        if c.manager_email:
            planned.append(
                PlannedNotice(
                    custodian_email=c.email,
                    recipient_email=c.manager_email,
                    kind=NoticeKind.ESCALATION,
                    due_at=now + policy.escalate_after,
                )
            )
        planned.append(
            PlannedNotice(
                custodian_email=c.email,
                recipient_email=c.email,
                kind=NoticeKind.REAFFIRMATION,
                due_at=now + policy.reaffirm_every,
            )
        )
    return planned


def after_delivery(
    hold: LegalHold, notice: HoldNotice, now: datetime, policy: HoldPolicy
) -> list[PlannedNotice]:
    """The next notice in the series of ``notice``, once delivered at ``now``, if still needed.

    Reminders go on every ``reminder_every`` while the custodian has not acknowledged;
    re-affirmations every ``reaffirm_every`` while they are held. The next one is counted from
    the delivery, so a sweep that was down does not owe a burst of missed ones.
    """
    custodian = next((c for c in hold.custodians if c.email == notice.custodian_email), None)
    if custodian is None or not hold.preserving or not custodian.is_held:
        return []
    if notice.kind is NoticeKind.REMINDER and custodian.awaits_acknowledgement:
        due = max(notice.due_at, now) + policy.reminder_every
        return [_with_link(custodian, NoticeKind.REMINDER, due, policy)]
    if notice.kind is NoticeKind.REAFFIRMATION:
        due = max(notice.due_at, now) + policy.reaffirm_every
        return [
            PlannedNotice(
                custodian_email=custodian.email,
                recipient_email=custodian.email,
                kind=NoticeKind.REAFFIRMATION,
                due_at=due,
            )
        ]
    return []


def on_release(custodians: list[Custodian], now: datetime) -> list[PlannedNotice]:
    """Release notices for custodians who were held until now."""
    return [
        PlannedNotice(
            custodian_email=c.email, recipient_email=c.email, kind=NoticeKind.RELEASE, due_at=now
        )
        for c in custodians
    ]
