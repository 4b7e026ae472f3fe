"""``docket audit …``: export the log, verify an export offline, print the verifier key."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from api.clock import SystemClock
from api.settings import ConfigError, Settings
from domain import database
from domain.services import audit_log

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except ConfigError as exc:
        click.echo(f"docket: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)


@contextmanager
def _progress(label: str, unit_bytes: bool) -> Iterator[Callable[[int, int], None]]:
    columns = [
        TextColumn(label),
        BarColumn(),
        DownloadColumn() if unit_bytes else TextColumn("{task.completed}/{task.total}"),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, transient=True, disable=not sys.stderr.isatty(), console=None) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


@click.group(name="audit")
def audit_group() -> None:
    """The append-only, signed audit log."""


@audit_group.command(name="vkey")
def vkey() -> None:
    """Print the log's verifier key (what auditors pass to `docket audit verify --vkey`)."""
    settings = _settings()
    signer = audit_log.load_signer(
        settings.audit_origin, key_file=settings.audit_key_file, data_dir=settings.data_dir
    )
    click.echo(signer.verifier().key())


@audit_group.command(name="export")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
def export(out: Path) -> None:
    """Sign a checkpoint if the log grew, then write an offline-verifiable bundle to OUT."""
    settings = _settings()
    if out.exists() and any(out.iterdir()):
        click.echo(f"docket: {out} is not empty", err=True)
        sys.exit(EXIT_BAD_INPUT)
    signer = audit_log.load_signer(
        settings.audit_origin, key_file=settings.audit_key_file, data_dir=settings.data_dir
    )

    async def run(progress: Callable[[int, int], None]) -> int:
        async with database.connected(settings.database_url):
            await audit_log.sign_checkpoint(signer, settings.audit_origin, now=SystemClock().now())
            return await audit_log.export_bundle(out, progress=progress)

    out.mkdir(parents=True, exist_ok=True)
    with _progress("exporting", unit_bytes=False) as progress:
        count = asyncio.run(run(progress))
    click.echo(f"exported {count} entries to {out}")
    click.echo(f"verify with: docket audit verify {out} --vkey '{signer.verifier().key()}'")


@audit_group.command(name="verify")
@click.argument("bundle", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--vkey", "vkeys", required=True, multiple=True, help="A verifier key (repeatable).")
@click.option(
    "--trusted-checkpoint",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A signed checkpoint kept from earlier; the bundle must extend it.",
)
def verify(bundle: Path, vkeys: tuple[str, ...], trusted_checkpoint: Path | None) -> None:
    """Verify an exported bundle offline, with only the verifier key(s); no database needed."""
    trusted = trusted_checkpoint.read_bytes() if trusted_checkpoint else None
    try:
        with _progress("verifying", unit_bytes=True) as progress:
            report = audit_log.verify_bundle(
                bundle, vkeys, trusted_checkpoint=trusted, progress=progress
            )
    except audit_log.AuditError as exc:
        click.echo(f"FAILED: {exc}")
        sys.exit(EXIT_FAILED)
    click.echo(str(report))
