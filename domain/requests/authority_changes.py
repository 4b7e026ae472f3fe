"""Changing the authorities directory: correct an authority, or merge a duplicate into another.

A merge moves every request of the duplicate to the authority kept, removes the duplicate, and
writes one audit entry that names both and the requests moved. The moved requests get a new
version, so that an edit form opened before the merge is refused as stale instead of putting
the removed authority back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from audit.canonical import JsonValue
from domain.requests import repo as requests_repo
from domain.requests.authorities import NewAuthority, authority_snapshot, checked_authority
from domain.requests.model import Authority
from domain.requests.tables import AuthorityTable, RequestTable
from domain.shared import audit_trail
from domain.shared.database import write_transaction
from domain.shared.errors import ValidationError
from domain.shared.model import Actor, AuditAction
from domain.shared.permissions import Permission, require


async def update_authority(
    authority_id: UUID, changed: NewAuthority, *, actor: Actor, now: datetime
) -> Authority:
    """Replace an authority's name, country, type, contact and verified flag.

    An unchanged authority writes nothing and no audit entry.

    Raises:
        PermissionDeniedError: unless the actor may write authorities.
        AuthorityNotFoundError: no such authority.
        ValidationError: empty or overlong name or contact, or a bad country code.
    """
    require(actor.role, Permission.AUTHORITIES_WRITE)
    changed = checked_authority(changed)
    async with write_transaction():
        before = await requests_repo.get_authority(authority_id)
        after_values: dict[str, JsonValue] = {
            "name": changed.name,
            "country": changed.country,
            "type": changed.type.value,
            "contact": changed.contact,
            "verified": changed.verified,
        }
        if authority_snapshot(before) == after_values:
            return before
        await (
            AuthorityTable.update(
                {
                    AuthorityTable.name: changed.name,
                    AuthorityTable.country: changed.country,
                    AuthorityTable.type: changed.type.value,
                    AuthorityTable.contact: changed.contact,
                    AuthorityTable.verified: changed.verified,
                }
            )
            .where(AuthorityTable.id == authority_id)
            .run()
        )
        after = await requests_repo.get_authority(authority_id)
        await audit_trail.record(
            actor,
            AuditAction.AUTHORITY_UPDATED,
            subject_type="authority",
            subject_id=str(authority_id),
            before=authority_snapshot(before),
            after=authority_snapshot(after),
            now=now,
        )
    return after


@dataclass(frozen=True, slots=True)
class MergePlan:
    """What merging ``duplicate`` into ``kept`` would do: the requests it would move."""

    duplicate: Authority
    kept: Authority
    references: tuple[str, ...]
    """The references of the duplicate's requests, in order."""


@dataclass(frozen=True, slots=True)
class Merged:
    """A merge done: the authority kept, the references moved to it, the audit entry's index."""

    kept: Authority
    references: tuple[str, ...]
    entry_index: int


async def _plan(duplicate_id: UUID, kept_id: UUID) -> MergePlan:
    if duplicate_id == kept_id:
        raise ValidationError("kept_id", "an authority cannot be merged into itself")
    duplicate = await requests_repo.get_authority(duplicate_id)
    kept = await requests_repo.get_authority(kept_id)
    rows = await (
        RequestTable.select(RequestTable.reference)
        .where(RequestTable.authority_id == duplicate_id)
        .order_by(RequestTable.reference)
        .run()
    )
    return MergePlan(duplicate, kept, tuple(str(r["reference"]) for r in rows))


async def plan_merge(duplicate_id: UUID, kept_id: UUID, *, actor: Actor) -> MergePlan:
    """What merging the duplicate into the authority kept would move, changing nothing.

    Raises:
        PermissionDeniedError: unless the actor may merge authorities.
        AuthorityNotFoundError: either authority does not exist.
        ValidationError: on ``kept_id`` when both are the same authority.
    """
    require(actor.role, Permission.AUTHORITIES_MERGE)
    return await _plan(duplicate_id, kept_id)


async def merge_authorities(
    duplicate_id: UUID, kept_id: UUID, *, actor: Actor, now: datetime
) -> Merged:
    """Move every request of the duplicate to the authority kept, and remove the duplicate.

    One audit entry (``authority.merged``, about the duplicate) records both authorities and
    the references of the requests moved.

    Raises:
        PermissionDeniedError: unless the actor may merge authorities.
        AuthorityNotFoundError: either authority does not exist (or was merged meanwhile).
        ValidationError: on ``kept_id`` when both are the same authority.
    """
    require(actor.role, Permission.AUTHORITIES_MERGE)
    async with write_transaction():
        plan = await _plan(duplicate_id, kept_id)
        await (
            RequestTable.update(
                {
                    RequestTable.authority_id: kept_id,
                    RequestTable.version: RequestTable.version + 1,
                }
            )
            .where(RequestTable.authority_id == duplicate_id)
            .run()
        )
        await AuthorityTable.delete().where(AuthorityTable.id == duplicate_id).run()
        index = await audit_trail.record(
            actor,
            AuditAction.AUTHORITY_MERGED,
            subject_type="authority",
            subject_id=str(duplicate_id),
            before=authority_snapshot(plan.duplicate),
            after={
                "merged_into": str(kept_id),
                "kept": authority_snapshot(plan.kept),
                "requests_moved": list(plan.references),
            },
            now=now,
        )
    return Merged(plan.kept, plan.references, index)
