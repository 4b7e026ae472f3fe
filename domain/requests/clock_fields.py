"""A request's clock beyond receipt: the events its rule reads, and a date the authority set.

Both are single fields of a request, stored, shown, exported and recorded like the others; this
module (pure) says how a plain value (JSON from the API, a cell of the CSV import, a column) becomes
one, refusing with the name of the field at fault (``events.aware``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from domain.shared.errors import ValidationError

ClockEvents = Mapping[str, datetime]
"""Instants by event name (``aware``, ``identity_verified`` …), as the rule pack names them."""
MAX_SOURCE: Final = 500


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthorityDue:
    """A due date set by the authority (an order, a notice naming a date), and where it is set."""

    due_at: datetime
    source: str
    """The document that sets it, as a reader finds it: "notice OF-2026-17 of 2 March 2026"."""


def _json(name: str, value: object) -> object:
    if isinstance(value, str):
        try:
            return json.loads(value) if value.strip() else None
        except json.JSONDecodeError:
            raise ValidationError(name, "must be a JSON object") from None
    return value


def _instant(name: str, value: object) -> datetime:
    if isinstance(value, datetime):
        instant = value
    else:
        try:
            instant = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValidationError(name, "must be an ISO 8601 date and time") from None
    if instant.utcoffset() is None:
        raise ValidationError(name, "must be timezone-aware")
    return instant.astimezone(UTC)


def parse_events(name: str, value: object) -> ClockEvents:
    """Event instants (in UTC) from ``{"aware": "2026-03-01T09:00:00Z"}`` or its JSON text.

    Raises:
        ValidationError: on ``events`` when it is not an object of names, on ``events.<name>``
            when an instant is malformed or naive.
    """
    given = _json(name, value)
    if given is None:
        return {}
    if not isinstance(given, Mapping) or not all(isinstance(k, str) for k in given):
        raise ValidationError(name, 'must be an object of event times, e.g. {"aware": "…"}')
    return {
        key.strip(): _instant(f"{name}.{key.strip()}", at)
        for key, at in sorted(given.items())
        if at is not None
    }


def parse_authority_due(name: str, value: object) -> AuthorityDue | None:
    """A date set by the authority from ``{"due_at": …, "source": …}`` (or its JSON text).

    Raises:
        ValidationError: on ``due_set_by_authority.<key>`` when a key is missing or malformed.
    """
    given = _json(name, value)
    if isinstance(given, AuthorityDue):
        given = {"due_at": given.due_at, "source": given.source}
    if given is None:
        return None
    if not isinstance(given, Mapping) or set(given) - {"due_at", "source"}:
        raise ValidationError(name, 'must be {"due_at": …, "source": …}')
    if given.get("due_at") in {None, ""}:
        raise ValidationError(f"{name}.due_at", "is required")
    source = given.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ValidationError(f"{name}.source", "name the document that sets the date")
    if len(source) > MAX_SOURCE:
        raise ValidationError(f"{name}.source", f"must be at most {MAX_SOURCE} characters")
    return AuthorityDue(due_at=_instant(f"{name}.due_at", given["due_at"]), source=source.strip())


STRUCTURED: Final[Mapping[object, Callable[[str, object], object]]] = {
    ClockEvents: parse_events,
    AuthorityDue: parse_authority_due,
}
"""How a plain value becomes each structured field of a request, by the field's type."""
