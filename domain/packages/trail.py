"""The audit entry of a package step, and the request moved along with it.

Package steps are recorded on the request's own trail (subject ``request``) so that one
request's log tells its whole story; the entry carries the draft or the version (with its
SHA-256 and, once approved, the signed PDF's) and, when the request moved, ``request_state``.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from audit.canonical import JsonValue
from domain.packages.model import PackageVersion, ResponseDraft
from domain.requests import service as requests
from domain.requests.model import RegulatoryRequest
from domain.requests.workflow import RequestState
from domain.shared import audit_trail
from domain.shared.model import Actor, AuditAction


def draft_snapshot(draft: ResponseDraft) -> dict[str, JsonValue]:
    """What the audit trail records of a draft."""
    return {
        "revision": draft.revision,
        "markdown": draft.markdown,
        "locale": draft.locale,
        "exhibits": [
            {"attachment_id": str(e.attachment_id), "title": e.title} for e in draft.exhibits
        ],
    }


def version_snapshot(version: PackageVersion) -> dict[str, JsonValue]:
    """What the audit trail records of a package version: its digests above all."""
    return {
        "version": version.number,
        "sha256": version.sha256,
        "size": version.size,
        "locale": version.locale,
        "draft_revision": version.draft_revision,
        "state": version.state.value,
        "drafted_by": version.drafted_by,
        "built_by": version.built_by,
        "approved_by": version.approved_by,
        "signed_sha256": version.signed_sha256,
        "comments": [c.comment for c in version.comments],
        "request_digest": version.request_digest,
        "stale_fields": list(version.stale_fields),
    }


async def record_entry(
    actor: Actor,
    action: AuditAction,
    *,
    request_id: UUID,
    key: str,
    before: dict[str, JsonValue] | None,
    after: dict[str, JsonValue],
    moved: tuple[RequestState, RequestState] | None,
    now: datetime,
) -> None:
    """Append the one audit entry of a package step to the request's trail.

    ``key`` is ``draft`` or ``package``; a request moved along records ``request_state``.
    """
    recorded: dict[str, JsonValue] = {key: after}
    if moved is not None:
        recorded["request_state"] = {"from": moved[0].value, "to": moved[1].value}
    await audit_trail.record(
        actor,
        action,
        subject_type="request",
        subject_id=str(request_id),
        before=None if before is None else {key: before},
        after=recorded,
        now=now,
    )


async def move_request(current: RegulatoryRequest, to: RequestState, now: datetime) -> None:
    """Move the request to ``to`` along with a package step (the caller records the entry).

    Raises:
        StaleVersionError: the request changed since it was read.
    """
    await requests.move_along(current, to, now=now)
