"""The export bundle as one ZIP archive, written while it is sent (stdlib only).

The archive holds one folder with the four files of `audit.bundle`, byte for byte what
`write_bundle` writes; unpacked, it is a bundle that `audit.verify.verify_bundle` checks. The
archive is produced piece by piece: each member is written with a data descriptor (sizes
after the data, as ZIP allows for a stream that cannot seek back), so no file is held whole
in memory or on disk, however long the log.
"""

from __future__ import annotations

import asyncio
import zipfile
from collections.abc import AsyncIterator, Iterable
from typing import IO, Final

from audit.bundle import CHANGES, CHECKPOINTS, ENTRIES, KEYS, change_line
from audit.entry import ChangeRecord

MEDIA_TYPE: Final = "application/zip"


class _Pipe:
    """A write-only file that keeps what was written until it is taken (no seek, no tell).

    Without ``tell`` and ``seek``, ``zipfile`` writes each member with a data descriptor.
    """

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the chunks wait for `take`."""

    def close(self) -> None:
        """Nothing to close: the chunks wait for `take`."""

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def _member(archive: zipfile.ZipFile, name: str) -> IO[bytes]:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    # sizes are unknown until the end; ZIP64 fields let a member pass 4 GiB
    return archive.open(info, "w", force_zip64=True)


async def zip_bundle(
    folder: str,
    leaves: AsyncIterator[list[bytes]],
    changes: AsyncIterator[list[ChangeRecord]],
    checkpoints: AsyncIterator[list[bytes]],
    vkeys: Iterable[str],
) -> AsyncIterator[bytes]:
    """Yield the ZIP archive of a bundle in ``folder/``, a batch of rows at a time.

    The inputs are those of `audit.bundle.write_bundle`, in batches. Compression runs in a
    worker thread, so the event loop keeps serving while a large batch is packed.

    Raises:
        ValueError: if a leaf contains a newline (it would split a line of entries.jsonl).
    """
    pipe = _Pipe()
    archive = zipfile.ZipFile(pipe, "w")
    with _member(archive, f"{folder}/{ENTRIES}") as out:
        async for batch in leaves:
            if any(b"\n" in leaf for leaf in batch):
                raise ValueError("a leaf contains a newline")
            await asyncio.to_thread(out.write, b"".join(leaf + b"\n" for leaf in batch))
            yield pipe.take()
    with _member(archive, f"{folder}/{CHANGES}") as out:
        async for records in changes:
            await asyncio.to_thread(out.write, b"".join(change_line(r) for r in records))
            yield pipe.take()
    with _member(archive, f"{folder}/{CHECKPOINTS}") as out:
        first = True
        async for notes in checkpoints:
            for note in notes:
                # the notes joined by one newline, exactly as write_bundle joins them
                out.write(note if first else b"\n" + note)
                first = False
    with _member(archive, f"{folder}/{KEYS}") as out:
        out.write("".join(f"{key}\n" for key in vkeys).encode())
    archive.close()
    yield pipe.take()
