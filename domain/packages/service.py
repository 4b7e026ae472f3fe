"""Use cases for response packages: write the draft, build versions, read them, preview.

Each change runs in one write transaction with exactly one audit entry on the request's trail
(``domain.packages.trail``), carrying the version's SHA-256, so an auditor can match a
PDF in hand to the log. Rendering runs before the transaction (it takes time); the transaction
re-checks that the draft is still the one rendered. The review steps (submit, approve and sign,
send back, mark sent) are in ``domain.packages.review``.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final
from uuid import UUID

from documents.package import PrintedRequest
from domain.packages import repo as packages_repo
from domain.packages.content import check_exhibits, check_locale, display_name, package_locale
from domain.packages.content import render as render_content
from domain.packages.errors import RequestChangedWhileBuildingError, ResponseDraftChangedError
from domain.packages.model import (
    BuiltVersion,
    DraftExhibit,
    PackageState,
    PackageVersion,
    ResponseDraft,
)
from domain.packages.trail import draft_snapshot, move_request, record_entry, version_snapshot
from domain.requests import queries as requests
from domain.requests.letter import load_printed_request
from domain.requests.workflow import REQUEST_WORKFLOW, RequestAction, RequestState
from domain.shared import audit_trail
from domain.shared.blobs import BlobStore
from domain.shared.database import write_transaction
from domain.shared.errors import InvalidTransitionError, ValidationError
from domain.shared.model import Actor, AuditAction
from domain.shared.permissions import Permission, require

MAX_MARKDOWN_CHARS: Final = 200_000
MAX_PDF_BYTES: Final = 2**31
LOCKED_STATES: Final = frozenset(
    {RequestState.SENT, RequestState.CLOSED, RequestState.REJECTED, RequestState.WITHDRAWN}
)
"""Request states in which the response can no longer change."""
REVIEW_STATES: Final = frozenset({RequestState.IN_LEGAL_REVIEW, RequestState.APPROVED})
"""Request states that a change of the response takes back to drafting."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DraftChange:
    """The whole new content of a response draft."""

    markdown: str
    locale: str = ""
    exhibits: tuple[DraftExhibit, ...] = ()


# ---------------------------------------------------------------- the draft
async def get_draft(request_id: UUID, *, actor: Actor) -> ResponseDraft:
    """The response draft of a request (revision 0 and empty before the first change).

    Raises:
        PermissionDeniedError: unless the actor may read packages.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
    """
    require(actor.role, Permission.PACKAGES_READ)
    await requests.readable_request(request_id, actor=actor)
    return await packages_repo.get_draft(request_id)


async def update_draft(
    request_id: UUID, change: DraftChange, *, expected_revision: int, actor: Actor, now: datetime
) -> ResponseDraft:
    """Replace the response draft; versions built before become stale (unless nothing changed).

    A request under review or approved goes back to drafting: what Legal saw is no longer the
    response (recorded in the same entry, as ``request_state``).

    Raises:
        PermissionDeniedError: unless the actor may write packages.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
        ValidationError: a field too long, an unknown locale, or an exhibit not of this request.
        ResponseDraftChangedError: the draft is no longer at ``expected_revision``.
        InvalidTransitionError: the request was sent or is finished.
    """
    require(actor.role, Permission.PACKAGES_WRITE)
    if len(change.markdown) > MAX_MARKDOWN_CHARS:
        raise ValidationError("markdown", f"longer than {MAX_MARKDOWN_CHARS} characters")
    locale = check_locale(change.locale)
    name = await display_name(actor)
    async with write_transaction():
        reg_request = await requests.readable_request(request_id, actor=actor)
        if reg_request.state in LOCKED_STATES:
            raise InvalidTransitionError("request", reg_request.state, "change_response")
        current = await packages_repo.get_draft(request_id, lock=True)
        if current.revision != expected_revision:
            raise ResponseDraftChangedError(request_id, expected_revision, current.revision)
        await check_exhibits(request_id, change.exhibits)
        changed = ResponseDraft(
            request_id=request_id,
            markdown=change.markdown,
            locale=locale,
            exhibits=tuple(DraftExhibit(e.attachment_id, e.title.strip()) for e in change.exhibits),
            revision=current.revision + 1,
            updated_by=audit_trail.actor_ref(actor),
            updated_by_name=name,
            updated_at=now,
        )
        if current.revision and _same_content(current, changed):
            return current  # nothing changed: no new revision, nothing goes stale, no entry
        if not await packages_repo.save_draft(changed, expected_revision=current.revision):
            latest = await packages_repo.get_draft(request_id)
            raise ResponseDraftChangedError(request_id, expected_revision, latest.revision)
        moved = None
        if reg_request.state in REVIEW_STATES:
            to = REQUEST_WORKFLOW.next_state(reg_request.state, RequestAction.REVISE, actor.role)
            moved = (reg_request.state, to)
            await move_request(reg_request, to, now)
        before = draft_snapshot(current) if current.revision else None
        await record_entry(
            actor,
            AuditAction.PACKAGE_DRAFT_UPDATED,
            request_id=request_id,
            key="draft",
            before=before,
            after=draft_snapshot(changed),
            moved=moved,
            now=now,
        )
    return changed


def _same_content(a: ResponseDraft, b: ResponseDraft) -> bool:
    return (a.markdown, a.locale, a.exhibits) == (b.markdown, b.locale, b.exhibits)


# ---------------------------------------------------------------- versions
async def _one(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def build_version(
    request_id: UUID,
    *,
    organisation: str,
    store: BlobStore,
    actor: Actor,
    now: datetime,
    approval_page: bool = False,
) -> BuiltVersion:
    """Render the current draft into a new immutable version, or return the latest if identical.

    ``approval_page`` adds the internal approval page as the last page (the version records
    it, so that approval signs there; without it the signature is invisible).

    Raises:
        PermissionDeniedError: unless the actor may write packages.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
        ValidationError: nothing has been written yet.
        InvalidTransitionError: the request was sent or is finished.
        AttachmentNotFoundError: an exhibit's attachment is gone.
        ResponseDraftChangedError: the draft changed while the version was being built.
        RequestChangedWhileBuildingError: so did a field the letter prints of the request.
    """
    require(actor.role, Permission.PACKAGES_WRITE)
    reg_request = await requests.readable_request(request_id, actor=actor)
    if reg_request.state in LOCKED_STATES:
        raise InvalidTransitionError("request", reg_request.state, "build_package")
    draft = await packages_repo.get_draft(request_id)
    latest = await packages_repo.latest_version(request_id)
    locale = package_locale(reg_request, draft)
    same_draft = (
        latest is not None
        and not latest.is_stale(draft)
        and (latest.locale, latest.approval_page) == (locale, approval_page)
    )
    number = latest.number if latest is not None and same_draft else _next(latest)

    async def rendered(n: int) -> tuple[bytes, str, PrintedRequest]:
        out = await render_content(
            reg_request,
            draft,
            number=n,
            locale=locale,
            organisation=organisation,
            store=store,
            approval_page=approval_page,
        )
        return out.pdf, out.sha256, out.printed

    pdf, sha256, printed = await rendered(number)
    if latest is not None and number == latest.number:
        if sha256 == latest.sha256:
            return BuiltVersion(latest, created=False)
        number = latest.number + 1  # the request's own data changed since (a new deadline …)
        pdf, sha256, printed = await rendered(number)
    await store.put(_one(pdf), max_bytes=MAX_PDF_BYTES)
    version = PackageVersion(
        id=uuid.uuid4(),
        request_id=request_id,
        number=number,
        sha256=sha256,
        size=len(pdf),
        locale=locale,
        draft_revision=draft.revision,
        drafted_by=draft.updated_by,
        built_by=audit_trail.actor_ref(actor),
        created_at=now,
        state=PackageState.DRAFT,
        request_digest=printed.digest(),
        approval_page=approval_page,
    )
    return await _insert_built(version, printed, actor=actor, now=now)


async def _insert_built(
    version: PackageVersion, printed: PrintedRequest, *, actor: Actor, now: datetime
) -> BuiltVersion:
    request_id = version.request_id
    async with write_transaction():
        current = await packages_repo.get_draft(request_id, lock=True)
        if current.revision != version.draft_revision:
            raise ResponseDraftChangedError(request_id, version.draft_revision, current.revision)
        now_printed = await load_printed_request(await requests.load_request(request_id))
        if changed := printed.changed_fields(now_printed):  # edited while it was rendering
            raise RequestChangedWhileBuildingError(request_id, changed)
        newest = await packages_repo.latest_version(request_id)
        if newest is not None and newest.number >= version.number:  # built concurrently
            if newest.sha256 == version.sha256:
                return BuiltVersion(newest, created=False)
            raise ResponseDraftChangedError(request_id, version.draft_revision, current.revision)
        await packages_repo.insert_version(version)
        await record_entry(
            actor,
            AuditAction.PACKAGE_BUILT,
            request_id=request_id,
            key="package",
            before=None,
            after=version_snapshot(version),
            moved=None,
            now=now,
        )
    return BuiltVersion(version, created=True)


def _next(latest: PackageVersion | None) -> int:
    return 1 if latest is None else latest.number + 1


async def list_versions(request_id: UUID, *, actor: Actor) -> list[PackageVersion]:
    """Every version of the request's package, the first one first.

    Raises:
        PermissionDeniedError: unless the actor may read packages.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
    """
    require(actor.role, Permission.PACKAGES_READ)
    await requests.readable_request(request_id, actor=actor)
    return await packages_repo.list_versions(request_id)


async def get_version(request_id: UUID, number: int, *, actor: Actor) -> PackageVersion:
    """One version of the request's package.

    Raises:
        PermissionDeniedError: unless the actor may read packages.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
        PackageVersionNotFoundError: no such version.
    """
    require(actor.role, Permission.PACKAGES_READ)
    await requests.readable_request(request_id, actor=actor)
    return await packages_repo.get_version(request_id, number)


@dataclass(frozen=True, slots=True)
class VersionPdf:
    """Where a version's PDF is, what it is named by, and the request's reference."""

    version: PackageVersion
    path: Path
    sha256: str
    reference: str
    signed: bool


async def open_version_pdf(
    request_id: UUID, number: int, *, signed: bool, store: BlobStore, actor: Actor
) -> VersionPdf:
    """A version's PDF: the signed one once approved (unless ``signed`` is False), else the built.

    Raises:
        PermissionDeniedError: unless the actor may read packages.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
        PackageVersionNotFoundError: no such version.
        BlobMissingError: the PDF is not in ``store`` (lost, or not restored).
    """
    require(actor.role, Permission.PACKAGES_READ)
    reg_request = await requests.readable_request(request_id, actor=actor)
    version = await packages_repo.get_version(request_id, number)
    use_signed = signed and bool(version.signed_sha256)
    sha256 = version.signed_sha256 if use_signed else version.sha256
    path = store.stored_path(sha256)
    return VersionPdf(version, path, sha256, reg_request.reference, use_signed)
