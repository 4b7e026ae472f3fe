"""The "Log a request" form, read: what was typed (to show again) and what it means.

Times are typed as wall-clock times in one zone, the viewer's unless changed, and made aware
instants by ``deadlines.local_instant``. Every field of a new request is read with the codec of
PATCH and the CSV import (``domain.requests.edits``), so the form refuses the same input with
the same words; the checks made when a request is logged come back from the domain as a
``ValidationError`` naming its field, which is also the name of the form's field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from domain import deadlines
from domain.deadlines import ClockEvent
from domain.requests.edits import EDITABLE_FIELDS, coerce_field, new_request_from
from domain.requests.fields import TIMESTAMP_FIELDS
from domain.requests.records import NewRequest
from domain.shared.errors import ValidationError

FormData = Mapping[str, str | list[str]]
"""A URL-encoded form as Litestar reads it: a repeated name gives a list."""

INSTANT_FIELDS: Final = ("received_at", *TIMESTAMP_FIELDS)
"""The fields typed as a wall-clock time in the form's zone."""
IDENTIFIER_KEYS: Final = ("type", "value")
CONTENT_ITEM_KEYS: Final = ("ref", "description", "action", "basis")
BLANK_ROWS: Final = 2
"""Empty rows offered for identifiers and content items (more on request)."""
TAG_SEPARATORS: Final = re.compile(r"[,\s]+")
SET_DUE: Final = f"events.{deadlines.SPECIFIED_DUE}"
"""The form's field of a date the order sets (with ``due_source``, the document that sets it)."""
FORM_NAMES: Final = {
    "due_set_by_authority": SET_DUE,
    "due_set_by_authority.due_at": SET_DUE,
    "due_set_by_authority.source": "due_source",
}
"""The form's field for each field of a request that the form asks for under another name."""


@dataclass
class RequestForm:
    """What the form holds: the values as typed, its rows, and what is wrong, by field."""

    values: dict[str, str]
    identifiers: list[dict[str, str]]
    content_items: list[dict[str, str]]
    errors: dict[str, str] = field(default_factory=dict)
    blank_rows: int = BLANK_ROWS

    def get(self, name: str) -> str:
        """The value of field ``name`` as typed ("" when absent)."""
        return self.values.get(name, "")

    def checked(self, name: str) -> bool:
        """Whether the checkbox ``name`` is ticked."""
        return self.get(name) == "true"

    def fail(self, exc: ValidationError, *, prefix: str = "") -> None:
        """Record ``exc`` against its field (the first problem of a field is the one shown)."""
        self.errors.setdefault(prefix + FORM_NAMES.get(exc.field, exc.field), exc.message)

    def rows(self, name: str) -> list[dict[str, str]]:
        """The rows of list ``name`` to show: those typed, then the blank ones."""
        typed = self.identifiers if name == "identifiers" else self.content_items
        keys = IDENTIFIER_KEYS if name == "identifiers" else CONTENT_ITEM_KEYS
        return [*typed, *({key: "" for key in keys} for _ in range(self.blank_rows))]


def _first(value: str | list[str]) -> str:
    return (value[0] if value else "") if isinstance(value, list) else value


def _many(data: FormData, name: str) -> list[str]:
    value = data.get(name, [])
    return [value] if isinstance(value, str) else list(value)


def _rows(data: FormData, prefix: str, keys: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a repeated group of fields (``identifier_type``, ``identifier_value`` …)."""
    columns = [_many(data, f"{prefix}_{key}") for key in keys]
    width = max(len(column) for column in columns)
    rows = [
        {
            key: (column[i] if i < len(column) else "")
            for key, column in zip(keys, columns, strict=True)
        }
        for i in range(width)
    ]
    main = keys[1] if prefix == "identifier" else keys[0]  # a row without these is blank
    return [row for row in rows if row[main].strip()]


def read_form(data: FormData) -> RequestForm:
    """The form as posted (or as given in a query string)."""
    return RequestForm(
        values={name: _first(value) for name, value in data.items()},
        identifiers=_rows(data, "identifier", IDENTIFIER_KEYS),
        content_items=_rows(data, "content", CONTENT_ITEM_KEYS),
    )


def blank_form(**values: str) -> RequestForm:
    """A new, empty form with ``values`` filled in."""
    return RequestForm(values=dict(values), identifiers=[], content_items=[])


def instant(form: RequestForm, name: str) -> datetime | None:
    """Field ``name`` as an aware instant, reading it in the form's zone; None if blank or bad."""
    text = form.get(name)
    if not text.strip():
        return None
    try:
        return deadlines.local_instant(text, form.get("zone"), field=name, zone_field="zone")
    except ValidationError as exc:
        form.fail(exc)
        return None


def _plain(form: RequestForm, name: str) -> object:
    """The plain value of editable field ``name`` that the domain's codec reads."""
    if name in INSTANT_FIELDS:
        return instant(form, name)
    if name == "identifiers":
        return form.identifiers
    if name == "content_items":
        return form.content_items
    if name == "tags":
        return [tag for tag in TAG_SEPARATORS.split(form.get("tags")) if tag]
    if name in {"events", "due_set_by_authority"}:
        return _clock_value(form, name)
    return form.get(name)


def _clock_value(form: RequestForm, name: str) -> object:
    """The events typed (``events.<name>``), or the date the order sets with its document."""
    if name == "events":
        given = [key for key in form.values if key.startswith("events.") and key != SET_DUE]
        return {key.removeprefix("events."): instant(form, key) for key in given}
    set_due = instant(form, SET_DUE)
    source = form.get("due_source")
    if set_due is None and not source.strip():
        return None
    return {"due_at": set_due, "source": source}


def new_request(form: RequestForm) -> NewRequest | None:
    """The request the form describes; None, with every field's problem noted, if it is wrong."""
    plain = {name: _plain(form, name) for name in EDITABLE_FIELDS}
    for name, value in plain.items():
        if name not in form.errors:
            try:
                coerce_field(name, value)
            except ValidationError as exc:
                form.fail(exc)
    if form.errors:
        return None
    return new_request_from(plain)


@dataclass(frozen=True, slots=True, kw_only=True)
class DeadlineInputs:
    """What a deadline preview reads from the form."""

    rule_id: str
    received_at: datetime
    tz: str | None
    subdivision: str | None
    events: dict[str, datetime]


def deadline_inputs(
    form: RequestForm, rule_id: str, events: tuple[ClockEvent, ...]
) -> DeadlineInputs | None:
    """The inputs of a preview of rule ``rule_id``; None, with problems noted, if one is bad."""
    received_at = instant(form, "received_at")
    if received_at is None and "received_at" not in form.errors:
        form.errors["received_at"] = "is required"
    given = {event.name: instant(form, f"events.{event.name}") for event in events}
    if received_at is None or any(f"events.{name}" in form.errors for name in given):
        return None
    return DeadlineInputs(
        rule_id=rule_id,
        received_at=received_at,
        tz=form.get("tz").strip() or None,
        subdivision=form.get("subdivision").strip() or None,
        events={name: at for name, at in given.items() if at is not None},
    )


def keep_events_of(form: RequestForm, events: tuple[ClockEvent, ...]) -> None:
    """Drop the times of events the chosen rule does not read (typed for a rule chosen before)."""
    read = {f"events.{event.name}" for event in events}
    for name in [key for key in form.values if key.startswith("events.") and key not in read]:
        del form.values[name]
    if SET_DUE not in read:
        form.values.pop("due_source", None)
