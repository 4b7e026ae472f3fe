"""Bodies of the response-package endpoints (msgspec Structs with examples)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Final
from uuid import UUID

import msgspec

from api.schemas.auth import Strict
from domain.packages.model import (
    DraftExhibit,
    PackageState,
    PackageVersion,
    ResponseDraft,
    SendBack,
)
from domain.packages.review import MAX_COMMENT_CHARS
from domain.packages.service import MAX_MARKDOWN_CHARS
from domain.packages.workflow import PackageAction

SHA256: Final = msgspec.Meta(
    pattern="^[0-9a-fA-F]{64}$",
    examples=["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
    description="The SHA-256 of the version's PDF, as downloaded and read",
)


class ExhibitChoice(Strict):
    """An attachment of the request that the package encloses, under a title."""

    attachment_id: UUID
    title: Annotated[str, msgspec.Meta(max_length=300, examples=["Subscriber records"])] = ""


class ResponseDraftUpdate(Strict):
    """The whole new response: Markdown text, locale override and exhibits."""

    revision: Annotated[
        int, msgspec.Meta(ge=0, examples=[0], description="The revision read (0: none yet)")
    ]
    markdown: Annotated[
        str,
        msgspec.Meta(
            max_length=MAX_MARKDOWN_CHARS,
            examples=["We provide the subscriber records requested under **Art. 10 DSA**."],
        ),
    ]
    locale: Annotated[
        str,
        msgspec.Meta(max_length=35, examples=["de"], description="Empty: the request's language"),
    ] = ""
    exhibits: list[ExhibitChoice] = []


class ExhibitRead(msgspec.Struct, kw_only=True):
    """An exhibit of the draft."""

    attachment_id: UUID
    title: str

    @classmethod
    def from_domain(cls, exhibit: DraftExhibit) -> ExhibitRead:
        """Shape a ``DraftExhibit``."""
        return msgspec.convert(exhibit, cls, from_attributes=True)


class ResponseDraftRead(msgspec.Struct, kw_only=True):
    """The response draft of a request; revision 0 means nothing written yet."""

    request_id: UUID
    revision: int
    markdown: str
    locale: str
    exhibits: list[ExhibitRead]
    updated_by: str
    updated_at: datetime | None

    @classmethod
    def from_domain(cls, draft: ResponseDraft) -> ResponseDraftRead:
        """Shape a ``ResponseDraft`` (its exhibits too)."""
        return msgspec.convert(draft, cls, from_attributes=True)


class ApprovalCreate(Strict):
    """The exact bytes approved, named by their SHA-256."""

    sha256: Annotated[str, SHA256]


class SendBackCreate(Strict):
    """What must change before the response can be approved."""

    comment: Annotated[
        str,
        msgspec.Meta(
            min_length=1,
            max_length=MAX_COMMENT_CHARS,
            examples=["Cite the order's date in the first paragraph."],
        ),
    ]


class SendBackRead(msgspec.Struct, kw_only=True):
    """A comment Legal returned a version with."""

    by: str
    at: datetime
    comment: str

    @classmethod
    def from_domain(cls, note: SendBack) -> SendBackRead:
        """Shape a ``SendBack``."""
        return msgspec.convert(note, cls, from_attributes=True)


class PackageVersionRead(msgspec.Struct, kw_only=True):
    """One immutable version of a response package, its digests and its review."""

    request_id: UUID
    number: int
    sha256: str
    size: int
    locale: str
    draft_revision: int
    stale: bool
    """True once the response, or what the letter prints of the request, changed after this
    version was built: it can no longer be submitted, approved or sent."""
    stale_fields: Annotated[
        list[str],
        msgspec.Meta(
            examples=[["authority_reference", "due_at"]],
            description="The request's printed fields changed since the build (names only)",
        ),
    ]
    stale_reason: Annotated[
        str,
        msgspec.Meta(
            examples=["the request's authority reference changed after it was built"],
            description="Why the version is stale, as a sentence; empty when it is not",
        ),
    ]
    state: PackageState
    drafted_by: str
    built_by: str
    created_at: datetime
    submitted_by: str
    submitted_at: datetime | None
    approved_by: str
    approved_at: datetime | None
    signed_sha256: str
    signed_size: int
    sent_by: str
    sent_at: datetime | None
    comments: list[SendBackRead]
    available_actions: list[PackageAction]

    @classmethod
    def from_domain(
        cls, version: PackageVersion, *, draft: ResponseDraft, actions: list[PackageAction]
    ) -> PackageVersionRead:
        """Shape a ``PackageVersion``, stale or not against ``draft``, with the caller's steps."""
        return cls(
            request_id=version.request_id,
            number=version.number,
            sha256=version.sha256,
            size=version.size,
            locale=version.locale,
            draft_revision=version.draft_revision,
            stale=version.is_stale(draft),
            stale_fields=list(version.stale_fields),
            stale_reason=version.stale_reason(draft),
            state=version.state,
            drafted_by=version.drafted_by,
            built_by=version.built_by,
            created_at=version.created_at,
            submitted_by=version.submitted_by,
            submitted_at=version.submitted_at,
            approved_by=version.approved_by,
            approved_at=version.approved_at,
            signed_sha256=version.signed_sha256,
            signed_size=version.signed_size,
            sent_by=version.sent_by,
            sent_at=version.sent_at,
            comments=[SendBackRead.from_domain(c) for c in version.comments],
            available_actions=actions,
        )


class PackageBuildRead(msgspec.Struct, kw_only=True):
    """The answer to a build: ``created`` False when the draft gave the latest version again."""

    created: bool
    version: PackageVersionRead


class PackageVersionList(msgspec.Struct, kw_only=True):
    """Every version of the request's package, the first one first."""

    items: list[PackageVersionRead]
