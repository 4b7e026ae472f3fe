"""A request as one flat list of named fields: the shape the API, the CSV and the audit trail share.

A ``RegulatoryRequest`` keeps its report fields in ``record``; outside the domain they sit beside
the others, and ``rule_id`` is called ``rule``. Each field's type is read from the dataclass, so a
field added to the model is stored (``repo``), shown (the API), exported (``csv_format``) and
recorded (``records.request_snapshot``) without being listed again; ``plain`` writes any value of
those types as JSON (pure).
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any, Final, Union, cast, get_args, get_origin, get_type_hints
from uuid import UUID

from audit.canonical import JsonValue
from domain.requests.fields import RequestRecord
from domain.requests.model import RegulatoryRequest

RENAMED: Final[Mapping[str, str]] = {"rule_id": "rule"}
"""Attributes that the API, the CSV and the audit trail know by another name."""


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Field:
    """One field of a request, by the name it has outside the domain, and its type."""

    name: str
    """``rule`` for ``rule_id``; the attribute's own name for every other field."""
    attribute: str
    in_record: bool
    """Whether the attribute is on the request's ``record`` rather than on the request."""
    default: object
    """What the field is when not given (``dataclasses.MISSING``: it must be given)."""
    annotation: object
    """The resolved annotation, e.g. ``datetime | None``."""
    base: object
    """The annotation without ``| None``."""
    optional: bool
    """Whether the field may be None."""
    vocabulary: type[StrEnum] | None
    """The ``StrEnum`` the field takes its values from, if it does."""
    element: object
    """The type of each item of a list field (``tuple[X, ...]``), else None."""

    @property
    def required(self) -> bool:
        """Whether the field has no default."""
        return self.default is dataclasses.MISSING


def describe(attribute: str, annotation: object, default: object, *, in_record: bool) -> Field:
    """The ``Field`` of an attribute with this (resolved) annotation and default."""
    union = get_origin(annotation) in {Union, types.UnionType}
    members = get_args(annotation) if union else (annotation,)
    rest = [t for t in members if t is not types.NoneType]
    base = rest[0] if len(rest) == 1 else annotation
    return Field(
        name=RENAMED.get(attribute, attribute),
        attribute=attribute,
        in_record=in_record,
        default=default,
        annotation=annotation,
        base=base,
        optional=types.NoneType in members,
        vocabulary=base if isinstance(base, type) and issubclass(base, StrEnum) else None,
        element=get_args(base)[0] if get_origin(base) is tuple else None,
    )


def _default(field: dataclasses.Field[Any]) -> object:
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return field.default


def fields_of(cls: type[Any], *, in_record: bool = False) -> tuple[Field, ...]:
    """The fields of dataclass ``cls`` in order, a ``RequestRecord``'s spread out in its place."""
    hints = get_type_hints(cls)
    found: list[Field] = []
    for field in dataclasses.fields(cls):
        annotation = hints[field.name]
        if annotation is RequestRecord:
            found += fields_of(RequestRecord, in_record=True)
        else:
            found.append(describe(field.name, annotation, _default(field), in_record=in_record))
    return tuple(found)


REQUEST_FIELDS: Final = fields_of(RegulatoryRequest)
"""Every field of a request, in the model's order, the report fields last."""
_ON_REQUEST: Final = tuple((f.name, f.attribute) for f in REQUEST_FIELDS if not f.in_record)
_ON_RECORD: Final = tuple((f.name, f.attribute) for f in REQUEST_FIELDS if f.in_record)


def flat_values(reg_request: RegulatoryRequest) -> dict[str, object]:
    """Every field of ``reg_request`` by name (domain values), its report fields last."""
    values = {name: getattr(reg_request, attribute) for name, attribute in _ON_REQUEST}
    record = reg_request.record
    values.update((name, getattr(record, attribute)) for name, attribute in _ON_RECORD)
    return values


def _plain_collection(value: tuple[object, ...] | list[object] | Mapping[str, object]) -> JsonValue:
    if isinstance(value, Mapping):  # events by name
        return {str(key): plain(item) for key, item in sorted(value.items())}
    return [plain(item) for item in value]


_AS_IS: Final = frozenset({str, bool, int, types.NoneType})


def plain(value: object) -> JsonValue:
    """``value`` as JSON (the audit trail's and the CSV's form of every field).

    Instants and days in ISO 8601, ids as text, vocabularies by value, lists as lists, events as
    an object by name, named
    things (an identifier, a content item) as objects of their fields.
    """
    if type(value) in _AS_IS:
        return cast("JsonValue", value)
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, tuple | list | Mapping):
        return _plain_collection(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    msg = f"no JSON form for {type(value).__name__}"
    raise TypeError(msg)
