"""The backup archive on its own: what a restore accepts, and every way it refuses an archive."""

from __future__ import annotations

import io
import json
import tarfile
from dataclasses import asdict
from pathlib import Path

import pytest

from domain.backup.archive import ArchiveWriter, Manifest, extract, read_verified_manifest
from domain.backup.errors import BackupArchiveError


def _noop(done: int, total: int) -> None:
    pass


def make_archive(tmp_path: Path) -> tuple[Path, Manifest]:
    (tmp_path / "db").write_bytes(b"SQLite format 3\x00" + bytes(100))
    (tmp_path / "blob").write_bytes(b"%PDF-1.7 stored file")
    path = tmp_path / "backup.tar.gz"
    writer = ArchiveWriter(path, total_bytes=0, progress=_noop)
    writer.add_file("database/docket.sqlite3", tmp_path / "db")
    writer.add_file("data/blobs/aa/bb/aabb", tmp_path / "blob")
    manifest = Manifest(
        docket_version="0.1.0",
        engine="sqlite",
        audit_origin="docket.example/docket-audit",
        created_at="2026-03-02T09:30:00+00:00",
        members=tuple(writer.members),
    )
    writer.finish(manifest)
    return path, manifest


def rewrite(
    archive: Path,
    out: Path,
    *,
    extra: tarfile.TarInfo | None = None,
    drop: str = "",
    manifest: bytes | None = None,
) -> Path:
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        for info in src:
            if info.name == drop:
                continue
            data = src.extractfile(info).read()  # type: ignore[union-attr]
            if info.name == "manifest.json" and manifest is not None:
                data, info.size = manifest, len(manifest)
            dst.addfile(info, io.BytesIO(data))
        if extra is not None:
            dst.addfile(extra, io.BytesIO(b"x" * extra.size))
    return out


def test_an_archive_round_trips_and_lists_every_member_with_its_digest(tmp_path: Path) -> None:
    path, manifest = make_archive(tmp_path)
    assert read_verified_manifest(path, _noop) == manifest
    assert [m.name for m in manifest.members] == [
        "database/docket.sqlite3",
        "data/blobs/aa/bb/aabb",
    ]
    out = tmp_path / "out"
    extract(path, manifest, lambda name: out / name)
    assert (out / "data/blobs/aa/bb/aabb").read_bytes() == b"%PDF-1.7 stored file"
    with tarfile.open(path, "r:gz") as tar:
        assert tar.getnames()[-1] == "manifest.json"


def _info(name: str, kind: bytes = tarfile.REGTYPE) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.type = (1 if kind == tarfile.REGTYPE else 0), kind
    if kind == tarfile.SYMTYPE:
        info.linkname = "/etc/passwd"
    return info


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"extra": _info("data/../../escape")}, "is not a file a backup holds"),
        ({"extra": _info("/etc/cron.d/x")}, "is not a file a backup holds"),
        ({"extra": _info("elsewhere/file")}, "is not a file a backup holds"),
        ({"extra": _info("data/link", tarfile.SYMTYPE)}, "is not a file a backup holds"),
        ({"extra": _info("data/unlisted")}, "data/unlisted is not in the manifest"),
        ({"drop": "data/blobs/aa/bb/aabb"}, "data/blobs/aa/bb/aabb is missing"),
        ({"drop": "manifest.json"}, "it has no manifest.json"),
        ({"manifest": b"{}"}, "its manifest is not a Docket backup's"),
    ],
    ids=[
        "dot-dot",
        "absolute",
        "outside-folders",
        "symlink",
        "unlisted",
        "missing",
        "no-manifest",
        "bad-manifest",
    ],
)
def test_a_changed_archive_is_refused_naming_why(tmp_path: Path, change: dict, reason: str) -> None:
    path, _ = make_archive(tmp_path)
    changed = rewrite(path, tmp_path / "changed.tar.gz", **change)
    with pytest.raises(BackupArchiveError) as caught:
        read_verified_manifest(changed, _noop)
    assert reason in str(caught.value)


def test_a_manifest_that_lies_about_a_digest_is_refused(tmp_path: Path) -> None:
    path, manifest = make_archive(tmp_path)
    data = asdict(manifest)
    data["members"][1]["sha256"] = "0" * 64
    changed = rewrite(path, tmp_path / "changed.tar.gz", manifest=json.dumps(data).encode())
    with pytest.raises(BackupArchiveError, match="does not match its SHA-256 digest"):
        read_verified_manifest(changed, _noop)


@pytest.mark.parametrize("content", [b"", b"not a tar", b"\x1f\x8b\x08\x00garbage"])
def test_a_file_that_is_not_a_whole_archive_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.tar.gz"
    path.write_bytes(content)
    with pytest.raises(BackupArchiveError):
        read_verified_manifest(path, _noop)


def test_a_cut_short_archive_is_refused(tmp_path: Path) -> None:
    path, _ = make_archive(tmp_path)
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(BackupArchiveError):
        read_verified_manifest(path, _noop)
