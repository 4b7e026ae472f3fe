"""Use case: change a draft hold before it is issued (one versioned, audited change)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from uuid import UUID

from domain.holds import repo as holds_repo
from domain.holds.model import HoldState, LegalHold
from domain.holds.service import NewHold, _check_new, _load, _preservation_sources
from domain.holds.trail import record_hold_change
from domain.shared.database import write_transaction
from domain.shared.errors import InvalidTransitionError
from domain.shared.model import Actor, AuditAction
from domain.shared.permissions import Permission, require


async def update_draft(
    hold_id: UUID, new: NewHold, *, expected_version: int, actor: Actor, now: datetime
) -> LegalHold:
    """Replace what a draft hold says (matter, people, sources, scope, notice, questions).

    Checked as a new hold is: the same fields, the same rules. Once issued, a hold's notice
    has gone out and only its release changes it.

    Raises:
        PermissionDeniedError: unless the actor may manage holds.
        ValidationError: naming the field that breaks a rule.
        HoldNotFoundError: no such hold.
        StaleVersionError: the hold is no longer at ``expected_version``.
        InvalidTransitionError: the hold is not a draft.
    """
    require(actor.role, Permission.HOLDS_MANAGE)
    new, preservation = await _preservation_sources(new)
    custodians, sources = _check_new(new)
    async with write_transaction():
        current = await _load(hold_id, expected_version)
        if current.state is not HoldState.DRAFT:
            raise InvalidTransitionError("legal hold", current.state.value, "edit")
        changed = replace(
            current,
            matter=new.matter.strip(),
            title=new.title.strip() or new.matter.strip(),
            request_ids=tuple(dict.fromkeys(new.request_ids)),
            scope_start=new.scope_start,
            scope_end=new.scope_end,
            keywords=tuple(dict.fromkeys(k.strip() for k in new.keywords if k.strip())),
            scope_description=new.scope_description.strip(),
            notice_text=new.notice_text.strip(),
            custodians=custodians,
            data_sources=sources,
            preservation_request_id=preservation,
            questions=tuple(q.strip() for q in new.questions if q.strip()),
        )
        await holds_repo.save_hold(current, changed)
        await holds_repo.replace_draft_items(changed)
        saved = await holds_repo.get_hold(hold_id)
        await record_hold_change(actor, AuditAction.HOLD_DRAFT_UPDATED, current, saved, now=now)
    return saved
