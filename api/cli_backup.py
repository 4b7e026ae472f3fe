"""``docket backup`` and ``docket restore``: the database and the data dir, in one archive."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import click

from api.cli_support import composition, fail, progress
from api.settings import ConfigError, Settings
from api.settings_values import SECRET_FILE_NAME
from api.version import DOCKET_VERSION
from domain.backup.archive import Manifest
from domain.backup.service import Installation, restore_backup, write_backup
from domain.shared.errors import EXPECTED_ERRORS

AUDIT_KEY_FILE = "audit_key"


def _installation(settings: Settings) -> Installation:
    return Installation(
        database_url=settings.database.url, data_dir=settings.storage.data_dir.absolute()
    )


def _outside(settings: Settings) -> list[str]:
    """Key material outside the data dir (named by the settings, or set in them): not archived."""
    data_dir = settings.storage.data_dir.resolve()
    named = {
        "DOCKET_AUDIT_KEY_FILE": settings.audit.key_file,
        "DOCKET_SIGNING_CERT": settings.packages.signing_cert,
        "DOCKET_SIGNING_KEY": settings.packages.signing_key,
    }
    outside = [
        f"{variable}={path}"
        for variable, path in named.items()
        if path is not None and not path.resolve().is_relative_to(data_dir)
    ]
    if not (data_dir / SECRET_FILE_NAME).exists():
        outside.append("DOCKET_SECRET_KEY (set in the environment)")
    return outside


def _summary(manifest: Manifest) -> str:
    blobs = sum(m.name.startswith("data/blobs/") for m in manifest.data_members)
    size = sum(m.size for m in manifest.members)
    return (
        f"{manifest.engine} database ({manifest.database_member.size} bytes),"
        f" {len(manifest.data_members)} files of the data dir ({blobs} stored documents),"
        f" {size} bytes before compression; audit origin {manifest.audit_origin or '(none yet)'}"
    )


@click.command(name="backup")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--without-audit-key",
    is_flag=True,
    help="Leave <data dir>/audit_key out (keep it offline; restore it by hand).",
)
def backup(out: Path, without_audit_key: bool) -> None:
    """Write one archive: a consistent copy of the database and the data dir, with digests."""
    parts = composition()
    settings = parts.settings
    site = _installation(settings)
    leave_out = (site.data_dir / AUDIT_KEY_FILE,) if without_audit_key else ()

    async def run(update: Callable[[int, int], None]) -> Manifest:
        async with parts.connected(pool=False):
            return await write_backup(
                out,
                site,
                docket_version=DOCKET_VERSION,
                now=parts.clock.now(),
                leave_out=leave_out,
                progress=update,
            )

    try:
        with progress("backing up", unit_bytes=True) as update:
            manifest = asyncio.run(run(update))
    except EXPECTED_ERRORS as exc:
        fail(str(exc))
    click.echo(f"wrote {out}: {_summary(manifest)}")
    for item in _outside(settings) + ([AUDIT_KEY_FILE] if without_audit_key else []):
        click.echo(f"not in the archive, keep your own copy: {item}")


@click.command(name="restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore(archive: Path) -> None:
    """Restore ARCHIVE into an empty data dir and an empty database, after checking every digest."""
    try:
        settings = Settings.from_env(make_secret_file=False)  # the archive brings the secret key
    except ConfigError as exc:
        fail(str(exc))
    site = _installation(settings)
    try:
        with progress("verifying and restoring", unit_bytes=True) as update:
            manifest = asyncio.run(restore_backup(archive, site, progress=update))
    except EXPECTED_ERRORS as exc:
        fail(str(exc))
    click.echo(f"restored {archive}: {_summary(manifest)}")
    click.echo("next: docket migrate (if this Docket is newer than the backup), then start it")
