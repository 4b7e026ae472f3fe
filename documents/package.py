"""The content of a response package: plain values handed to the renderer.

What the letter prints of the request it answers is one value, :class:`PrintedRequest`; its
digest is what a built version records, so any field the letter prints of the request is, by
construction, one that a change of makes the version stale.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple, dataclass, fields
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Exhibit:
    """A file enclosed with a response: embedded in the PDF and listed in its index."""

    title: str
    file_name: str
    media_type: str
    content: bytes

    @property
    def sha256(self) -> str:
        """The SHA-256 digest of the content, as lowercase hex."""
        return hashlib.sha256(self.content).hexdigest()

    @property
    def size(self) -> int:
        """The content's length in bytes."""
        return len(self.content)


@dataclass(frozen=True, slots=True, kw_only=True)
class PrintedRequest:
    """Everything the letter prints of the request it answers (and of its authority).

    A field the letter shows of the request belongs here and nowhere else in
    :class:`PackageContent`: :meth:`digest` covers every field, so a version built from this
    value goes stale when any of them changes.
    """

    reference: str
    """Our reference, e.g. ``REQ-2026-000123``; printed on every page."""
    authority_name: str
    """The addressee."""
    authority_contact: str
    """A multi-line postal or e-mail block; may be empty."""
    authority_reference: str
    """The authority's own reference; may be empty."""
    legal_basis: str
    """May be empty."""
    received_at: datetime
    due_at: datetime | None
    time_zone: str
    """IANA zone in which dates are shown, e.g. ``Europe/Berlin``."""

    def values(self) -> dict[str, str | None]:
        """Each field as text: instants in UTC (ISO 8601), so equal moments compare equal."""
        return {
            f.name: _as_text(value) for f, value in zip(fields(self), astuple(self), strict=True)
        }

    def digest(self) -> str:
        """SHA-256 (hex) over every field, in a fixed JSON form."""
        text = json.dumps(self.values(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def changed_fields(self, other: PrintedRequest) -> tuple[str, ...]:
        """The fields (in declaration order) whose printed value differs in ``other``."""
        mine, theirs = self.values(), other.values()
        return tuple(name for name in mine if mine[name] != theirs[name])


def _as_text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    msg = f"no printed form for {type(value).__name__}"
    raise TypeError(msg)


@dataclass(frozen=True, slots=True, kw_only=True)
class PackageContent:
    """Everything a response package shows; identical content renders to identical bytes."""

    request: PrintedRequest
    """What the letter prints of the request; every other field comes from the response."""
    locale: str
    """One of ``documents.render.supported_locales()``."""
    organisation: str
    """The sender."""
    response_markdown: str
    """Written by a specialist: untrusted, rendered without raw HTML and without fetching."""
    exhibits: tuple[Exhibit, ...]
    version: int
    created_at: datetime
    """The version's creation time; every date in the PDF's metadata comes from it."""
    prepared_by: str
    """The drafter's display name."""
    greeting: str | None = None
    """The organisation's greeting for this locale (plain text, blank lines between
    paragraphs); ``None``: the locale's default."""
    closing: str | None = None
    """The organisation's closing for this locale (plain text); ``None``: the default."""
    approval_page: bool = False
    """Whether the internal approval page (drafter, version, room for the signature) ends the
    letter; off, the approval is still proven by the PDF's signature and the audit log."""
