"""Requests as CSV: the export's columns and rows, and reading an import file (pure).

The import reads exactly the export's editable columns (``edits.EDITABLE_FIELDS``), so an
export can be re-imported once the read-only columns (``READ_ONLY_COLUMNS``) are deleted. Lists
(tags, identifiers, content items) sit in one cell as JSON; instants are ISO 8601 with offset.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from audit.canonical import JsonValue
from domain.requests.edits import EDITABLE_FIELDS
from domain.requests.flat import REQUEST_FIELDS, flat_values, plain
from domain.requests.model import RegulatoryRequest
from domain.shared.errors import ValidationError

LEADING_COLUMNS: Final = ("id", "reference", "version", "state")
"""The columns before the editable ones: what a row is, and where it stands."""
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
READ_ONLY_COLUMNS: Final = tuple(c for c in EXPORT_COLUMNS if c not in EDITABLE_FIELDS)


def _cell(value: JsonValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def export_row(reg_request: RegulatoryRequest) -> list[str]:
    """One request as the cells of ``EXPORT_COLUMNS``."""
    values = flat_values(reg_request)
    return [_cell(plain(values[column])) for column in EXPORT_COLUMNS]


def csv_line(cells: Sequence[str]) -> str:
    """One CSV record (RFC 4180 quoting, CRLF)."""
    out = io.StringIO()
    csv.writer(out).writerow(cells)
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class ImportRow:
    """A data row of an import file: its line number and its non-empty cells by column."""

    line: int
    values: dict[str, str]


def read_import(text: str) -> Iterator[ImportRow]:
    """The data rows of an import file; read-only export columns are ignored.

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
        values = {
            name: cell
            for name, cell in zip(names, cells, strict=False)
            if name in EDITABLE_FIELDS and cell.strip()
        }
        yield ImportRow(reader.line_num, values)
