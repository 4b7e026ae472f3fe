"""Opaque cursors of the lists ordered newest first by (timestamp, id) (pure).

A cursor is the base64url JSON of the last item's key; a list resumes strictly after it.
A cursor comes back from the client, so it is read as untrusted input: bounded in length
(which also bounds how deeply its JSON can nest) and checked for the shape this module wrote.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Collection
from datetime import UTC, datetime
from typing import Final
from uuid import UUID

from domain.shared.errors import ValidationError


def encode_cursor(at: datetime, ident: UUID) -> str:
    """The cursor that resumes a list after the item keyed (``at``, ``ident``)."""
    raw = {"k": at.astimezone(UTC).isoformat(), "i": str(ident)}
    return base64.urlsafe_b64encode(json.dumps(raw).encode()).decode().rstrip("=")


MAX_CURSOR_LENGTH: Final = 512
"""Longer than any cursor a list hands out (a sort key of at most 200 characters, an id)."""


def cursor_fields(cursor: str, names: Collection[str]) -> dict[str, str] | None:
    """The string fields ``names`` of a cursor's JSON object; None when it is not such a cursor.

    Never raises on what a client made up: wrong base64, JSON that is not an object, nested
    values or other types where strings belong all give None.
    """
    if len(cursor) > MAX_CURSOR_LENGTH:
        return None
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(raw, dict) or not all(isinstance(raw.get(n), str) for n in names):
        return None
    return {n: raw[n] for n in names}


def decode_cursor(cursor: str) -> tuple[datetime, UUID]:
    """The (timestamp, id) a cursor resumes after, the timestamp in UTC.

    Raises:
        ValidationError: on ``cursor`` when no list handed it out.
    """
    refused = ValidationError("cursor", "not a cursor this list handed out")
    raw = cursor_fields(cursor, ("k", "i"))
    if raw is None:
        raise refused
    try:
        at = datetime.fromisoformat(raw["k"])
        ident = UUID(raw["i"])
    except ValueError:
        raise refused from None
    if at.tzinfo is None:
        raise ValidationError("cursor", "not a cursor this list handed out")
    return at.astimezone(UTC), ident
