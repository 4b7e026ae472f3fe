"""The editable fields of a request, and how a plain value (JSON or a CSV cell) becomes one (pure).

The editable fields are those of ``NewRequest``; each one's codec is chosen by its type, once. One
codec serves the PATCH endpoint (JSON builtins), the CSV import (text cells) and the report
fields of a new request, so all refuse the same things with the same words.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import Final
from uuid import UUID

from domain.requests.clock_fields import STRUCTURED
from domain.requests.fields import NAMED_LISTS, RequestRecord, enum_or_none
from domain.requests.flat import Field, fields_of
from domain.requests.model import RegulatoryRequest
from domain.requests.records import NewRequest, normalize_tags
from domain.shared.errors import ValidationError

EDITABLE: Final = fields_of(NewRequest)
"""The fields of ``NewRequest``, report fields spread out: the one list of editable fields."""
EDITABLE_FIELDS: Final = tuple(f.name for f in EDITABLE)
"""What PATCH accepts and the CSV import reads (the export's editable columns)."""
REQUIRED_FIELDS: Final = tuple(f.name for f in EDITABLE if f.required)
DEADLINE_FIELDS: Final = frozenset(
    {"received_at", "rule", "tz", "subdivision", "events", "due_set_by_authority"}
)
"""A change of any of these recomputes the deadlines."""

_BY_NAME: Final = {f.name: f for f in EDITABLE}
_TRUE: Final = frozenset({"true", "1", "yes"})
_FALSE: Final = frozenset({"false", "0", "no", ""})


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


def _text(name: str, value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(name, "must be text")
    return value.strip()


def _optional_text(name: str, value: object) -> str | None:
    return _text(name, value) or None


def _words(name: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else []
        except json.JSONDecodeError:
            raise ValidationError(name, "must be a JSON list of words") from None
    if not isinstance(value, list | tuple) or not all(isinstance(t, str) for t in value):
        raise ValidationError(name, "must be a list of words")
    return tuple(value)


def _tags(name: str, value: object) -> tuple[str, ...]:
    return normalize_tags(_words(name, value))


Codec = Callable[[str, object], object]
_BY_TYPE: Final[Mapping[object, Codec]] = {
    datetime: _instant,
    date: _day,
    UUID: _uuid,
    bool: _bool,
    **STRUCTURED,
}


def _codec(field: Field) -> Codec:
    """How a plain value becomes the value of ``field``, decided by the field's type."""
    base, vocabulary, element = field.base, field.vocabulary, field.element
    if field.name == "tags":  # words with rules of their own (normalize_tags)
        return _tags
    if base in _BY_TYPE:
        return _BY_TYPE[base]
    if vocabulary is not None:
        return lambda name, value: enum_or_none(vocabulary, value, name)
    if base is str:
        return _optional_text if field.optional else _text
    if element is str:
        return _words
    if element in NAMED_LISTS:
        parse = NAMED_LISTS[element]
        return lambda _, value: parse(value)
    msg = f"no codec for the editable field {field.name}: {field.annotation}"
    raise TypeError(msg)


_CODECS: Final = {f.name: _codec(f) for f in EDITABLE}


def coerce_field(name: str, value: object) -> object:
    """``value`` (a JSON builtin or a CSV cell) as the domain value of field ``name``.

    Raises:
        ValidationError: on ``name`` when it is not editable, missing where required, or
            not of its type (a naive instant is refused: "must be timezone-aware").
    """
    if name not in _CODECS:
        raise ValidationError(name, "is not an editable field")
    if _BY_NAME[name].required and _blank(value):
        raise ValidationError(name, "is required")
    return _CODECS[name](name, value)


def _split(values: Mapping[str, object]) -> tuple[dict[str, object], dict[str, object]]:
    """``values`` by attribute: those of the request, those of its record."""
    core: dict[str, object] = {}
    record: dict[str, object] = {}
    for name, value in values.items():
        field = _BY_NAME[name]
        (record if field.in_record else core)[field.attribute] = value
    return core, record


def apply_changes(current: RegulatoryRequest, changes: Mapping[str, object]) -> RegulatoryRequest:
    """``current`` with ``changes`` (field name → plain value) applied.

    Nothing is checked beyond each field's type (see ``records.check_edited``).

    Raises:
        ValidationError: on the first field that is not editable or not of its type.
    """
    core, record = _split({name: coerce_field(name, raw) for name, raw in changes.items()})
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
    given: dict[str, object] = {}
    for name, raw in values.items():
        if name not in _BY_NAME:
            raise ValidationError(name, "is not a column the import reads")
        if not _blank(raw) or name in REQUIRED_FIELDS:
            given[name] = coerce_field(name, raw)
    core, record = _split(given)
    return NewRequest(**core, record=RequestRecord(**record))  # type: ignore[arg-type]


def record_from(values: Mapping[str, object]) -> RequestRecord:
    """The report fields of a new request from plain values (absent or blank: the default).

    Raises:
        ValidationError: on the first field that is not a report field or not of its type.
    """
    given: dict[str, object] = {}
    for name, raw in values.items():
        if name not in _BY_NAME or not _BY_NAME[name].in_record:
            raise ValidationError(name, "is not a report field")
        if not _blank(raw):
            given[name] = coerce_field(name, raw)
    return RequestRecord(**_split(given)[1])  # type: ignore[arg-type]
