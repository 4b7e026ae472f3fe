"""Use cases of a package version's review: submit, approve (and sign), send back, mark sent.

Each step is decided twice: once before the slow part (signing, for an approval) to fail fast,
and again inside the write transaction, which then moves the version and the request together
and appends exactly one audit entry with the version's digests.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Final
from uuid import UUID

from documents.render import SIGNATURE_FIELD
from documents.signing import (
    SigningError,
    SigningIdentity,
    demo_identity,
    load_identity,
    sign_pdf,
)
from domain.packages import repo as packages_repo
from domain.packages.content import display_name
from domain.packages.errors import (
    PackageHashMismatchError,
    RequestChangedSinceBuildError,
    StalePackageError,
)
from domain.packages.model import PackageState, PackageVersion, SendBack
from domain.packages.service import MAX_PDF_BYTES
from domain.packages.trail import move_request, record_entry, version_snapshot
from domain.packages.workflow import (
    PACKAGE_WORKFLOW,
    PackageAction,
    check_not_author,
    request_action,
)
from domain.requests import queries as requests_queries
from domain.requests.model import RegulatoryRequest
from domain.requests.workflow import REQUEST_WORKFLOW
from domain.shared import audit_trail
from domain.shared.blobs import BlobStore
from domain.shared.database import write_transaction
from domain.shared.errors import ValidationError
from domain.shared.model import Actor, AuditAction
from domain.shared.permissions import Permission, require

__all__ = ["SigningError", "SigningIdentity", "load_signing_identity"]

MAX_COMMENT_CHARS: Final = 10_000
_AUDIT: Final = {
    PackageAction.SUBMIT: AuditAction.PACKAGE_SUBMITTED,
    PackageAction.APPROVE: AuditAction.PACKAGE_APPROVED,
    PackageAction.SEND_BACK: AuditAction.PACKAGE_SENT_BACK,
    PackageAction.MARK_SENT: AuditAction.PACKAGE_SENT,
}
_PERMISSIONS: Final = {
    PackageAction.SUBMIT: Permission.PACKAGES_WRITE,
    PackageAction.APPROVE: Permission.PACKAGES_APPROVE,
    PackageAction.SEND_BACK: Permission.PACKAGES_APPROVE,
    PackageAction.MARK_SENT: Permission.PACKAGES_WRITE,
}


@dataclass(frozen=True, slots=True)
class _Decision:
    reg_request: RegulatoryRequest
    version: PackageVersion
    to: PackageState


async def _decide(
    request_id: UUID, number: int, action: PackageAction, actor: Actor, sha256: str | None
) -> _Decision:
    draft = await packages_repo.get_draft(request_id, lock=True)  # queues concurrent steps
    reg_request = await requests_queries.readable_request(request_id, actor=actor)
    version = await packages_repo.get_version(request_id, number)
    to = PACKAGE_WORKFLOW.next_state(version.state, action, actor.role)
    if action is not PackageAction.SEND_BACK and version.stale_fields:
        raise RequestChangedSinceBuildError(number, version.stale_fields)
    if action is not PackageAction.SEND_BACK and version.is_stale(draft):
        raise StalePackageError(number, version.draft_revision, draft.revision)
    REQUEST_WORKFLOW.next_state(reg_request.state, request_action(action), actor.role)
    if action is PackageAction.APPROVE:
        check_not_author(version, audit_trail.actor_ref(actor))
        if sha256 != version.sha256:
            raise PackageHashMismatchError(number, version.sha256, sha256 or "")
    return _Decision(reg_request, version, to)


async def _step(
    request_id: UUID,
    number: int,
    action: PackageAction,
    *,
    actor: Actor,
    now: datetime,
    sha256: str | None = None,
    changes: dict[str, object] | None = None,
    comment: SendBack | None = None,
) -> PackageVersion:
    async with write_transaction():
        decided = await _decide(request_id, number, action, actor, sha256)
        before = decided.version
        after = replace(before, state=decided.to, **(changes or {}))  # type: ignore[arg-type]
        if comment is not None:
            after = replace(after, comments=(*before.comments, comment))
        await packages_repo.update_version(after)
        moves = request_action(action)
        to = REQUEST_WORKFLOW.next_state(decided.reg_request.state, moves, actor.role)
        await move_request(decided.reg_request, to, now)
        await record_entry(
            actor,
            _AUDIT[action],
            request_id=request_id,
            key="package",
            before=version_snapshot(before),
            after=version_snapshot(after),
            moved=(decided.reg_request.state, to),
            now=now,
        )
    return after


async def submit_package(
    request_id: UUID, number: int, *, actor: Actor, now: datetime
) -> PackageVersion:
    """Submit a built version for Legal's review; the request goes to legal review.

    Raises:
        PermissionDeniedError: unless the actor may write packages.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
        PackageVersionNotFoundError: no such version.
        InvalidTransitionError: the version is not a fresh build, or the request is not in
            drafting.
        TransitionNotPermittedError: not for the actor's role.
        StalePackageError: the draft changed after the version was built.
        RequestChangedSinceBuildError: a field the letter prints of the request changed after
            the version was built.
    """
    require(actor.role, _PERMISSIONS[PackageAction.SUBMIT])
    changes: dict[str, object] = {
        "submitted_by": audit_trail.actor_ref(actor),
        "submitted_at": now,
    }
    return await _step(
        request_id, number, PackageAction.SUBMIT, actor=actor, now=now, changes=changes
    )


async def _one(data: bytes) -> AsyncIterator[bytes]:
    yield data


def _read(store: BlobStore, sha256: str) -> bytes:
    with store.open(sha256) as blob:
        return blob.read()


async def approve_package(
    request_id: UUID,
    number: int,
    *,
    sha256: str,
    identity: SigningIdentity,
    organisation: str,
    store: BlobStore,
    actor: Actor,
    now: datetime,
) -> PackageVersion:
    """Approve exactly the version whose PDF has ``sha256``; sign it (PAdES) and keep both PDFs.

    Raises:
        PermissionDeniedError: unless the actor may approve packages.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
        PackageVersionNotFoundError: no such version.
        InvalidTransitionError: the version is not submitted, or the request is not in legal
            review.
        TransitionNotPermittedError: not for the actor's role (only Legal approves).
        StalePackageError: the draft changed after the version was built.
        RequestChangedSinceBuildError: a field the letter prints of the request changed after
            the version was built.
        SelfApprovalError: the actor drafted, last changed or built the version.
        PackageHashMismatchError: ``sha256`` is not the version's.
    """
    require(actor.role, _PERMISSIONS[PackageAction.APPROVE])
    sha256 = sha256.strip().lower()
    decided = await _decide(request_id, number, PackageAction.APPROVE, actor, sha256)
    pdf = await asyncio.to_thread(_read, store, decided.version.sha256)
    signed = await asyncio.to_thread(
        sign_pdf,
        pdf,
        identity,
        signer_name=await display_name(actor),
        reason=f"Approved: {decided.reg_request.reference}, version {number}",
        location=organisation,
        signed_at=now,
        # without the approval page there is no room kept for it: the signature is invisible
        box=SIGNATURE_FIELD if decided.version.approval_page else None,
    )
    stored = await store.put(_one(signed), max_bytes=MAX_PDF_BYTES)
    changes: dict[str, object] = {
        "approved_by": audit_trail.actor_ref(actor),
        "approved_at": now,
        "signed_sha256": stored.sha256,
        "signed_size": stored.size,
    }
    return await _step(
        request_id,
        number,
        PackageAction.APPROVE,
        actor=actor,
        now=now,
        sha256=sha256,
        changes=changes,
    )


async def send_back_package(
    request_id: UUID, number: int, comment: str, *, actor: Actor, now: datetime
) -> PackageVersion:
    """Return a submitted version with Legal's comment; the request goes back to drafting.

    Raises:
        PermissionDeniedError: unless the actor may approve packages.
        ValidationError: an empty or over-long comment.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
        PackageVersionNotFoundError: no such version.
        InvalidTransitionError: the version is not submitted, or the request is not in legal
            review.
        TransitionNotPermittedError: not for the actor's role.
    """
    require(actor.role, _PERMISSIONS[PackageAction.SEND_BACK])
    text = comment.strip()
    if not text:
        raise ValidationError("comment", "say what must change")
    if len(text) > MAX_COMMENT_CHARS:
        raise ValidationError("comment", f"longer than {MAX_COMMENT_CHARS} characters")
    note = SendBack(audit_trail.actor_ref(actor), now, text)
    return await _step(
        request_id, number, PackageAction.SEND_BACK, actor=actor, now=now, comment=note
    )


async def mark_package_sent(
    request_id: UUID, number: int, *, actor: Actor, now: datetime
) -> PackageVersion:
    """Record that the approved, signed version went to the authority; the request is sent.

    Raises:
        PermissionDeniedError: unless the actor may write packages.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
        PackageVersionNotFoundError: no such version.
        InvalidTransitionError: the version or the request is not approved.
        TransitionNotPermittedError: not for the actor's role.
        StalePackageError: the draft changed after the version was built (approve a new one).
        RequestChangedSinceBuildError: a field the letter prints of the request changed after
            the version was built.
    """
    require(actor.role, _PERMISSIONS[PackageAction.MARK_SENT])
    changes: dict[str, object] = {"sent_by": audit_trail.actor_ref(actor), "sent_at": now}
    return await _step(
        request_id, number, PackageAction.MARK_SENT, actor=actor, now=now, changes=changes
    )


def load_signing_identity(
    cert: Path | None, key: Path | None, *, data_dir: Path, organisation: str, now: datetime
) -> SigningIdentity:
    """The organisation's signing identity from PEM files, else the demo CA's leaf (made once).

    Raises:
        SigningError: a file is unreadable or not PEM, or the key is not the certificate's.
    """
    if cert is not None and key is not None:
        return load_identity(cert, key)
    return demo_identity(data_dir, organisation, now=now)
