"""Response packages as frozen values (pure): the response draft and its immutable versions.

A version is one build of the draft into a PDF, named by the PDF's SHA-256. It remembers the
draft revision it was built from and the digest of what its letter prints of the request
(``documents.package.PrintedRequest``). Once the draft changes, or a field the letter prints of
the request changes (recorded on the version as ``stale_fields`` by that change), the version is
*stale* and can no longer be submitted, approved or sent; a new version must be built and
approved again. Staleness never wears off: changing a field back does not revive a version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final
from uuid import UUID

PRINTED_FIELD_NAMES: Final = {
    "reference": "our reference",
    "authority_name": "authority name",
    "authority_contact": "authority address",
    "authority_reference": "authority reference",
    "legal_basis": "legal basis",
    "received_at": "date received",
    "due_at": "due date",
    "time_zone": "time zone",
}
"""How a person calls the printed request fields (``documents.package.PrintedRequest``)."""


def describe_fields(fields: tuple[str, ...]) -> str:
    """``("authority_reference", "due_at")`` as "authority reference and due date"."""
    names = [PRINTED_FIELD_NAMES.get(f, f.replace("_", " ")) for f in fields]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


class PackageState(StrEnum):
    """Where a built version of a response package stands."""

    DRAFT = "draft"
    """Built, not yet submitted for Legal's review."""
    SUBMITTED = "submitted"
    APPROVED = "approved"
    """Approved by Legal under its SHA-256 and signed; the signed PDF is what goes out."""
    SENT_BACK = "sent_back"
    """Returned with comments; the draft is changed and a new version built."""
    SENT = "sent"


@dataclass(frozen=True, slots=True)
class DraftExhibit:
    """An attachment of the request that the package carries, under a title."""

    attachment_id: UUID
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseDraft:
    """The response being written for a request; ``revision`` 0 means nothing written yet."""

    request_id: UUID
    markdown: str
    locale: str
    """A locale chosen for this response; empty: the request's response language."""
    exhibits: tuple[DraftExhibit, ...]
    revision: int
    updated_by: str
    updated_by_name: str
    updated_at: datetime | None


@dataclass(frozen=True, slots=True)
class SendBack:
    """Legal's comment when returning a version."""

    by: str
    at: datetime
    comment: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PackageVersion:
    """One immutable build of a response package; only its workflow fields move."""

    id: UUID
    request_id: UUID
    number: int
    sha256: str
    size: int
    locale: str
    draft_revision: int
    drafted_by: str
    """Who last changed the draft this version was built from (an actor reference)."""
    built_by: str
    created_at: datetime
    state: PackageState
    submitted_by: str = ""
    submitted_at: datetime | None = None
    approved_by: str = ""
    approved_at: datetime | None = None
    signed_sha256: str = ""
    signed_size: int = 0
    sent_by: str = ""
    sent_at: datetime | None = None
    comments: tuple[SendBack, ...] = ()
    request_digest: str = ""
    """SHA-256 of what the letter prints of the request; empty for versions built before
    Docket recorded it (those are never stale on this account)."""
    stale_fields: tuple[str, ...] = ()
    """The printed fields of the request changed since the build (``PrintedRequest`` names)."""
    approval_page: bool = True
    """Whether the PDF ends with the internal approval page, where the signature is shown;
    versions built before the choice existed all have it."""

    def is_stale(self, draft: ResponseDraft) -> bool:
        """Whether the draft, or what the letter prints of the request, changed since the build."""
        return draft.revision != self.draft_revision or bool(self.stale_fields)

    def stale_reason(self, draft: ResponseDraft) -> str:
        """Why the version is stale, as a sentence; empty when it is not."""
        reasons = []
        if self.stale_fields:
            named = describe_fields(self.stale_fields)
            reasons.append(f"the request's {named} changed after it was built")
        if draft.revision != self.draft_revision:
            reasons.append(
                f"the response is at revision {draft.revision}, "
                f"it was built from revision {self.draft_revision}"
            )
        return "; ".join(reasons)

    def authors(self) -> frozenset[str]:
        """Who may never approve this version: its drafter and its builder."""
        return frozenset({self.drafted_by, self.built_by})


@dataclass(frozen=True, slots=True)
class BuiltVersion:
    """The answer to a build: the version, and whether it was new or the latest one again."""

    version: PackageVersion
    created: bool


@dataclass(frozen=True, slots=True)
class RenderedDraft:
    """The current draft rendered without creating a version (the operators' preview)."""

    pdf: bytes
    sha256: str
    locale: str
    reference: str
