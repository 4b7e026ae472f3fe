"""The export bundle files: writing, reading, and the line formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.bundle import (
    CHANGES,
    CHECKPOINTS,
    ENTRIES,
    KEYS,
    change_line,
    parse_change_line,
    read_checkpoints,
    read_keys,
    read_line_batches,
    split_change_line,
    split_checkpoints,
    write_bundle,
)
from audit.entry import ChangeRecord
from audit.errors import BundleFormatError

RECORD = ChangeRecord.of(
    7, bytes(range(32)), {"before": None, "after": {"a": "ü\n", "b": [1, 2.5]}}
)
LINE = (
    b'{"change":{"after":{"a":"\xc3\xbc\\n","b":[1,2.5]},"before":null},"index":7,"salt":"'
    + bytes(range(32)).hex().encode()
    + b'"}'
)


def test_change_line_is_rfc8785_of_the_record() -> None:
    assert change_line(RECORD) == LINE + b"\n"
    assert split_change_line(LINE) == RECORD
    assert parse_change_line(LINE) == RECORD


@pytest.mark.parametrize(
    "line",
    [
        LINE.replace(b'"salt":"00', b'"salt":"0A'),
        LINE.replace(b'"index":7', b'"index":07'),
        LINE + b" ",
        LINE[:-3] + b'"}',
        b"garbage",
    ],
)
def test_bad_change_lines_are_rejected(line: bytes) -> None:
    assert split_change_line(line) is None
    with pytest.raises(ValueError):  # noqa: PT011  the message says which rule broke
        parse_change_line(line)


@pytest.mark.parametrize(
    "line",
    [
        b'{"change":1,"index":-1,"salt":"' + b"00" * 32 + b'"}',
        b'{"change":1,"index":1,"salt":"00"}',
        b'{"change":1,"index":1}',
        b"[1]",
    ],
)
def test_change_lines_with_wrong_members_are_rejected(line: bytes) -> None:
    with pytest.raises(ValueError, match="must"):
        parse_change_line(line)


def test_fast_split_leaves_the_change_bytes_to_the_commitment() -> None:
    spaced = LINE.replace(b'{"change":', b'{"change": ')
    record = split_change_line(spaced)
    assert record is not None
    assert record.commitment() != RECORD.commitment()
    with pytest.raises(ValueError, match="canonical"):
        parse_change_line(spaced)


def test_write_and_read_back(tmp_path: Path) -> None:
    notes = [
        b"o\n1\nAAAA\n\n\xe2\x80\x94 k sig1\n",
        b"o\n2\nBBBB\n\n\xe2\x80\x94 k sig2\n\xe2\x80\x94 w sig3\n",
    ]
    assert write_bundle(tmp_path / "b", [b"{}", b"[]"], [RECORD], notes, ["k+1+a", "w+2+b"]) == 2
    assert (tmp_path / "b" / ENTRIES).read_bytes() == b"{}\n[]\n"
    assert (tmp_path / "b" / CHANGES).read_bytes() == LINE + b"\n"
    assert (tmp_path / "b" / CHECKPOINTS).read_bytes() == notes[0] + b"\n" + notes[1]
    assert read_checkpoints(tmp_path / "b") == notes
    assert read_keys(tmp_path / "b") == ["k+1+a", "w+2+b"]
    assert (tmp_path / "b" / KEYS).read_text() == "k+1+a\nw+2+b\n"


def test_leaves_with_newlines_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="newline"):
        write_bundle(tmp_path, [b"a\nb"], [], [], [])


@pytest.mark.parametrize(
    "data", [b"a\n1\nB\n\n\xe2\x80\x94 k s", b"a\n1\nB\n\n\xe2\x80\x94 k s\n\n", b"a\n1\nB\n"]
)
def test_checkpoint_files_that_do_not_pair_up_are_rejected(data: bytes) -> None:
    with pytest.raises(BundleFormatError):
        split_checkpoints(data)


def test_no_checkpoints() -> None:
    assert split_checkpoints(b"") == []


def test_line_batches_cover_every_line(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    lines = [str(i).encode() * (i % 7 + 1) for i in range(500)]
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    batches = list(read_line_batches(path, batch_bytes=64))
    assert len(batches) > 10
    assert [line for batch in batches for line in batch] == lines


def test_missing_file_is_a_format_error(tmp_path: Path) -> None:
    with pytest.raises(BundleFormatError, match="missing"):
        list(read_line_batches(tmp_path / ENTRIES))
    with pytest.raises(BundleFormatError, match="missing"):
        read_keys(tmp_path)
