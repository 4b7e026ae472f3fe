"""``docket requests …``: import requests from a CSV file (all rows or none).

The file's columns are those of ``GET /api/v1/requests/export.csv`` that can be edited
(``domain.requests.edits.EDITABLE_FIELDS``); the export's read-only columns (id, reference,
version, state, deadlines, timestamps) are ignored, so an export can be fed back in.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import click

from api.cli_support import cli_actor, composition, fail, progress
from api.composition import Composition
from domain.requests.edits import EDITABLE_FIELDS, REQUIRED_FIELDS
from domain.requests.importing import ImportResult, import_requests
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


@requests_group.command(
    name="import",
    epilog=f"Required columns: {', '.join(REQUIRED_FIELDS)}. "
    f"Columns read: {', '.join(EDITABLE_FIELDS)}.",
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and import nothing.")
def requests_import(file: Path, dry_run: bool) -> None:
    """Log every request of a CSV FILE, or none if any row is bad (one line per problem)."""
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
    elif dry_run:
        click.echo(f"dry run: {result.rows} request(s) would be imported; nothing was")
    else:
        click.echo(f"imported {len(result.imported)} request(s)")
        for reg_request in result.imported:
            click.echo(f"  {reg_request.reference}  {reg_request.id}")
