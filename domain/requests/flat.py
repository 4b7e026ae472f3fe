"""A request as one flat list of named fields: the shape the API, the CSV and the audit trail share.

A ``RegulatoryRequest`` keeps its report fields in ``record``; outside the domain they sit beside
the others, and ``rule_id`` is called ``rule``. Each field's type is read from the dataclass, so a
field added to the model is stored, shown, exported and recorded without being listed again; how
a value of each type is written is decided here once (pure).
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any, Final, Union, get_args, get_origin, get_type_hints
from uuid import UUID

from audit.canonical import JsonValue
from domain.requests.fields import RequestRecord
from domain.requests.model import RegulatoryRequest

RENAMED: Final[Mapping[str, str]] = {"rule_id": "rule"}
"""Attributes that the API, the CSV and the audit trail know by another name."""


@dataclasses.dataclass(frozen=True, slots=True)
class Field:
    """One field of a request, by the name it has outside the domain."""

    name: str
    """``rule`` for ``rule_id``; the attribute's own name for every other field."""
    attribute: str
    annotation: object
    """The resolved annotation, e.g. ``datetime | None``."""
    in_record: bool
    """Whether the attribute is on the request's ``record`` rather than on the request."""
    default: object = dataclasses.MISSING
    """What the field is when not given (``dataclasses.MISSING``: it must be given)."""

    @property
    def required(self) -> bool:
        """Whether the field has no default."""
        return self.default is dataclasses.MISSING

    @property
    def optional(self) -> bool:
        """Whether the field may be None."""
        return type(None) in _members(self.annotation)

    @property
    def base(self) -> object:
        """The type without ``| None``."""
        rest = [t for t in _members(self.annotation) if t is not type(None)]
        return rest[0] if len(rest) == 1 else self.annotation

    @property
    def vocabulary(self) -> type[StrEnum] | None:
        """The ``StrEnum`` the field takes its values from, if it does."""
        base = self.base
        return base if isinstance(base, type) and issubclass(base, StrEnum) else None

    @property
    def element(self) -> object:
        """The type of each item of a list field (``tuple[X, ...]``), else None."""
        return get_args(self.base)[0] if get_origin(self.base) is tuple else None


def _members(annotation: object) -> tuple[object, ...]:
    if get_origin(annotation) in {Union, types.UnionType}:
        return get_args(annotation)
    return (annotation,)


def _default(field: dataclasses.Field[Any]) -> object:
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return field.default


def fields_of(cls: type[Any]) -> tuple[Field, ...]:
    """The fields of dataclass ``cls`` in order, a ``RequestRecord``'s spread out in its place."""
    hints = get_type_hints(cls)
    found: list[Field] = []
    for field in dataclasses.fields(cls):
        if hints[field.name] is RequestRecord:
            found += [dataclasses.replace(f, in_record=True) for f in fields_of(RequestRecord)]
            continue
        name = RENAMED.get(field.name, field.name)
        found.append(Field(name, field.name, hints[field.name], False, _default(field)))
    return tuple(found)


REQUEST_FIELDS: Final = fields_of(RegulatoryRequest)
"""Every field of a request, in the model's order, the report fields last."""


def flat_values(reg_request: RegulatoryRequest) -> dict[str, object]:
    """Every field of ``reg_request`` by name (domain values), its report fields among them."""
    record = reg_request.record
    return {
        f.name: getattr(record if f.in_record else reg_request, f.attribute) for f in REQUEST_FIELDS
    }


def plain(value: object) -> JsonValue:
    """``value`` as JSON (the audit trail's and the CSV's form of every field).

    Instants and days in ISO 8601, ids as text, vocabularies by value, lists as lists, named
    things (an identifier, a content item) as objects of their fields.
    """
    if isinstance(value, StrEnum):
        return value.value
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, tuple | list):
        return [plain(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    msg = f"no JSON form for {type(value).__name__}"
    raise TypeError(msg)
