"""The draft-hold form, read: what was typed (to show again) and the ``NewHold`` it means.

The form is checked as the API checks ``POST /api/v1/holds``: the values become the API's body
(``HoldCreate``, the same lengths and types) and then the same domain service decides, so the
page refuses the same input with the same words. Each problem is named by the form's field:
``matter``, ``custodians-2-email``, ``data_sources`` …, and shown beside it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

import msgspec

from api.problem_text import invalid_value, sentence
from api.schemas.holds import HoldCreate
from domain.holds.model import Custodian, DataSource, LegalHold, parse_data_source
from domain.holds.service import NewHold
from domain.identity.users import normalize_email
from domain.shared.errors import ValidationError

FormData = Mapping[str, str | list[str]]
"""A URL-encoded form as Litestar reads it: a repeated name gives a list."""

TEXT_FIELDS: Final = (
    "matter",
    "title",
    "data_sources",
    "preservation_request_id",
    "scope_start",
    "scope_end",
    "keywords",
    "scope_description",
    "notice_text",
    "questions",
    "request_ids",
    "version",
)
CUSTODIAN_KEYS: Final = ("email", "name", "manager_email")
BLANK_ROWS: Final = 2
"""Empty custodian rows offered (more on request, without JavaScript)."""
_PATH: Final = re.compile(r"(\w+)(?:\[(\d+)\])?(?:\.(\w+))?")
_ROW_FIELDS: Final = frozenset({"custodians"})


@dataclass
class HoldForm:
    """What the form holds: the values as typed, the custodian rows, what is wrong, by field."""

    values: dict[str, str]
    custodians: list[dict[str, str]]
    errors: dict[str, str] = field(default_factory=dict)
    blank_rows: int = BLANK_ROWS

    def get(self, name: str) -> str:
        """The value of field ``name`` as typed ("" when absent)."""
        return self.values.get(name, "")

    def fail(self, name: str, message: str) -> None:
        """Record a problem with field ``name`` (its first problem is the one shown)."""
        self.errors.setdefault(name, sentence(message))

    def rows(self) -> list[dict[str, str]]:
        """The custodian rows to show: those typed, then the blank ones."""
        return [
            *self.custodians,
            *({k: "" for k in CUSTODIAN_KEYS} for _ in range(self.blank_rows)),
        ]


def _first(value: str | list[str]) -> str:
    return (value[0] if value else "") if isinstance(value, list) else value


def _many(data: FormData, name: str) -> list[str]:
    value = data.get(name, [])
    return [value] if isinstance(value, str) else list(value)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def read_form(data: FormData) -> HoldForm:
    """The form as typed; a custodian row with nothing in it is dropped."""
    columns = [_many(data, f"custodian_{k}") for k in CUSTODIAN_KEYS]
    rows = [
        dict(
            zip(CUSTODIAN_KEYS, (c[i].strip() if i < len(c) else "" for c in columns), strict=True)
        )
        for i in range(max(map(len, columns)))
    ]
    form = HoldForm(
        values={name: _first(data.get(name, "")) for name in TEXT_FIELDS},
        custodians=[r for r in rows if any(r.values())],
    )
    if _first(data.get("more_rows", "")):
        form.blank_rows += BLANK_ROWS
    return form


def form_of(hold: LegalHold) -> HoldForm:
    """The form filled in from a draft, to edit it."""
    return HoldForm(
        values={
            "matter": hold.matter,
            "title": hold.title,
            "data_sources": "\n".join(d.key for d in hold.data_sources),
            "preservation_request_id": str(hold.preservation_request_id or ""),
            "scope_start": str(hold.scope_start or ""),
            "scope_end": str(hold.scope_end or ""),
            "keywords": ", ".join(hold.keywords),
            "scope_description": hold.scope_description,
            "notice_text": hold.notice_text,
            "questions": "\n".join(hold.questions),
            "request_ids": " ".join(
                str(i) for i in hold.request_ids if i != hold.preservation_request_id
            ),
            "version": str(hold.version),
        },
        custodians=[
            {"email": c.email, "name": c.name, "manager_email": c.manager_email}
            for c in hold.custodians
        ],
    )


def _body(form: HoldForm) -> dict[str, object]:
    """The API's body for what was typed, each row checked by the domain's own readers."""
    custodians = []
    for index, row in enumerate(form.custodians):
        for key in ("email", "manager_email"):
            if key == "email" or row[key]:
                try:
                    normalize_email(row[key])
                except ValidationError as exc:
                    form.fail(f"custodians-{index}-{key}", exc.message)
        custodians.append(row)
    sources = []
    for number, line in enumerate(_lines(form.get("data_sources")), start=1):
        try:
            system, identifier = parse_data_source(line)
        except ValueError as exc:
            form.fail("data_sources", f"line {number} ({line}) {exc}")
        else:
            sources.append({"system": system, "identifier": identifier})
    body: dict[str, object] = {
        "matter": form.get("matter").strip(),
        "title": form.get("title").strip(),
        "custodians": custodians,
        "data_sources": sources,
        "keywords": [k.strip() for k in form.get("keywords").split(",") if k.strip()],
        "scope_description": form.get("scope_description"),
        "notice_text": form.get("notice_text"),
        "questions": _lines(form.get("questions")),
        "request_ids": form.get("request_ids").split(),
    }
    for name in ("scope_start", "scope_end", "preservation_request_id"):
        if form.get(name).strip():
            body[name] = form.get(name).strip()
    return body


def _field_of(path: str) -> str:
    """The form's field for a place in the API's body (``custodians[2].email``)."""
    found = _PATH.fullmatch(path)
    if found is None:
        return "matter"
    name, index, key = found.groups()
    if name in _ROW_FIELDS and index is not None and key is not None:
        return f"{name}-{index}-{key}"
    return name


def checked(form: HoldForm) -> NewHold | None:
    """The ``NewHold`` the form means, or None with every problem in ``form.errors``."""
    body = _body(form)
    if form.errors:
        return None
    try:
        create = msgspec.convert(body, HoldCreate)
    except msgspec.ValidationError as exc:
        message, at, where = str(exc).rpartition(" - at `$")
        path = where.rstrip("`").lstrip(".") if at else ""
        form.fail(_field_of(path), invalid_value(message if at else str(exc), key=path))
        return None
    return NewHold(
        matter=create.matter,
        title=create.title,
        custodians=tuple(
            Custodian(email=c.email, name=c.name, manager_email=c.manager_email)
            for c in create.custodians
        ),
        data_sources=tuple(
            DataSource(system=d.system, identifier=d.identifier) for d in create.data_sources
        ),
        request_ids=tuple(create.request_ids),
        scope_start=create.scope_start,
        scope_end=create.scope_end,
        keywords=tuple(create.keywords),
        scope_description=create.scope_description,
        notice_text=create.notice_text,
        preservation_request_id=create.preservation_request_id,
        questions=tuple(create.questions),
    )
