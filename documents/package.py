"""The content of a response package: plain values handed to the renderer."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime


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
class PackageContent:
    """Everything a response package shows; identical content renders to identical bytes."""

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
