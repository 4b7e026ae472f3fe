"""A content-addressed blob store: bytes live under their SHA-256, never under a name from a user.

Layout: ``<root>/<aa>/<bb>/<sha256>``; ``aa`` and ``bb`` are the first two pairs of hex digits.
A blob is written to a temporary file in the root while it is hashed and counted, then renamed
into place; the rename is atomic, so a reader sees a whole blob or none. Storing the same bytes
twice keeps one file. The media type is sniffed from the content, not taken from the client
(only a CSV file, which has no signature, is told from other text by its name as well).
"""

from __future__ import annotations

import asyncio
import codecs
import csv
import hashlib
import io
import os
import re
import tempfile
import zipfile
from collections.abc import AsyncIterable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final

from domain.shared.errors import AttachmentTooLargeError, BlobMissingError

SNIFF_BYTES: Final = 4096
"""How much of the start of a blob decides its media type."""

OCTET_STREAM: Final = "application/octet-stream"
TEXT_PLAIN: Final = "text/plain; charset=utf-8"
TEXT_CSV: Final = "text/csv; charset=utf-8"
CSV_SUFFIX: Final = ".csv"

_SHA256_HEX: Final = re.compile(r"[0-9a-f]{64}")

# Signatures of the WHATWG MIME Sniffing Standard §6 and the formats' own specs.
_MAGIC: Final[tuple[tuple[bytes, str], ...]] = (
    (b"%PDF-", "application/pdf"),  # ISO 32000-2 §7.5.2
    (b"\x89PNG\r\n\x1a\n", "image/png"),  # RFC 2083 §3.1
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)

# The part that names an Office Open XML package (ECMA-376 Part 2) by its main document.
_OOXML_PARTS: Final[tuple[tuple[str, str], ...]] = (
    (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
)
_ZIP_MAGIC: Final = b"PK\x03\x04"  # PKWARE APPNOTE.TXT §4.3.7 local file header
_TEXT_CONTROLS: Final = frozenset("\t\n\r\f")


@dataclass(frozen=True, slots=True)
class StoredBlob:
    """What the store knows of a blob it has just written."""

    sha256: str
    size: int
    media_type: str


def _zip_media_type(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:  # reads the central directory only
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return OCTET_STREAM
    return next((media for part, media in _OOXML_PARTS if part in names), "application/zip")


def _is_utf8_text(head: bytes, *, whole: bool) -> bool:
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=whole)
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() or ch in _TEXT_CONTROLS for ch in text.removeprefix("\ufeff"))


def _is_csv(head: bytes, *, whole: bool) -> bool:
    """Whether UTF-8 ``head`` reads as CSV records that all have as many fields (RFC 4180 §2.4).

    Of a head that is not the whole content, the last line (likely cut short) is left out.
    """
    text = head.decode("utf-8", errors="ignore").removeprefix("\ufeff")
    if not whole:
        text = text[: text.rfind("\n") + 1]
    try:
        widths = {len(r) for r in csv.reader(io.StringIO(text, newline=""), strict=True) if r}
    except csv.Error:
        return False
    return len(widths) == 1


def sniff_media_type(head: bytes, *, whole: bool, path: Path | None = None, name: str = "") -> str:
    """The media type of content starting with ``head``; ``whole`` when ``head`` is all of it.

    Signatures decide: a client's Content-Type is never consulted, nor its file ``name`` but
    to tell CSV (which has no signature) from other text: UTF-8 text named ``*.csv`` whose
    records all have as many fields. Text that is markup (HTML, SVG, XML) is served as plain
    text, so a browser never renders it. A ZIP file is told apart as an Office document by its
    parts when ``path`` gives the whole file.
    """
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    if head.startswith(_ZIP_MAGIC):
        return "application/zip" if path is None else _zip_media_type(path)
    if head and _is_utf8_text(head, whole=whole):
        if name.lower().endswith(CSV_SUFFIX) and _is_csv(head, whole=whole):
            return TEXT_CSV
        return TEXT_PLAIN
    return OCTET_STREAM


class BlobStore:
    """Blobs under ``root``, each at a path made only of its SHA-256."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        """Where the blob ``sha256`` lives (whether or not it exists).

        Raises:
            ValueError: unless ``sha256`` is 64 lowercase hex digits.
        """
        if not _SHA256_HEX.fullmatch(sha256):
            msg = "a blob is named by 64 lowercase hex digits"
            raise ValueError(msg)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        """Whether the blob ``sha256`` is stored."""
        return self.path(sha256).is_file()

    def stored_path(self, sha256: str) -> Path:
        """The path of the blob ``sha256``, which must be stored.

        Raises:
            BlobMissingError: when it is not stored.
        """
        path = self.path(sha256)
        if not path.is_file():
            raise BlobMissingError(sha256)
        return path

    def open(self, sha256: str) -> BinaryIO:
        """The blob ``sha256`` opened for reading; the caller closes it.

        Raises:
            BlobMissingError: when it is not stored.
        """
        try:
            return self.path(sha256).open("rb")
        except FileNotFoundError:
            raise BlobMissingError(sha256) from None

    def missing(self, names: Iterable[str]) -> list[str]:
        """Those of the blobs ``names`` that are not stored, in the order given."""
        return [sha256 for sha256 in names if not self.path(sha256).is_file()]

    async def put(
        self, chunks: AsyncIterable[bytes], *, max_bytes: int, name: str = ""
    ) -> StoredBlob:
        """Store the bytes of ``chunks``; return their SHA-256, size and sniffed media type.

        ``name``, the file name a client gave, only tells CSV from other text.

        Nothing is left on disk when this fails; storing bytes already stored changes nothing.

        Raises:
            AttachmentTooLargeError: when the bytes exceed ``max_bytes``.
        """
        await asyncio.to_thread(self.root.mkdir, parents=True, exist_ok=True)
        fd, temp_name = await asyncio.to_thread(tempfile.mkstemp, dir=self.root, prefix=".upload-")
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                sha256, size, head = await _copy(chunks, out, max_bytes=max_bytes)
                await asyncio.to_thread(_sync, out)
            media_type = sniff_media_type(head, whole=size <= len(head), path=temp, name=name)
            await asyncio.to_thread(self._move_into_place, temp, sha256)
        except BaseException:
            await asyncio.to_thread(temp.unlink, missing_ok=True)
            raise
        return StoredBlob(sha256=sha256, size=size, media_type=media_type)

    def _move_into_place(self, temp: Path, sha256: str) -> None:
        target = self.path(sha256)
        if target.is_file():  # same name, same bytes: keep the one there
            temp.unlink()
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        temp.chmod(0o444)
        temp.replace(target)


def _sync(out: BinaryIO) -> None:
    out.flush()
    os.fsync(out.fileno())


async def _copy(
    chunks: AsyncIterable[bytes], out: BinaryIO, *, max_bytes: int
) -> tuple[str, int, bytes]:
    digest, size, head = hashlib.sha256(), 0, b""
    async for chunk in chunks:
        if not chunk:
            continue
        size += len(chunk)
        if size > max_bytes:
            raise AttachmentTooLargeError(max_bytes)
        digest.update(chunk)
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
        await asyncio.to_thread(out.write, chunk)
    return digest.hexdigest(), size, head
