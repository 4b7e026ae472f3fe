"""The export bundle: four files in one directory, written and read with the stdlib only.

- `entries.jsonl`: line i is exactly the leaf bytes of entry i, then a newline (0x0A).
- `changes.jsonl`: one line per entry whose change is not erased, by increasing index:
  `{"change":<RFC 8785 change>,"index":<i>,"salt":"<64 hex>"}`, itself RFC 8785 JSON.
- `checkpoints.txt`: the signed checkpoints, oldest first, each a complete signed note,
  separated by one blank line. A checkpoint body has no empty line, so blank lines alternate:
  the first one in a note precedes its signatures, the next one starts the next note.
- `keys.txt`: the log's verifier keys, one per line (informative: an auditor verifies with
  keys obtained independently, never with the ones shipped in the bundle).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

from audit.canonical import JsonValue, NonCanonicalJsonError, parse_canonical
from audit.entry import SALT_SIZE, ChangeRecord
from audit.errors import BundleFormatError

ENTRIES: Final = "entries.jsonl"
CHANGES: Final = "changes.jsonl"
CHECKPOINTS: Final = "checkpoints.txt"
KEYS: Final = "keys.txt"
BATCH_BYTES: Final = 1 << 22
_CHANGE_HEAD: Final = b'{"change":'
_INDEX_KEY: Final = b',"index":'
CHANGE_TAIL: Final = re.compile(rb',"index":(0|[1-9][0-9]{0,15}),"salt":"([0-9a-f]{64})"\}')


def change_line(record: ChangeRecord) -> bytes:
    """The changes.jsonl line of `record` (RFC 8785, since `change_json` is canonical)."""
    return b'%s%s,"index":%d,"salt":"%s"}\n' % (
        _CHANGE_HEAD,
        record.change_json,
        record.index,
        record.salt.hex().encode(),
    )


def split_change_line(line: bytes) -> ChangeRecord | None:
    """Cut a changes.jsonl line (without newline) into its parts without parsing the change.

    Returns None unless the line has the exact head and tail of `change_line`. The change
    bytes are not parsed: a match with the leaf's commitment proves they are the canonical
    bytes the log committed to (SHA-256 preimage resistance).
    """
    cut = line.rfind(_INDEX_KEY)
    tail = CHANGE_TAIL.fullmatch(line, cut) if cut > 0 else None
    if tail is None or not line.startswith(_CHANGE_HEAD):
        return None
    return ChangeRecord(
        int(tail[1]), bytes.fromhex(tail[2].decode()), line[len(_CHANGE_HEAD) : cut]
    )


def parse_change_line(line: bytes) -> ChangeRecord:
    """Parse a changes.jsonl line strictly (RFC 8785, exact members).

    Raises:
        ValueError: describing what is wrong with the line.
    """
    try:
        obj: JsonValue = parse_canonical(line)
    except NonCanonicalJsonError as exc:
        raise ValueError(exc.reason) from None
    if not isinstance(obj, dict) or set(obj) != {"change", "index", "salt"}:
        raise ValueError("members must be exactly change, index, salt")
    index, salt = obj["index"], obj["salt"]
    if type(index) is not int or index < 0:
        raise ValueError("index must be a non-negative integer")
    if not isinstance(salt, str) or not re.fullmatch(f"[0-9a-f]{{{2 * SALT_SIZE}}}", salt):
        raise ValueError(f"salt must be {2 * SALT_SIZE} lowercase hex digits")
    return ChangeRecord.of(index, bytes.fromhex(salt), obj["change"])


def write_bundle(
    directory: Path,
    leaves: Iterable[bytes],
    changes: Iterable[ChangeRecord],
    checkpoints: Iterable[bytes],
    vkeys: Iterable[str],
) -> int:
    """Write a bundle into `directory` (created if needed); return the number of entries.

    `leaves` are the leaf bytes in index order, `changes` the stored changes by increasing
    index, `checkpoints` the signed checkpoint notes oldest first.
    """
    directory.mkdir(parents=True, exist_ok=True)
    count = 0
    with (directory / ENTRIES).open("wb") as out:
        for leaf in leaves:
            if b"\n" in leaf:
                raise ValueError(f"leaf {count} contains a newline")
            out.write(leaf + b"\n")
            count += 1
    with (directory / CHANGES).open("wb") as out:
        out.writelines(change_line(record) for record in changes)
    (directory / CHECKPOINTS).write_bytes(b"\n".join(checkpoints))
    (directory / KEYS).write_text("".join(f"{key}\n" for key in vkeys), encoding="utf-8")
    return count


def _require(path: Path) -> Path:
    if not path.is_file():
        raise BundleFormatError(path.name, None, "missing")
    return path


def read_line_batches(path: Path, batch_bytes: int = BATCH_BYTES) -> Iterator[list[bytes]]:
    """Yield the lines of `path` (newline removed) in batches of about `batch_bytes`.

    Raises:
        BundleFormatError: if the file is missing or its last line lacks its newline.
    """
    with _require(path).open("rb") as stream:
        rest, lines_seen = b"", 0
        while chunk := stream.read(batch_bytes):
            lines = (rest + chunk).split(b"\n")
            rest = lines.pop()
            lines_seen += len(lines)
            if lines:
                yield lines
        if rest:
            raise BundleFormatError(path.name, lines_seen + 1, "last line lacks its newline")


def split_checkpoints(data: bytes) -> list[bytes]:
    """Split checkpoints.txt into its signed notes (see the module docstring).

    Raises:
        BundleFormatError: if the blank lines do not pair up into notes.
    """
    if not data:
        return []
    if not data.endswith(b"\n"):
        raise BundleFormatError(CHECKPOINTS, None, "must end with a newline")
    blocks = data[:-1].split(b"\n\n")
    if len(blocks) % 2 or any(not b or b.startswith(b"\n") or b.endswith(b"\n") for b in blocks):
        raise BundleFormatError(CHECKPOINTS, None, "notes and blank lines do not pair up")
    return [blocks[i] + b"\n\n" + blocks[i + 1] + b"\n" for i in range(0, len(blocks), 2)]


def read_checkpoints(directory: Path) -> list[bytes]:
    """The signed checkpoint notes of the bundle, in file order."""
    return split_checkpoints(_require(directory / CHECKPOINTS).read_bytes())


def read_keys(directory: Path) -> list[str]:
    """The verifier keys shipped in keys.txt (informative only)."""
    text = _require(directory / KEYS).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line]
