"""The entries pass of bundle verification: leaf shapes and indexes, roots, erasures.

Each line must be the canonical leaf of its index; the RFC 9162 tree grows as lines are
read, and each checkpoint's root is checked at its size. Erasure entries are collected and
then matched with the changes the bundle lacks.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from audit.checkpoint import Checkpoint
from audit.compact import CompactRange
from audit.entry import LEAF_RE, parse_leaf
from audit.errors import (
    CheckpointRootMismatchError,
    EntryMismatchError,
    MalformedLeafError,
    RedactionError,
)

_LEAF = LEAF_RE.fullmatch


@dataclass(frozen=True, slots=True)
class Redaction:
    """An entry whose change was erased, the erasure entry that did it, and its reason."""

    index: int
    erased_by: int
    reason: str


class EntriesWalk:
    """The entries pass: leaf shape and index, the tree, the checkpoints due, erasures."""

    __slots__ = ("dates", "due", "erasures", "tree")

    def __init__(self, due: list[tuple[int, Checkpoint]]) -> None:
        self.tree = CompactRange()
        self.due = sorted(due, key=lambda item: item[1].size, reverse=True)  # pop() = smallest
        self.erasures: list[tuple[int, int, str]] = []
        self.dates: set[bytes] = set()

    def batch(self, lines: list[bytes]) -> None:
        """Verify one batch of entry lines, checkpoints due before a bad line first."""
        good, failure = self._scan(lines, self.tree.size)
        sha = hashlib.sha256
        self._advance([sha(b"\x00" + line).digest() for line in lines[:good]])
        if failure is not None:
            raise failure

    def _scan(self, lines: list[bytes], index: int) -> tuple[int, EntryMismatchError | None]:
        """Check each line's shape and index; return how many are good, and the failure."""
        leaf, dates, first = _LEAF, self.dates, index
        for line in lines:
            match = leaf(line)
            if (
                match is None
                or match[2] is not None
                or int(match[3]) != index
                or match[4] not in dates
            ):
                try:
                    self._slow(line, index)
                except EntryMismatchError as exc:
                    return index - first, exc
            index += 1
        return index - first, None

    def _slow(self, line: bytes, index: int) -> None:
        """Full parse of an unusual line: an erasure, a new date, or a failure to name."""
        try:
            entry = parse_leaf(line)
        except MalformedLeafError as exc:
            raise EntryMismatchError(index, f"not a canonical leaf: {exc.reason}") from None
        if entry.index != index:
            raise EntryMismatchError(index, f"line {index + 1} holds entry {entry.index}")
        self.dates.add(entry.time.date().isoformat().encode())
        if entry.erasure is not None:
            self.erasures.append((index, entry.erasure.index, entry.erasure.reason))

    def _advance(self, hashes: list[bytes]) -> None:
        """Grow the tree, checking the root at each checkpoint due on the way."""
        tree, pos, end = self.tree, 0, self.tree.size + len(hashes)
        while self.due and self.due[-1][1].size <= end:
            position, checkpoint = self.due.pop()
            cut = pos + checkpoint.size - tree.size
            tree.extend(hashes[pos:cut])
            pos = cut
            if tree.root() != checkpoint.root:
                raise CheckpointRootMismatchError(
                    position, checkpoint.size, checkpoint.root, tree.root()
                )
        tree.extend(hashes[pos:])


def match_redactions(
    erasures: list[tuple[int, int, str]], missing: set[int], limit: int
) -> tuple[dict[int, Redaction], RedactionError | None]:
    """Match erasure entries (before `limit`) with the changes missing from the bundle."""
    done: dict[int, Redaction] = {}
    for position, erased, reason in erasures:
        if position >= limit:
            break
        if erased in done:
            by = done[erased].erased_by
            return done, RedactionError(position, erased, f"already erased by entry {by}")
        if erased not in missing:
            return done, RedactionError(position, erased, "its change is still in changes.jsonl")
        missing.discard(erased)
        done[erased] = Redaction(erased, position, reason)
    return done, None
