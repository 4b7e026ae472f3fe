"""C2SP tlog-checkpoint: a signed note whose text is origin, tree size, base64 root, extensions."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from audit.errors import MalformedCheckpointError
from audit.merkle import HASH_SIZE
from audit.note import Note, Signer, Verifier, open_note, sign

_SIZE: Final = re.compile(r"0|[1-9][0-9]*")  # C2SP tlog-checkpoint: decimal, no leading zeroes
_MIN_LINES: Final = 3


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A log's Merkle tree head: origin, tree size, root hash and optional extension lines."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Check the fields can be formatted and parsed back unchanged."""
        if not self.origin or "\n" in self.origin:
            raise MalformedCheckpointError("origin must be a non-empty line")
        if self.size < 0 or len(self.root) != HASH_SIZE:
            raise MalformedCheckpointError("size must be >= 0 and the root 32 bytes")
        if any(not ext or "\n" in ext for ext in self.extensions):
            raise MalformedCheckpointError("extension lines must be non-empty lines")


def format_checkpoint(checkpoint: Checkpoint) -> str:
    """The note text of `checkpoint` (C2SP tlog-checkpoint §Note text)."""
    lines = [
        checkpoint.origin,
        str(checkpoint.size),
        base64.b64encode(checkpoint.root).decode(),
        *checkpoint.extensions,
    ]
    return "\n".join(lines) + "\n"


def parse_checkpoint(text: str) -> Checkpoint:
    """Parse a checkpoint note text strictly.

    Raises:
        MalformedCheckpointError: unless `text` is at least three non-empty lines, each
            ending in a newline, with a decimal size without leading zeroes and a canonical
            base64 SHA-256 root.
    """
    if not text.endswith("\n"):
        raise MalformedCheckpointError("text must end with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < _MIN_LINES or any(not line for line in lines):
        raise MalformedCheckpointError("need at least three non-empty lines")
    origin, size, root_b64, *extensions = lines
    if not _SIZE.fullmatch(size):
        raise MalformedCheckpointError(f"tree size {size!r} is not a canonical decimal")
    try:
        root = base64.b64decode(root_b64, validate=True)
    except binascii.Error:
        raise MalformedCheckpointError("root hash is not base64") from None
    if len(root) != HASH_SIZE or base64.b64encode(root).decode() != root_b64:
        raise MalformedCheckpointError("root hash is not the base64 of 32 bytes")
    return Checkpoint(origin, int(size), root, tuple(extensions))


def sign_checkpoint(checkpoint: Checkpoint, signers: Sequence[Signer]) -> bytes:
    """The signed note of `checkpoint` (C2SP tlog-checkpoint §Signatures)."""
    return sign(format_checkpoint(checkpoint), signers)


def open_checkpoint(message: bytes, verifiers: Iterable[Verifier]) -> tuple[Checkpoint, Note]:
    """Verify a signed checkpoint note and parse its body.

    Raises:
        MalformedNoteError, NoteSignatureError: see `audit.note.open_note`.
        MalformedCheckpointError: if the verified text is not a checkpoint.
    """
    note = open_note(message, verifiers)
    return parse_checkpoint(note.text), note
