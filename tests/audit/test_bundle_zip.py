"""The bundle as a ZIP stream: the same bytes as `write_bundle`, sent a batch at a time."""

from __future__ import annotations

import io
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TypeVar

import pytest

from audit.bundle import write_bundle
from audit.bundle_zip import zip_bundle
from audit.entry import ChangeRecord

T = TypeVar("T")
LEAVES = [[b'{"index":%d}' % i for i in range(b, b + 3)] for b in (0, 3, 6)]
CHANGES = [[ChangeRecord(i, bytes(32), b'{"after":null}') for i in (1, 4)]]
NOTES = [[b"origin\n3\nroot\n\n- k sig\n", b"origin\n9\nr\n\n- k s\n"]]


async def _batches(batches: list[list[T]]) -> AsyncIterator[list[T]]:
    for batch in batches:
        yield batch


async def test_the_archive_unpacks_to_exactly_the_files_write_bundle_writes(
    tmp_path: Path,
) -> None:
    chunks = [
        chunk
        async for chunk in zip_bundle(
            "docket-audit-9",
            _batches(LEAVES),
            _batches(CHANGES),
            _batches(NOTES),
            ["k+1+A"],
        )
    ]
    assert len(chunks) >= len(LEAVES)  # one piece per batch at least: nothing waits for the end
    with zipfile.ZipFile(io.BytesIO(b"".join(chunks))) as archive:
        archive.extractall(tmp_path / "zip")
    write_bundle(
        tmp_path / "dir",
        [leaf for batch in LEAVES for leaf in batch],
        [c for batch in CHANGES for c in batch],
        [n for batch in NOTES for n in batch],
        ["k+1+A"],
    )
    for name in ("entries.jsonl", "changes.jsonl", "checkpoints.txt", "keys.txt"):
        zipped = (tmp_path / "zip" / "docket-audit-9" / name).read_bytes()
        assert zipped == (tmp_path / "dir" / name).read_bytes(), name


async def test_a_leaf_with_a_newline_stops_the_archive() -> None:
    with pytest.raises(ValueError, match="newline"):
        async for _ in zip_bundle("b", _batches([[b"a\nb"]]), _batches([]), _batches([]), []):
            pass
