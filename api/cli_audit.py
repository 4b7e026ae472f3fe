"""``docket audit …``: export the log, verify an export offline, print the verifier key."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

import click

from api.cli_support import EXIT_FAILED, composition, fail, progress
from api.composition import Composition
from domain import audit_log
from domain.audit_log import LogIdentity
from domain.shared.database import check_ready
from domain.shared.errors import EXPECTED_ERRORS


@click.group(name="audit")
def audit_group() -> None:
    """The append-only, signed audit log."""


def _opened(parts: Composition) -> LogIdentity:
    """The log's stored origin and its signer; a bad key or origin is one line, exit 2."""

    async def run() -> LogIdentity:
        async with parts.connected():
            await check_ready()  # not migrated: one line naming `docket migrate`
            return await parts.open_audit_log()

    try:
        return asyncio.run(run())
    except EXPECTED_ERRORS as exc:
        fail(str(exc))


@audit_group.command(name="vkey")
def vkey() -> None:
    """Print the log's verifier key (what auditors pass to `docket audit verify --vkey`)."""
    click.echo(_opened(composition()).signer.verifier().key())


@audit_group.command(name="rotate-key")
def rotate_key() -> None:
    """Sign on with a new key (the old one is retired; its checkpoints stay verifiable).

    The new key is written over DOCKET_AUDIT_KEY_FILE, else <data dir>/audit_key. This is also
    how a log whose key was lost goes on: Docket never makes a new key for it by itself.
    """
    parts = composition()
    audit = parts.settings.audit

    async def run() -> LogIdentity:
        async with parts.connected():
            return await audit_log.rotate_key(
                parts.settings.proposed_audit_origin,
                configured=bool(audit.origin),
                key_file=audit.key_file,
                data_dir=parts.settings.storage.data_dir,
                now=parts.clock.now(),
            )

    try:
        opened = asyncio.run(run())
    except EXPECTED_ERRORS as exc:
        fail(str(exc))
    click.echo(f"new verifier key: {opened.signer.verifier().key()}")


@audit_group.command(name="export")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
def export(out: Path) -> None:
    """Sign a checkpoint if the log grew, then write an offline-verifiable bundle to OUT."""
    parts = composition()
    if out.exists() and any(out.iterdir()):
        fail(f"{out} is not empty")
    opened = _opened(parts)
    signer = opened.signer

    async def run(progress: Callable[[int, int], None]) -> int:
        async with parts.connected():
            await audit_log.sign_checkpoint(signer, opened.origin, now=parts.clock.now())
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
