"""Hold notices: custodians acknowledge from a link without logging in; the sweep delivers.

An acknowledgement link is single-use, unguessable (a signed notice id, see
``domain.holds.ack_links``) and expires. Opening a link changes nothing (mail scanners open
links); acknowledging records when and from where, with the custodian's answers, and cancels
their pending reminders — in one transaction with one audit entry. The scheduler reads the
notices that are due with ``due_hold_notices`` and reports each delivery with
``mark_hold_notice_delivered``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final
from uuid import UUID

from audit.canonical import JsonValue
from domain.holds import (
    notice_plan as hold_notice_plan,
)
from domain.holds import (
    notices_repo as hold_notices_repo,
)
from domain.holds import (
    repo as holds_repo,
)
from domain.holds import workflow as hold_workflow
from domain.holds.ack_links import read_ack_token, sign_ack_token
from domain.holds.errors import AckLinkExpiredError, AckLinkInvalidError, AckLinkUsedError
from domain.holds.model import (
    ACK_LINK_KINDS,
    Acknowledgement,
    Custodian,
    HoldNotice,
    LegalHold,
    NoticeKind,
)
from domain.holds.notice_plan import DEFAULT_HOLD_POLICY, HoldPolicy
from domain.holds.trail import record_hold_change
from domain.shared.database import write_transaction
from domain.shared.errors import ValidationError
from domain.shared.model import Actor, ActorKind, AuditAction, Role
from domain.shared.permissions import Permission, require

MAX_ANSWER: Final = 4000
ACK_LINK_ACTOR: Final = Actor(kind=ActorKind.SYSTEM, id=None, role=Role.SYSTEM, name="ack-link")
"""Who acknowledges in the log: the link (the custodian is named in the change, erasable)."""


class AckStatus(StrEnum):
    """What an acknowledgement link can do now."""

    READY = "ready"
    ACKNOWLEDGED = "acknowledged"
    USED = "used"
    EXPIRED = "expired"
    RELEASED = "released"


@dataclass(frozen=True, slots=True)
class AckView:
    """What the acknowledgement page shows."""

    status: AckStatus
    hold: LegalHold
    custodian: Custodian
    expires_at: datetime | None


@dataclass(frozen=True, slots=True)
class HoldNoticeDue:
    """A notice the scheduler should deliver now, with what its text is made of."""

    id: UUID
    hold_id: UUID
    kind: str
    recipient_email: str
    custodian_email: str
    due_at: datetime
    context: dict[str, JsonValue]


def _status(notice: HoldNotice, hold: LegalHold, custodian: Custodian, now: datetime) -> AckStatus:
    if notice.used_at is not None:
        return AckStatus.USED
    if custodian.acknowledgement is not None:
        return AckStatus.ACKNOWLEDGED
    if not hold.preserving or not custodian.is_held:
        return AckStatus.RELEASED
    if notice.expires_at is not None and now >= notice.expires_at:
        return AckStatus.EXPIRED
    return AckStatus.READY


async def _load(
    token: str, key: bytes, *, lock: bool = False
) -> tuple[HoldNotice, LegalHold, Custodian]:
    notice = await hold_notices_repo.get_notice(read_ack_token(token, key))
    if notice.kind not in ACK_LINK_KINDS:
        raise AckLinkInvalidError
    hold = await holds_repo.get_hold(notice.hold_id, lock=lock)
    custodian = next((c for c in hold.custodians if c.email == notice.custodian_email), None)
    if custodian is None:
        raise AckLinkInvalidError
    return notice, hold, custodian


async def open_ack_link(token: str, *, key: bytes, now: datetime) -> AckView:
    """What a link's page shows; changes nothing.

    Raises:
        AckLinkInvalidError: not a link Docket handed out (malformed, altered, unknown).
    """
    notice, hold, custodian = await _load(token, key)
    return AckView(_status(notice, hold, custodian, now), hold, custodian, notice.expires_at)


def _answers(hold: LegalHold, raw: Mapping[str, str]) -> dict[str, str]:
    answers: dict[str, str] = {}
    for index, question in enumerate(hold.questions):
        text = raw.get(f"q{index}", "").strip()
        if len(text) > MAX_ANSWER:
            raise ValidationError(f"q{index}", f"at most {MAX_ANSWER} characters")
        if text:
            answers[question] = text
    return answers


async def acknowledge(
    token: str,
    answers: Mapping[str, str],
    *,
    address: str,
    user_agent: str,
    key: bytes,
    now: datetime,
) -> AckView:
    """Record the custodian's acknowledgement from a link, with their answers.

    Cancels their pending reminders and escalation; the hold becomes active once every
    custodian still held has acknowledged. A custodian who acknowledged already (from another
    link) is told so and nothing changes.

    Raises:
        AckLinkInvalidError: not a link Docket handed out.
        AckLinkUsedError: the link was used already.
        AckLinkExpiredError: the link expired, or the hold no longer holds the custodian.
        ValidationError: an answer too long.
    """
    async with write_transaction():
        # The custodian sends no version: the hold is locked as loaded, so that acknowledgements
        # of one hold queue up and each is saved against the version it read.
        notice, hold, custodian = await _load(token, key, lock=True)
        status = _status(notice, hold, custodian, now)
        if status is AckStatus.ACKNOWLEDGED:
            return AckView(status, hold, custodian, notice.expires_at)
        if status is AckStatus.USED:
            raise AckLinkUsedError
        if status is not AckStatus.READY:
            raise AckLinkExpiredError
        given = _answers(hold, answers)
        ack = Acknowledgement(
            at=now, address=address[:64], user_agent=user_agent[:300], answers=given
        )
        await holds_repo.save_hold(hold, hold_workflow.acknowledge(hold, custodian.email, ack))
        if not await hold_notices_repo.mark_used(notice.id, now):
            raise AckLinkUsedError
        await hold_notices_repo.cancel_pending(
            hold.id,
            now,
            custodian_email=custodian.email,
            kinds=(NoticeKind.REMINDER, NoticeKind.ESCALATION),
        )
        changed = await holds_repo.get_hold(hold.id)
        extra: dict[str, JsonValue] = {
            "acknowledged_by": custodian.email,
            "from_address": ack.address,
            "user_agent": ack.user_agent,
            "answers": dict(given),
            "notice_id": str(notice.id),
        }
        await record_hold_change(
            ACK_LINK_ACTOR, AuditAction.HOLD_ACKNOWLEDGED, hold, changed, now=now, extra=extra
        )
        acknowledged = next(c for c in changed.custodians if c.email == custodian.email)
    return AckView(AckStatus.ACKNOWLEDGED, changed, acknowledged, notice.expires_at)


def _context(
    notice: HoldNotice, hold: LegalHold, now: datetime, key: bytes
) -> dict[str, JsonValue]:
    custodian = next((c for c in hold.custodians if c.email == notice.custodian_email), None)
    link = (
        notice.kind in ACK_LINK_KINDS
        and custodian is not None
        and custodian.awaits_acknowledgement
        and (notice.expires_at is None or now < notice.expires_at)
    )
    return {
        "hold_id": str(hold.id),
        "title": hold.title,
        "matter": hold.matter,
        "notice_text": hold.notice_text,
        "scope_description": hold.scope_description,
        "custodian_email": notice.custodian_email,
        "custodian_name": "" if custodian is None else custodian.name,
        "ack_path": f"/ack/{sign_ack_token(notice.id, key)}" if link else None,
        "link_expires_at": None if notice.expires_at is None else notice.expires_at.isoformat(),
        "issued_at": None if hold.issued_at is None else hold.issued_at.isoformat(),
        "days_outstanding": 0 if hold.issued_at is None else (now - hold.issued_at).days,
        "questions": list(hold.questions),
    }


async def due_hold_notices(now: datetime, *, key: bytes, limit: int = 500) -> list[HoldNoticeDue]:
    """Notices due by ``now`` and not delivered, oldest first, ready to be written out."""
    found = await hold_notices_repo.due_notices(now, limit=limit)
    holds: dict[UUID, LegalHold] = {}
    due: list[HoldNoticeDue] = []
    for notice in found:
        if notice.hold_id not in holds:
            holds[notice.hold_id] = await holds_repo.get_hold(notice.hold_id)
        due.append(
            HoldNoticeDue(
                id=notice.id,
                hold_id=notice.hold_id,
                kind=notice.kind.value,
                recipient_email=notice.recipient_email,
                custodian_email=notice.custodian_email,
                due_at=notice.due_at,
                context=_context(notice, holds[notice.hold_id], now, key),
            )
        )
    return due


async def mark_hold_notice_delivered(
    notice_id: UUID, *, now: datetime, policy: HoldPolicy = DEFAULT_HOLD_POLICY
) -> None:
    """Mark a notice delivered and queue the next of its series while it is still needed.

    No audit entry of its own: the sweep's entry for the delivery records the send; call it in
    the transaction that marks the delivery sent. Delivering twice changes nothing the second
    time.
    """
    async with write_transaction():
        notice = await hold_notices_repo.get_notice(notice_id)
        if not await hold_notices_repo.mark_delivered(notice_id, now):
            return
        hold = await holds_repo.get_hold(notice.hold_id)
        planned = hold_notice_plan.after_delivery(hold, notice, now, policy)
        await hold_notices_repo.insert_notices(hold.id, planned, now)


async def notices_of(hold_id: UUID, *, actor: Actor) -> list[HoldNotice]:
    """Every notice of a hold, by due time: what was and will be sent, and what was cancelled.

    Raises:
        PermissionDeniedError: unless the actor may read holds.
        HoldNotFoundError: no such hold.
    """
    require(actor.role, Permission.HOLDS_READ)
    await holds_repo.get_hold(hold_id)
    return await hold_notices_repo.notices_of(hold_id)
