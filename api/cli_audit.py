"""``docket audit …``: export the log, verify an export offline, print the verifier key."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

import click

from api.cli_support import EXIT_FAILED, composition, fail, progress
from domain import audit_log


@click.group(name="audit")
def audit_group() -> None:
    """The append-only, signed audit log."""


@audit_group.command(name="vkey")
def vkey() -> None:
    """Print the log's verifier key (what auditors pass to `docket audit verify --vkey`)."""
    click.echo(composition().audit_signer.verifier().key())


@audit_group.command(name="export")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
def export(out: Path) -> None:
    """Sign a checkpoint if the log grew, then write an offline-verifiable bundle to OUT."""
    parts = composition()
    if out.exists() and any(out.iterdir()):
        fail(f"{out} is not empty")
    signer = parts.audit_signer

    async def run(progress: Callable[[int, int], None]) -> int:
        async with parts.connected():
            origin = parts.settings.audit.origin
            await audit_log.sign_checkpoint(signer, origin, now=parts.clock.now())
            return await audit_log.export_bundle(out, progress=progress)

    out.mkdir(parents=True, exist_ok=True)
    with progress("exporting") as update:
        count = asyncio.run(run(update))
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
        with progress("verifying", unit_bytes=True) as update:
            report = audit_log.verify_bundle(
                bundle, vkeys, trusted_checkpoint=trusted, progress=update
            )
    except audit_log.AuditError as exc:
        click.echo(f"FAILED: {exc}")
        sys.exit(EXIT_FAILED)
    click.echo(str(report))
