"""``docket package …``: list a request's package versions, or render its draft to a PDF file.

``list`` says why a version is stale; ``render`` makes no version.
"""

from __future__ import annotations

import asyncio
import io
import os
import uuid
from pathlib import Path

import click
from pypdf import PdfReader

from api.cli_support import cli_actor, composition, fail
from api.clock import SystemClock
from api.composition import Composition
from domain.packages import by_reference as packages
from domain.packages import letter_templates
from domain.packages.by_reference import PackageListing
from domain.packages.letter_templates import LetterTemplate
from domain.packages.model import PackageVersion, RenderedDraft, ResponseDraft
from domain.shared import audit_trail
from domain.shared.errors import DocketError


async def _render(parts: Composition, reference: str, locale: str) -> RenderedDraft:
    audit_trail.correlation_id.set(f"cli-{uuid.uuid4().hex}")
    async with parts.connected(pool=False):
        return await packages.render_draft(
            reference,
            locale=locale,
            organisation=parts.settings.packages.organisation,
            store=parts.blobs,
            actor=cli_actor(),
            approval_page=parts.settings.packages.approval_page,
        )


def _write(out: Path, data: bytes) -> None:
    """Write ``out`` whole or not at all (a temporary file renamed into place)."""
    temp = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        temp.write_bytes(data)
        temp.replace(out)
    finally:
        temp.unlink(missing_ok=True)


@click.group(name="package")
def package_group() -> None:
    """Response packages."""


@package_group.command(name="render")
@click.argument("reference")
@click.option("--locale", default="", help="A supported locale (default: the request's).")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The PDF file to write.",
)
def package_render(reference: str, locale: str, out: Path) -> None:
    """Render the response draft of request REFERENCE to a PDF file, creating no version."""
    parts = composition()
    click.echo(f"rendering {reference.upper()} …", err=True)
    try:
        rendered = asyncio.run(_render(parts, reference, locale))
    except DocketError as exc:
        fail(str(exc))
    try:
        _write(out, rendered.pdf)
    except OSError as exc:
        fail(f"{out}: {exc.strerror}")
    pages = len(PdfReader(io.BytesIO(rendered.pdf)).pages)
    click.echo(
        f"{out}: {rendered.reference} ({rendered.locale}), {pages} page(s), "
        f"{len(rendered.pdf)} bytes, sha256 {rendered.sha256}"
    )


async def _listing(parts: Composition, reference: str) -> PackageListing:
    async with parts.connected(pool=False):
        return await packages.list_package(reference, actor=cli_actor())


def version_line(version: PackageVersion, draft: ResponseDraft) -> str:
    """One version as the listing prints it; a stale one says why."""
    line = (
        f"version {version.number}  {version.state.value:<9}  {version.locale:<5}  {version.sha256}"
    )
    reason = version.stale_reason(draft)
    return f"{line}  STALE: {reason}" if reason else line


@package_group.command(name="list")
@click.argument("reference")
def package_list(reference: str) -> None:
    """List the versions of request REFERENCE's response package; a stale one says why."""
    try:
        found = asyncio.run(_listing(composition(), reference))
    except DocketError as exc:
        fail(str(exc))
    click.echo(f"{found.reference}: response revision {found.draft.revision}")
    if not found.versions:
        click.echo("no version built yet")
    for version in found.versions:
        click.echo(version_line(version, found.draft))


async def _letter_template(
    parts: Composition, locale: str, greeting: str | None, closing: str | None
) -> LetterTemplate:
    audit_trail.correlation_id.set(f"cli-{uuid.uuid4().hex}")
    async with parts.connected(pool=False):
        if greeting is None or closing is None:
            return await letter_templates.get_letter_template(locale, actor=cli_actor())
        return await letter_templates.set_letter_template(
            locale, greeting=greeting, closing=closing, actor=cli_actor(), now=SystemClock().now()
        )


@package_group.command(name="letter-template")
@click.argument("locale")
@click.option("--greeting", default=None, help="New greeting (a blank line between paragraphs).")
@click.option("--closing", default=None, help="New closing (set together with --greeting).")
def package_letter_template(locale: str, greeting: str | None, closing: str | None) -> None:
    """Show the greeting and closing of letters in LOCALE, or set both."""
    if (greeting is None) != (closing is None):
        fail("set --greeting and --closing together")
    try:
        found = asyncio.run(_letter_template(composition(), locale, greeting, closing))
    except DocketError as exc:
        fail(str(exc))
    state = f"set by {found.updated_by}" if found.customised else "default"
    click.echo(f"{found.locale} ({state})\n--- greeting\n{found.greeting}\n--- closing")
    click.echo(found.closing)
