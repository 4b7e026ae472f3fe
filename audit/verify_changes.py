"""The changes pass of bundle verification: each stored change against its leaf's commitment.

changes.jsonl is read in lockstep with entries.jsonl; the commitments are cut out of the
leaves without parsing them (the entries pass checks each leaf's shape). The outcome is
plain data, so that the pass can run in a worker process (`audit.verify`).
"""

from __future__ import annotations

import binascii
import hashlib
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from audit.bundle import CHANGE_TAIL, CHANGES, ENTRIES, parse_change_line, read_line_batches
from audit.errors import BundleFormatError, ChangeMismatchError, VerificationError

BatchReader = Callable[[Path], Iterator[list[bytes]]]
"""read_batches(path) -> the lines of path in batches, as `audit.bundle.read_line_batches`."""

_TAIL = CHANGE_TAIL.fullmatch


class ChangeCursor:
    """A cursor over changes.jsonl, checked in lockstep with the entries."""

    __slots__ = ("_base", "_batches", "_lines", "_pos", "next_index")

    def __init__(self, path: Path, read_batches: BatchReader) -> None:
        self._batches: Iterator[list[bytes]] = read_batches(path)
        self._lines: list[bytes] = []
        self._base = 0  # lines in the batches before `_lines`
        self._pos = 0  # lines of `_lines` consumed
        self.next_index = 0  # every entry below it is accounted for

    @property
    def line_no(self) -> int:
        """Lines consumed, each one a verified change."""
        return self._base + self._pos

    def _fill(self) -> bool:
        while self._pos == len(self._lines):
            batch = next(self._batches, None)
            if batch is None:
                return False
            self._base, self._lines, self._pos = self._base + len(self._lines), batch, 0
        return True

    def check(self, start: int, commits: list[bytes], upto: int, missing: set[int]) -> None:
        """Check the changes of entries [next_index, upto); `commits[i - start]` is hex."""
        sha, unhex, tail_of, nxt = hashlib.sha256, binascii.unhexlify, _TAIL, self.next_index
        hexlify = binascii.hexlify
        while nxt < upto and self._fill():
            lines, pos = self._lines, self._pos
            for line in itertools.islice(lines, pos, None):
                cut = line.rfind(b',"index":')
                tail = tail_of(line, cut)
                if tail is not None and line[:10] == b'{"change":':
                    index_digits, salt_hex = tail.group(1, 2)
                    index, salt, change = int(index_digits), unhex(salt_hex), line[10:cut]
                else:
                    index, salt, change = self._slow(line, pos)
                if index >= upto:
                    break
                if index != nxt:
                    if index < nxt:
                        raise BundleFormatError(
                            CHANGES, self._base + pos + 1, f"index {index} out of order"
                        )
                    missing.update(range(nxt, index))
                if hexlify(sha(salt + change).digest()) != commits[index - start]:
                    raise ChangeMismatchError(index, "stored change does not match its commitment")
                nxt, pos = index + 1, pos + 1
            self._pos, self.next_index = pos, nxt
            if pos < len(lines):
                break
        missing.update(range(nxt, upto))
        self.next_index = max(nxt, upto)

    def _slow(self, line: bytes, pos: int) -> tuple[int, bytes, bytes]:
        try:
            record = parse_change_line(line)
        except ValueError as exc:
            raise BundleFormatError(CHANGES, self._base + pos + 1, str(exc)) from None
        return record.index, record.salt, record.change_json

    def leftover(self) -> int | None:
        """Index named by the first change line not consumed, if any."""
        return self._slow(self._lines[self._pos], self._pos)[0] if self._fill() else None


MISMATCH, FORMAT = 0, 1


@dataclass(frozen=True, slots=True)
class ChangeOutcome:
    """What the changes pass found; plain data, so that it crosses a process boundary."""

    verified: int
    missing: set[int]
    failure: tuple[int, int, int, str] | None  # (log position, kind, index or line, reason)
    leftover: tuple[int, int] | None  # (line, index) of a change for an entry not in the log


def verify_changes(directory: Path, read_batches: BatchReader = read_line_batches) -> ChangeOutcome:
    """Check every stored change against the commitment in its leaf (may run in a worker).

    Commitments are cut out of the leaves without parsing them: the entries pass checks
    each leaf's shape, and reports a malformed leaf ahead of a change at the same index.
    """
    cursor, missing, start = ChangeCursor(directory / CHANGES, read_batches), set[int](), 0
    try:
        for lines in read_batches(directory / ENTRIES):
            commits = [ln[(p := ln.find(b'"commitment":"') + 14) : p + 64] for ln in lines]
            cursor.check(start, commits, start + len(lines), missing)
            start += len(lines)
        index = cursor.leftover()
    except ChangeMismatchError as exc:
        failure: tuple[int, int, int, str] | None = (exc.index, MISMATCH, exc.index, exc.reason)
        return ChangeOutcome(cursor.line_no, missing, failure, None)
    except BundleFormatError as exc:
        failure = (
            None if exc.file == ENTRIES else (cursor.next_index, FORMAT, exc.line or 0, exc.reason)
        )
        return ChangeOutcome(cursor.line_no, missing, failure, None)
    leftover = None if index is None else (cursor.line_no + 1, index)
    return ChangeOutcome(cursor.line_no, missing, None, leftover)


def change_error(failure: tuple[int, int, int, str]) -> VerificationError:
    """The error a changes-pass failure stands for."""
    _, kind, where, reason = failure
    return (
        ChangeMismatchError(where, reason)
        if kind == MISMATCH
        else BundleFormatError(CHANGES, where, reason)
    )
