"""What the audit trail records of a legal hold, before and after each change."""

from __future__ import annotations

from datetime import datetime

from audit.canonical import JsonValue
from domain.holds.model import LegalHold
from domain.shared import audit_trail
from domain.shared.model import Actor, AuditAction


def hold_snapshot(hold: LegalHold) -> dict[str, JsonValue]:
    """What the audit trail records of a hold."""
    return {
        "matter": hold.matter,
        "title": hold.title,
        "state": hold.state.value,
        "request_ids": [str(i) for i in hold.request_ids],
        "scope_start": None if hold.scope_start is None else hold.scope_start.isoformat(),
        "scope_end": None if hold.scope_end is None else hold.scope_end.isoformat(),
        "keywords": list(hold.keywords),
        "scope_description": hold.scope_description,
        "notice_text": hold.notice_text,
        "preservation_request_id": None
        if hold.preservation_request_id is None
        else str(hold.preservation_request_id),
        "questions": list(hold.questions),
        "custodians": [
            {
                "email": c.email,
                "name": c.name,
                "manager_email": c.manager_email,
                "released": c.released_at is not None,
                "acknowledged": c.acknowledgement is not None,
            }
            for c in hold.custodians
        ],
        "data_sources": [
            {"data_source": d.key, "released": d.released_at is not None} for d in hold.data_sources
        ],
    }


async def record_hold_change(
    actor: Actor,
    action: AuditAction,
    before: LegalHold | None,
    after: LegalHold,
    *,
    now: datetime,
    extra: dict[str, JsonValue] | None = None,
) -> None:
    """Append the one audit entry of a hold change (inside the caller's transaction)."""
    recorded = hold_snapshot(after)
    recorded.update(extra or {})
    await audit_trail.record(
        actor,
        action,
        subject_type="legal_hold",
        subject_id=str(after.id),
        before=None if before is None else hold_snapshot(before),
        after=recorded,
        now=now,
    )
