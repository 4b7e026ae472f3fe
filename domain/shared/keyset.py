"""Opaque cursors of the lists ordered newest first by (timestamp, id) (pure).

A cursor is the base64url JSON of the last item's key; a list resumes strictly after it.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime
from uuid import UUID

from domain.shared.errors import ValidationError


def encode_cursor(at: datetime, ident: UUID) -> str:
    """The cursor that resumes a list after the item keyed (``at``, ``ident``)."""
    raw = {"k": at.astimezone(UTC).isoformat(), "i": str(ident)}
    return base64.urlsafe_b64encode(json.dumps(raw).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, UUID]:
    """The (timestamp, id) a cursor resumes after, the timestamp in UTC.

    Raises:
        ValidationError: on ``cursor`` when no list handed it out.
    """
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        at = datetime.fromisoformat(raw["k"])
        ident = UUID(raw["i"])
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise ValidationError("cursor", "not a cursor this list handed out") from None
    if at.tzinfo is None:
        raise ValidationError("cursor", "not a cursor this list handed out")
    return at.astimezone(UTC), ident
