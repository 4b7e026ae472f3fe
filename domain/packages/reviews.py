"""The read side of Legal's review: what awaits approval, and what changed since the last version.

Versions do not keep their response text: the draft does, and every revision of it is in the
request's audit trail (``package.draft_updated`` entries carry the whole draft). The text a
version was built from is therefore read back from the log, so that a reviewer sees the
difference the log itself can prove; once that change was lawfully erased it is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final
from uuid import UUID

from audit import store
from audit.canonical import JsonValue
from documents.markdown import render_markdown
from documents.render import supported_locales
from domain.packages import repo as packages_repo
from domain.packages.model import PackageState, PackageVersion, ResponseDraft
from domain.packages.service import MAX_MARKDOWN_CHARS
from domain.requests import queries as requests
from domain.requests.errors import SealedRequestError
from domain.requests.sealing import check_readable
from domain.requests.urgency import deadline_band
from domain.shared.errors import ValidationError
from domain.shared.model import Actor, AuditAction
from domain.shared.permissions import Permission, require

SUBJECT_TYPE: Final = "request"


@dataclass(frozen=True, slots=True, kw_only=True)
class AwaitingReview:
    """A submitted version in Legal's queue, with what the reviewer must know at a glance."""

    version: PackageVersion
    reference: str
    due_at: datetime | None
    """The deadline in force (the extended one once the extension is taken)."""
    band: str
    """The deadline's band at the time asked (``domain.requests.urgency``)."""
    stale_reason: str
    """Why it can no longer be approved (send it back); empty when it can."""


async def review_queue(*, actor: Actor, now: datetime) -> list[AwaitingReview]:
    """Every submitted version the actor may read, the earliest submitted first.

    Sealed requests the actor may not read are left out, and so are versions superseded by a
    newer revision of the response: that change took the request back to drafting, so nothing
    awaits Legal there. A version whose request fields changed stays, with the reason.

    Raises:
        PermissionDeniedError: unless the actor may approve packages.
    """
    require(actor.role, Permission.PACKAGES_APPROVE)
    versions = await packages_repo.versions_in_state(PackageState.SUBMITTED)
    found = await requests.load_requests(list({v.request_id for v in versions}))
    drafts: dict[UUID, ResponseDraft] = {}
    queue = []
    for version in versions:
        reg_request = found.get(version.request_id)
        if reg_request is None:
            continue
        try:
            check_readable(actor, reg_request)
        except SealedRequestError:
            continue
        if version.request_id not in drafts:
            drafts[version.request_id] = await packages_repo.get_draft(version.request_id)
        if version.draft_revision != drafts[version.request_id].revision:
            continue
        queue.append(
            AwaitingReview(
                version=version,
                reference=reg_request.reference,
                due_at=reg_request.effective_due_at,
                band=deadline_band(reg_request, now).value,
                stale_reason=version.stale_reason(drafts[version.request_id]),
            )
        )
    return queue


@dataclass(frozen=True, slots=True, kw_only=True)
class VersionTexts:
    """The response text of a version and of the version before it (None: not known)."""

    markdown: str | None
    previous_number: int | None
    previous_markdown: str | None


async def version_texts(request_id: UUID, number: int, *, actor: Actor) -> VersionTexts:
    """The response text version ``number`` was built from, and its predecessor's.

    Raises:
        PermissionDeniedError: unless the actor may read packages.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
        PackageVersionNotFoundError: no such version.
    """
    require(actor.role, Permission.PACKAGES_READ)
    await requests.readable_request(request_id, actor=actor)
    version = await packages_repo.get_version(request_id, number)
    previous = None
    if number > 1:
        previous = await packages_repo.get_version(request_id, number - 1)
    texts = await _texts_by_revision(request_id)
    draft = await packages_repo.get_draft(request_id)
    texts[draft.revision] = draft.markdown
    return VersionTexts(
        markdown=texts.get(version.draft_revision),
        previous_number=None if previous is None else previous.number,
        previous_markdown=None if previous is None else texts.get(previous.draft_revision),
    )


async def _texts_by_revision(request_id: UUID) -> dict[int, str]:
    """The response text of each draft revision that the log still holds."""
    drafted = []
    start = 0
    while True:
        page = await store.entries(
            start, subject=(SUBJECT_TYPE, str(request_id)), limit=store.MAX_PAGE
        )
        drafted += [e.index for e in page if e.action == AuditAction.PACKAGE_DRAFT_UPDATED.value]
        if len(page) < store.MAX_PAGE:
            break
        start = page[-1].index + 1
    texts: dict[int, str] = {}
    for record in (await store.changes_of(drafted)).values():
        draft = _draft_after(record.change())
        if draft is not None:
            revision, markdown = draft.get("revision"), draft.get("markdown")
            if isinstance(revision, int) and isinstance(markdown, str):
                texts[revision] = markdown
    return texts


def _draft_after(change: JsonValue) -> dict[str, JsonValue] | None:
    after = change.get("after") if isinstance(change, dict) else None
    draft = after.get("draft") if isinstance(after, dict) else None
    return draft if isinstance(draft, dict) else None


async def preview_response(request_id: UUID, markdown: str, *, actor: Actor) -> str:
    """The response text as the letter renders it (inert HTML), without saving anything.

    Raises:
        PermissionDeniedError: unless the actor may read packages.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
        ValidationError: on ``markdown`` when it is too long.
    """
    require(actor.role, Permission.PACKAGES_READ)
    await requests.readable_request(request_id, actor=actor)
    if len(markdown) > MAX_MARKDOWN_CHARS:
        raise ValidationError("markdown", f"longer than {MAX_MARKDOWN_CHARS} characters")
    return render_markdown(markdown)


def response_locales() -> tuple[str, ...]:
    """The locales a response package can be written in (the catalogs shipped)."""
    return supported_locales()
