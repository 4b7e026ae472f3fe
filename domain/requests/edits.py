"""The editable fields of a request, and how a plain value (JSON or a CSV cell) becomes one (pure).

One codec serves the PATCH endpoint (JSON builtins) and the CSV import (text cells), so both
refuse the same things with the same words.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, datetime
from enum import StrEnum
from typing import Final
from uuid import UUID

from domain.requests.fields import (
    DATE_FIELDS,
    ENUM_FIELDS,
    RECORD_FIELDS,
    TIMESTAMP_FIELDS,
    RequestRecord,
    enum_or_none,
    parse_content_items,
    parse_identifiers,
)
from domain.requests.model import (
    Channel,
    Confidentiality,
    DsaBasis,
    Instrument,
    Priority,
    RegulatoryRequest,
    RequestKind,
)
from domain.requests.records import NewRequest, normalize_tags
from domain.shared.errors import ValidationError

CORE_FIELDS: Final = (
    "authority_id",
    "rule",
    "received_at",
    "tz",
    "subdivision",
    "channel",
    "kind",
    "instrument",
    "dsa_basis",
    "emergency",
    "priority",
    "confidentiality",
    "authority_reference",
    "legal_basis",
    "summary",
    "tags",
    "assignee",
    "response_language",
)
EDITABLE_FIELDS: Final = CORE_FIELDS + RECORD_FIELDS
"""What PATCH accepts and the CSV import reads (the export's editable columns)."""
REQUIRED_FIELDS: Final = ("authority_id", "rule", "received_at", "channel", "kind", "instrument")
DEADLINE_FIELDS: Final = frozenset({"received_at", "rule", "tz", "subdivision"})
"""A change of any of these recomputes the deadlines."""

_CORE_ENUMS: Final[Mapping[str, type[StrEnum]]] = {
    "channel": Channel,
    "kind": RequestKind,
    "instrument": Instrument,
    "dsa_basis": DsaBasis,
    "priority": Priority,
    "confidentiality": Confidentiality,
}
_BOOLS: Final = frozenset({"emergency", "mlat", "nondisclosure_order"})
_TRUE: Final = frozenset({"true", "1", "yes"})
_FALSE: Final = frozenset({"false", "0", "no", ""})
_ATTRIBUTE: Final = {"rule": "rule_id"}


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _instant(name: str, value: object) -> datetime | None:
    if _blank(value):
        return None
    if not isinstance(value, datetime):
        try:
            value = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValidationError(name, "must be an ISO 8601 date and time") from None
    if value.utcoffset() is None:
        raise ValidationError(name, "must be timezone-aware")
    return value


def _day(name: str, value: object) -> date | None:
    if _blank(value) or isinstance(value, date):
        return None if _blank(value) else value  # type: ignore[return-value]
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(name, "must be an ISO 8601 date (YYYY-MM-DD)") from None


def _uuid(name: str, value: object) -> UUID | None:
    if _blank(value):
        return None
    try:
        return value if isinstance(value, UUID) else UUID(str(value).strip())
    except ValueError:
        raise ValidationError(name, "must be a UUID") from None


def _bool(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text not in _TRUE | _FALSE:
        raise ValidationError(name, "must be true or false")
    return text in _TRUE


def _tags(name: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else []
        except json.JSONDecodeError:
            raise ValidationError(name, "must be a JSON list of words") from None
    if not isinstance(value, list | tuple) or not all(isinstance(t, str) for t in value):
        raise ValidationError(name, "must be a list of words")
    return normalize_tags(tuple(value))


def _text(name: str, value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(name, "must be text")
    return value.strip()


def _optional_text(name: str, value: object) -> str | None:
    return _text(name, value) or None


_SPECIAL: Final[Mapping[str, Callable[[str, object], object]]] = {
    "received_at": _instant,
    "authority_id": _uuid,
    "assignee": _uuid,
    "tags": _tags,
    "tz": _optional_text,
    "subdivision": _optional_text,
    "identifiers": lambda _, v: parse_identifiers(v),
    "content_items": lambda _, v: parse_content_items(v),
}


def coerce_field(name: str, value: object) -> object:
    """``value`` (a JSON builtin or a CSV cell) as the domain value of field ``name``.

    Raises:
        ValidationError: on ``name`` when it is not editable, missing where required, or
            not of its type (a naive instant is refused: "must be timezone-aware").
    """
    if name not in EDITABLE_FIELDS:
        raise ValidationError(name, "is not an editable field")
    if name in REQUIRED_FIELDS and _blank(value):
        raise ValidationError(name, "is required")
    coerced: object
    if name in _SPECIAL:
        coerced = _SPECIAL[name](name, value)
    elif name in TIMESTAMP_FIELDS:
        coerced = _instant(name, value)
    elif name in DATE_FIELDS:
        coerced = _day(name, value)
    elif name in _BOOLS:
        coerced = _bool(name, value)
    elif name in _CORE_ENUMS:
        coerced = enum_or_none(_CORE_ENUMS[name], value, name)
    elif name in ENUM_FIELDS:
        coerced = enum_or_none(ENUM_FIELDS[name], value, name)
    else:
        coerced = _text(name, value)
    return coerced


def apply_changes(current: RegulatoryRequest, changes: Mapping[str, object]) -> RegulatoryRequest:
    """``current`` with ``changes`` (field name → plain value) applied.

    Nothing is checked beyond each field's type (see ``request_records.check_edited``).

    Raises:
        ValidationError: on the first field that is not editable or not of its type.
    """
    core: dict[str, object] = {}
    record: dict[str, object] = {}
    for name, raw in changes.items():
        value = coerce_field(name, raw)
        target = record if name in RECORD_FIELDS else core
        target[_ATTRIBUTE.get(name, name)] = value
    new_record = replace(current.record, **record)  # type: ignore[arg-type]
    return replace(current, **core, record=new_record)  # type: ignore[arg-type]


def new_request_from(values: Mapping[str, object]) -> NewRequest:
    """A ``NewRequest`` from plain values (a CSV row); absent optional fields take defaults.

    Raises:
        ValidationError: on the first field that is missing, unknown or not of its type.
    """
    for name in REQUIRED_FIELDS:
        if _blank(values.get(name)):
            raise ValidationError(name, "is required")
    core: dict[str, object] = {}
    record: dict[str, object] = {}
    for name, raw in values.items():
        if name not in CORE_FIELDS and name not in RECORD_FIELDS:
            raise ValidationError(name, "is not a column the import reads")
        if _blank(raw) and name not in REQUIRED_FIELDS:
            continue
        target = record if name in RECORD_FIELDS else core
        target[_ATTRIBUTE.get(name, name)] = coerce_field(name, raw)
    return NewRequest(**core, record=RequestRecord(**record))  # type: ignore[arg-type]


def record_from(values: Mapping[str, object]) -> RequestRecord:
    """The report fields of a new request from plain values (absent or blank: the default).

    Raises:
        ValidationError: on the first field that is not a report field or not of its type.
    """
    record: dict[str, object] = {}
    for name, raw in values.items():
        if name not in RECORD_FIELDS:
            raise ValidationError(name, "is not a report field")
        if not _blank(raw):
            record[name] = coerce_field(name, raw)
    return RequestRecord(**record)  # type: ignore[arg-type]
