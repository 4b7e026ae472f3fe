"""Requests as CSV: the export's columns and rows, and reading an import file (pure).

The import reads the export's editable columns (``edits.EDITABLE_FIELDS``) and, to tell which
request a row is, its ``id``, ``reference`` and ``version``; the other read-only columns
(``READ_ONLY_COLUMNS``) are ignored, so an export is read back as it was written. Lists (tags,
identifiers, content items) sit in one cell as JSON; instants are ISO 8601 with offset.

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (OWASP "CSV Injection"), so the export writes such a cell after a ``'``, the
mark spreadsheets take for "text"; a cell that starts with ``'`` gets one more, so that the
import takes exactly one off and reads every cell back as it was.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Final
from uuid import UUID

from audit.canonical import JsonValue
from domain.requests.edits import EDITABLE_FIELDS
from domain.requests.flat import REQUEST_FIELDS, flat_values, plain
from domain.requests.model import Confidentiality, RegulatoryRequest
from domain.requests.sealing import Listed, SealedOutline
from domain.shared.errors import ValidationError

LEADING_COLUMNS: Final = ("id", "reference", "version", "state")
"""The columns before the editable ones: what a row is, and where it stands."""
KEY_COLUMNS: Final = ("id", "reference", "version")
"""The read-only columns the import reads: which request a row updates, at which version."""
FORMULA_STARTS: Final = frozenset("=+-@\t\r")
"""First characters that make a spreadsheet evaluate a cell (OWASP "CSV Injection")."""
TEXT_MARK: Final = "'"
"""Put before such a cell: spreadsheets show what follows it as text."""
NOT_EXPORTED: Final = frozenset({"extension_notice_due_at"})
"""Fields the export has never had a column for (it follows from the rule and ``due_at``)."""
EXPORT_COLUMNS: Final = (
    LEADING_COLUMNS
    + EDITABLE_FIELDS
    + tuple(
        f.name
        for f in REQUEST_FIELDS
        if f.name not in {*LEADING_COLUMNS, *EDITABLE_FIELDS, *NOT_EXPORTED}
    )
)
"""Every other field of a request after the editable ones, in the model's order."""
OUTLINE_COLUMNS: Final = (
    "id",
    "reference",
    "state",
    "due_at",
    "due_date",
    "statutory_due_at",
    "statutory_due_date",
    "extended_due_at",
    "extended_due_date",
    "extension_taken",
)
"""The columns a sealed request's outline fills (with ``confidentiality``)."""
READ_ONLY_COLUMNS: Final = tuple(c for c in EXPORT_COLUMNS if c not in EDITABLE_FIELDS)


def _cell(value: JsonValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _iso(value: date) -> str:  # a datetime too
    return value.isoformat()


_TEXT_BY_TYPE: Final[dict[type, Callable[[Any], str]]] = {
    str: str,
    type(None): lambda _: "",
    bool: lambda value: "true" if value else "false",
    int: str,
    UUID: str,
    datetime: _iso,
    date: _iso,
}
"""The common cell types, each written without the general way through ``plain``."""


def _text(value: object) -> str:
    """A field's value as the text of its cell (before ``neutralize``)."""
    write = _TEXT_BY_TYPE.get(type(value))
    if write is not None:
        return write(value)
    if isinstance(value, StrEnum):
        return value.value
    return _cell(plain(value))


def neutralize(cell: str) -> str:
    """``cell`` as the export writes it: after a ``'`` if it starts with a formula or a ``'``."""
    if cell[:1] in FORMULA_STARTS or cell.startswith(TEXT_MARK):
        return TEXT_MARK + cell
    return cell


def restore(cell: str) -> str:
    """The text that ``neutralize`` wrote as ``cell``; any other cell is returned as it is."""
    if cell.startswith(TEXT_MARK) and (cell[1:2] in FORMULA_STARTS or cell[1:2] == TEXT_MARK):
        return cell[1:]
    return cell


def export_row(reg_request: RegulatoryRequest) -> list[str]:
    """One request as the cells of ``EXPORT_COLUMNS``, none of them a formula."""
    values = flat_values(reg_request)
    return [neutralize(_text(values[column])) for column in EXPORT_COLUMNS]


def outline_row(sealed: SealedOutline) -> list[str]:
    """A sealed request's outline as the cells of ``EXPORT_COLUMNS``.

    All but its id, reference, state, deadlines and confidentiality are blank. Without a
    version, the import refuses to read such a row back (it would clear every blank field).
    """
    shown = {name: plain(getattr(sealed, name)) for name in OUTLINE_COLUMNS}
    shown["confidentiality"] = Confidentiality.SEALED.value
    return [neutralize(_cell(shown.get(column))) for column in EXPORT_COLUMNS]


def listed_row(listed: Listed) -> list[str]:
    """A listed request's cells: in full, or its outline if it is one."""
    return outline_row(listed) if isinstance(listed, SealedOutline) else export_row(listed)


def csv_line(cells: Sequence[str]) -> str:
    """One CSV record (RFC 4180 quoting, CRLF)."""
    return csv_lines([cells])


def csv_lines(rows: Iterable[Sequence[str]]) -> str:
    """CSV records (RFC 4180 quoting, CRLF), one a row."""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class ImportRow:
    """A data row of an import file: its line number, its cells, and which request it names."""

    line: int
    values: dict[str, str]
    """The cells of the editable columns, blank ones too (a blank cell clears a field)."""
    keys: dict[str, str]
    """The non-blank cells of ``KEY_COLUMNS``: none for a new request."""


def read_import(text: str) -> Iterator[ImportRow]:
    """The data rows of an import file, each cell as ``restore`` reads it.

    Of the read-only export columns only ``KEY_COLUMNS`` are read; the others are ignored.

    Raises:
        ValidationError: on ``header`` when there is none, a column is unknown or repeated.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = next(reader, None)
    if not header:
        raise ValidationError("header", "the file is empty; the first line must name columns")
    names = [h.strip() for h in header]
    unknown = [n for n in names if n not in EDITABLE_FIELDS and n not in READ_ONLY_COLUMNS]
    if unknown:
        raise ValidationError("header", f"unknown column(s): {', '.join(unknown)}")
    if len(set(names)) != len(names):
        raise ValidationError("header", "a column is named twice")
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        given = {name: restore(cell) for name, cell in zip(names, cells, strict=False)}
        values = {name: cell for name, cell in given.items() if name in EDITABLE_FIELDS}
        keys = {n: given[n].strip() for n in KEY_COLUMNS if given.get(n, "").strip()}
        yield ImportRow(reader.line_num, values, keys)
