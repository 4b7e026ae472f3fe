"""``docket requests …``: import requests from a CSV file (all rows or none).

The file's columns are those of ``GET /api/v1/requests/export.csv`` that can be edited
(``domain.requests.edits.EDITABLE_FIELDS``), and ``id``, ``reference`` and ``version``: a row
that names a request updates it (at the version exported), any other row logs a new one. The
export's other read-only columns (state, deadlines, timestamps) are ignored, so an export can be
fed back in.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import click

from api.cli_support import cli_actor, composition, fail, progress
from api.composition import Composition
from domain.requests.edits import EDITABLE_FIELDS, REQUIRED_FIELDS
from domain.requests.importing import ImportResult, RowAction, RowPlan, import_requests
from domain.shared import audit_trail
from domain.shared.errors import DocketError


async def _import(parts: Composition, text: str, *, dry_run: bool) -> ImportResult:
    audit_trail.correlation_id.set(f"cli-{uuid.uuid4().hex}")
    with progress("importing") as tell:
        async with parts.connected():
            return await import_requests(
                parts.rulebook,
                text,
                dry_run=dry_run,
                actor=cli_actor(),
                now=parts.clock.now(),
                progress=tell,
            )


@click.group(name="requests")
def requests_group() -> None:
    """Regulatory requests."""


def _counts(result: ImportResult, labels: tuple[str, str, str]) -> str:
    actions = (RowAction.CREATE, RowAction.UPDATE, RowAction.UNCHANGED)
    return ", ".join(f"{result.count(a)} {label}" for a, label in zip(actions, labels, strict=True))


def _would(planned: RowPlan) -> str:
    if planned.action is RowAction.CREATE:
        return f"line {planned.line}: would create a new request"
    if planned.action is RowAction.UPDATE:
        return (
            f"line {planned.line}: would update {planned.reference} ({', '.join(planned.fields)})"
        )
    return f"line {planned.line}: {planned.reference} unchanged"


def _report(result: ImportResult, *, dry_run: bool) -> None:
    if dry_run:
        for planned in result.plan:
            click.echo(_would(planned))
        counts = _counts(result, ("to create", "to update", "unchanged"))
        click.echo(f"dry run: {counts}; nothing was changed")
        return
    click.echo(f"imported: {_counts(result, ('created', 'updated', 'unchanged'))}")
    for reg_request in result.imported:
        click.echo(f"  created  {reg_request.reference}  {reg_request.id}")
    for planned, reg_request in zip(
        (p for p in result.plan if p.action is RowAction.UPDATE), result.updated, strict=True
    ):
        fields = ", ".join(planned.fields)
        click.echo(f"  updated  {reg_request.reference}  {reg_request.id}  ({fields})")


@requests_group.command(
    name="import",
    epilog=f"Required columns of a new request: {', '.join(REQUIRED_FIELDS)}. "
    f"Columns read: id, reference, version, {', '.join(EDITABLE_FIELDS)}.",
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--dry-run", is_flag=True, help="Check every row, say what each would do; change nothing."
)
def requests_import(file: Path, dry_run: bool) -> None:
    """Log or update every request of a CSV FILE, or none if any row is bad.

    A row with the id or reference of a request updates it, if its version is the request's
    current one; a row without logs a new request. One line per problem on stderr.
    """
    parts = composition()
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        fail(f"{file}: not UTF-8 text")
    try:
        result = asyncio.run(_import(parts, text, dry_run=dry_run))
    except DocketError as exc:
        fail(str(exc))
    if result.problems:
        for problem in result.problems:
            click.echo(f"{file.name}: {problem}", err=True)
        fail(f"{len(result.problems)} problem(s) in {result.rows} row(s); nothing imported")
    _report(result, dry_run=dry_run)
