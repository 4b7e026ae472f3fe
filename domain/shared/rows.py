"""Converting column values of Piccolo rows to domain values (shared by every repository)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import TypeAlias
from uuid import UUID

Row: TypeAlias = Mapping[str, object]


def aware(value: object) -> datetime:
    """Timestamps come back naive from SQLite and aware from PostgreSQL; both are UTC."""
    if not isinstance(value, datetime):
        msg = f"expected a datetime, got {type(value).__name__}"
        raise TypeError(msg)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def aware_or_none(value: object) -> datetime | None:
    """``aware(value)``, or None for NULL."""
    return None if value is None else aware(value)


def as_uuid(value: object) -> UUID:
    """A UUID column's value (a ``UUID`` from PostgreSQL and Piccolo, text from raw SQLite)."""
    return value if isinstance(value, UUID) else UUID(str(value))


def date_or_none(value: object) -> date | None:
    """A DATE column's value (a ``date``, or ISO text from raw SQLite), or None for NULL."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
