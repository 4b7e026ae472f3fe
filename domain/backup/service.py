"""Back up Docket into one archive, and restore one into an empty data dir and database.

The database is copied first, then the data dir: a stored file is written before the
transaction that names it commits (and is never deleted), so every file the copy of the
database names is already there when the data dir is read.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from audit.origin_store import stored_origin
from domain.backup import engines
from domain.backup.archive import (
    DATA,
    DATABASE,
    ArchiveWriter,
    Manifest,
    Progress,
    extract,
    read_verified_manifest,
)
from domain.backup.errors import BackupArchiveError, BackupError, BackupTargetNotEmptyError

# Docket's own temporary files (uploads in progress, keys being written) start with a dot.
_TEMPORARY_PREFIX = "."
_SQLITE_SIBLINGS = ("", "-wal", "-shm", "-journal", ".restoring")


@dataclass(frozen=True, slots=True, kw_only=True)
class Installation:
    """Where one Docket keeps its state: the database and the data dir."""

    database_url: str
    data_dir: Path

    @property
    def engine(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return engines.engine_of(self.database_url)


def _data_files(data_dir: Path, skip: set[Path]) -> Iterator[tuple[str, Path]]:
    """Each regular file under ``data_dir`` as (path relative to it, path), in a stable order."""
    for folder, dirs, names in os.walk(data_dir):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if name.startswith(_TEMPORARY_PREFIX) or path.resolve() in skip:
                continue
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(data_dir).as_posix(), path


def _skipped(site: Installation, out: Path, leave_out: tuple[Path, ...]) -> set[Path]:
    skip = {out.resolve(), out.with_name(out.name + ".partial").resolve()}
    skip |= {p.resolve() for p in leave_out}
    if site.engine == engines.SQLITE:
        db = engines.sqlite_path(site.database_url)
        skip |= {db.with_name(db.name + s).resolve() for s in _SQLITE_SIBLINGS}
    return skip


async def write_backup(
    out: Path,
    site: Installation,
    *,
    docket_version: str,
    now: datetime,
    leave_out: tuple[Path, ...] = (),
    progress: Progress,
) -> Manifest:
    """Write an archive of the database and the data dir (less ``leave_out``) to ``out``.

    Needs the database connected (it reads the audit log's origin).

    Raises:
        BackupError: ``out`` exists (a backup never overwrites a file).
        BackupToolError: pg_dump is missing or failed.
    """
    if await asyncio.to_thread(out.exists):
        raise BackupError(f"{out} exists; a backup never overwrites a file")
    header = Manifest(
        docket_version=docket_version,
        engine=site.engine,
        audit_origin=await stored_origin() or "",
        created_at=now.astimezone(UTC).isoformat(),
        members=(),
    )
    with tempfile.TemporaryDirectory(prefix="docket-backup-") as tmp:
        dump = Path(tmp) / engines.dump_file_name(site.engine)
        if site.engine == engines.SQLITE:
            await asyncio.to_thread(engines.dump_sqlite, site.database_url, dump, progress)
        else:
            await asyncio.to_thread(engines.dump_postgres, site.database_url, dump)
        files = list(_data_files(site.data_dir, _skipped(site, out, leave_out)))
        total = dump.stat().st_size + sum(path.stat().st_size for _, path in files)
        return await asyncio.to_thread(
            _write, out, dump, files, header=header, total=total, progress=progress
        )


def _write(
    out: Path,
    dump: Path,
    files: list[tuple[str, Path]],
    *,
    header: Manifest,
    total: int,
    progress: Progress,
) -> Manifest:
    writer = ArchiveWriter(out, total_bytes=total, progress=progress)
    try:
        writer.add_file(f"{DATABASE}/{dump.name}", dump)
        for relative, path in files:
            writer.add_file(f"{DATA}/{relative}", path)
        manifest = replace(header, members=tuple(writer.members))
        writer.finish(manifest)
    except BaseException:
        writer.abandon()
        raise
    return manifest


async def _refuse_unless_empty(site: Installation) -> None:
    if site.data_dir.exists() and any(site.data_dir.iterdir()):
        raise BackupTargetNotEmptyError(f"the data dir {site.data_dir}")
    if site.engine == engines.SQLITE:
        has_tables = await asyncio.to_thread(engines.sqlite_has_tables, site.database_url)
    else:
        has_tables = await engines.postgres_has_tables(site.database_url)
    if has_tables:
        raise BackupTargetNotEmptyError("the database (DOCKET_DATABASE_URL)")


def _clear(data_dir: Path, *, made: bool) -> None:
    """Remove what a failed restore wrote into the (empty before) data dir."""
    if made:
        shutil.rmtree(data_dir, ignore_errors=True)
        return
    for child in data_dir.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


async def restore_backup(archive: Path, site: Installation, *, progress: Progress) -> Manifest:
    """Restore ``archive`` into an empty data dir and an empty database; verify it all first.

    Every member's digest is checked before anything is written; on a failure later, what was
    written to the data dir is removed (a PostgreSQL restore is one transaction).

    Raises:
        BackupTargetNotEmptyError: the data dir or the database holds something.
        BackupArchiveError: not a backup of this engine, damaged, or altered.
        BackupToolError: pg_restore is missing or failed.
    """
    await _refuse_unless_empty(site)
    manifest = await asyncio.to_thread(read_verified_manifest, archive, progress)
    if manifest.engine != site.engine:
        raise BackupArchiveError(
            str(archive),
            f"it holds a {manifest.engine} database and DOCKET_DATABASE_URL names a"
            f" {site.engine} one",
        )
    made = not site.data_dir.exists()
    with tempfile.TemporaryDirectory(prefix="docket-restore-") as tmp:
        staged = Path(tmp)

        def place(name: str) -> Path:
            path = PurePosixPath(name)
            if path.parts[0] == DATABASE:
                return staged / path.name
            return site.data_dir.joinpath(*path.parts[1:])

        try:
            site.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            await asyncio.to_thread(extract, archive, manifest, place)
            dump = staged / PurePosixPath(manifest.database_member.name).name
            if site.engine == engines.SQLITE:
                await asyncio.to_thread(engines.restore_sqlite, dump, site.database_url)
            else:
                await asyncio.to_thread(engines.restore_postgres, dump, site.database_url)
        except BaseException:
            _clear(site.data_dir, made=made)
            raise
    return manifest
