"""The backup archive: a gzip'd tar (POSIX) with a manifest of SHA-256 digests, written last.

Members: ``database/<file>`` (the database copy), ``data/<path>`` (files of the data dir) and
``manifest.json``, which names every other member with its SHA-256 and size. Reading verifies
every digest against the manifest before the caller writes anything; only regular files with
relative names inside ``database/`` or ``data/`` are accepted, so an archive cannot write
outside the folders it is restored into.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Final

from domain.backup.errors import BackupArchiveError

FORMAT: Final = "docket-backup"
FORMAT_VERSION: Final = 1
MANIFEST: Final = "manifest.json"
DATABASE: Final = "database"
DATA: Final = "data"
CHUNK: Final = 1 << 20

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Member:
    """One file of the archive: its name there, its SHA-256 (hex) and its size in bytes."""

    name: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Manifest:
    """What an archive holds, and of which Docket, database and audit log it is a copy."""

    docket_version: str
    engine: str
    audit_origin: str
    created_at: str
    members: tuple[Member, ...]
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    @property
    def database_member(self) -> Member:
        """The copy of the database."""
        return next(m for m in self.members if m.name.startswith(f"{DATABASE}/"))

    @property
    def data_members(self) -> list[Member]:
        """The files of the data dir."""
        return [m for m in self.members if m.name.startswith(f"{DATA}/")]

    def to_json(self) -> bytes:
        """The manifest as indented JSON."""
        return json.dumps(asdict(self), indent=2, ensure_ascii=False).encode() + b"\n"

    @classmethod
    def from_json(cls, raw: bytes, archive: str) -> Manifest:
        """Parse a manifest.

        Raises:
            BackupArchiveError: not a Docket backup manifest of a version this Docket reads.
        """
        try:
            data = json.loads(raw)
            members = tuple(Member(**m) for m in data.pop("members"))
            manifest = cls(members=members, **data)
        except (ValueError, TypeError, KeyError, AttributeError):
            raise BackupArchiveError(archive, "its manifest is not a Docket backup's") from None
        if manifest.format != FORMAT or manifest.format_version != FORMAT_VERSION:
            raise BackupArchiveError(archive, f"format {manifest.format_version} is not known")
        if sum(m.name.startswith(f"{DATABASE}/") for m in members) != 1:
            raise BackupArchiveError(archive, "its manifest names no single database copy")
        return manifest


class _Hashing:
    """A file object that hashes what is read through it."""

    def __init__(self, raw: IO[bytes], progress: Callable[[int], None]) -> None:
        self.raw, self.digest, self.read_bytes, self.progress = raw, hashlib.sha256(), 0, progress

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        self.digest.update(chunk)
        self.read_bytes += len(chunk)
        self.progress(len(chunk))
        return chunk


class ArchiveWriter:
    """Writes members to ``<path>.partial``; ``finish`` adds the manifest and renames it."""

    def __init__(self, path: Path, *, total_bytes: int, progress: Progress) -> None:
        self.path, self.partial = path, path.with_name(path.name + ".partial")
        self.members: list[Member] = []
        # level 6 (gzip's default): half the time of 9 on a database copy for <1% more bytes;
        # stored PDFs hardly shrink at any level
        self._tar = tarfile.open(  # noqa: SIM115
            self.partial, "x:gz", compresslevel=6, format=tarfile.PAX_FORMAT
        )
        self._done, self._total, self._progress = 0, total_bytes, progress

    def _advance(self, count: int) -> None:
        self._done += count
        self._progress(self._done, self._total)

    def add_file(self, name: str, source: Path) -> Member:
        """Add ``source`` as ``name``, hashing it on the way."""
        with source.open("rb") as raw:
            size = os.fstat(raw.fileno()).st_size
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = size, 0o600, int(source.stat().st_mtime)
            reader = _Hashing(raw, self._advance)
            self._tar.addfile(info, reader)
        member = Member(name, reader.digest.hexdigest(), size)
        self.members.append(member)
        return member

    def finish(self, manifest: Manifest) -> None:
        """Add the manifest last, close, and move the archive into place."""
        raw = manifest.to_json()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode = len(raw), 0o600
        self._tar.addfile(info, io.BytesIO(raw))
        self._tar.close()
        os.replace(self.partial, self.path)

    def abandon(self) -> None:
        """Close and delete the partial archive."""
        self._tar.close()
        self.partial.unlink(missing_ok=True)


def _checked_name(info: tarfile.TarInfo, archive: str) -> str:
    path = PurePosixPath(info.name)
    safe = (
        info.isreg()
        and not path.is_absolute()
        and ".." not in path.parts
        and (info.name == MANIFEST or (len(path.parts) > 1 and path.parts[0] in {DATABASE, DATA}))
    )
    if not safe:
        raise BackupArchiveError(archive, f"member {info.name!r} is not a file a backup holds")
    return info.name


@contextmanager
def _members(archive: Path) -> Iterator[Iterator[tuple[str, IO[bytes]]]]:
    """Each member's name and stream, in archive order."""
    try:
        tar = tarfile.open(archive, "r:gz")  # noqa: SIM115
    except (OSError, EOFError, zlib.error, tarfile.TarError):
        raise BackupArchiveError(str(archive), "not a gzip'd tar archive") from None

    def each() -> Iterator[tuple[str, IO[bytes]]]:
        for info in tar:
            name = _checked_name(info, str(archive))
            stream = tar.extractfile(info)
            assert stream is not None  # noqa: S101 - a regular file always has one
            yield name, stream

    try:
        yield each()
    except (OSError, EOFError, zlib.error, tarfile.TarError):
        raise BackupArchiveError(str(archive), "the archive is damaged or cut short") from None
    finally:
        tar.close()


def read_verified_manifest(archive: Path, progress: Progress) -> Manifest:
    """The archive's manifest, once every member has been read and matches its digest and size.

    Raises:
        BackupArchiveError: not a backup, damaged, a member missing, extra or altered.
    """
    found: dict[str, Member] = {}
    raw_manifest, done = None, 0
    with _members(archive) as members:
        for name, stream in members:
            if name == MANIFEST:
                raw_manifest = stream.read()
                continue
            digest, size = hashlib.sha256(), 0
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                done += len(chunk)
                progress(done, 0)
            found[name] = Member(name, digest.hexdigest(), size)
    if raw_manifest is None:
        raise BackupArchiveError(str(archive), "it has no manifest.json")
    manifest = Manifest.from_json(raw_manifest, str(archive))
    expected = {m.name: m for m in manifest.members}
    for name in sorted(expected.keys() | found.keys()):
        if name not in found:
            raise BackupArchiveError(str(archive), f"{name} is missing")
        if name not in expected:
            raise BackupArchiveError(str(archive), f"{name} is not in the manifest")
        if found[name] != expected[name]:
            raise BackupArchiveError(str(archive), f"{name} does not match its SHA-256 digest")
    return manifest


def extract(archive: Path, manifest: Manifest, place: Callable[[str], Path]) -> None:
    """Write each member to ``place(name)``, checking its digest again as it is written.

    Raises:
        BackupArchiveError: a member changed since it was verified (then its file is removed).
    """
    expected = {m.name: m for m in manifest.members}
    with _members(archive) as members:
        for name, stream in members:
            if name == MANIFEST:
                continue
            target = place(name)
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            digest = hashlib.sha256()
            with target.open("xb") as out:
                os.chmod(target, 0o600)
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != expected[name].sha256:
                target.unlink()
                raise BackupArchiveError(str(archive), f"{name} changed while it was restored")
