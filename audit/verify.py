"""Offline verification of an export bundle with the log's public key(s) alone.

Two streaming passes, the second in a worker process for large bundles, check that:
(entries pass) line i is a canonical leaf with index i, every checkpoint is signed by a
given key and its root is the RFC 9162 root of the first `size` leaves, the last one
covers every entry; (changes pass, changes.jsonl in lockstep with entries.jsonl) each
stored change matches the salted commitment of its leaf. Each entry without a change must
be named by a later erasure entry, and is then reported as redacted, not tampered. The
earliest failure in log order is raised.

Checkpoints whose roots are all recomputed from one sequence of leaves are consistent with
each other by construction (each is the root of a prefix of it), so checking each root at
its size is what RFC 9162 §2.1.4 consistency means here; a trusted checkpoint the auditor
kept is checked the same way, and one larger than the bundle proves a truncated tail.
"""

from __future__ import annotations

import binascii
import functools
import hashlib
import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from audit.bundle import (
    CHANGE_TAIL,
    CHANGES,
    ENTRIES,
    parse_change_line,
    read_checkpoints,
    read_line_batches,
)
from audit.checkpoint import Checkpoint, open_checkpoint
from audit.entry import LEAF_RE, parse_leaf
from audit.errors import (
    BundleFormatError,
    ChangeMismatchError,
    CheckpointFormatError,
    CheckpointOrderError,
    CheckpointRootMismatchError,
    CheckpointSignatureError,
    EntryMismatchError,
    MalformedCheckpointError,
    MalformedLeafError,
    MalformedNoteError,
    NoteSignatureError,
    RedactionError,
    TruncatedLogError,
    UncoveredEntriesError,
    VerificationError,
)
from audit.merkle import EMPTY_ROOT, CompactRange
from audit.note import Verifier

Progress = Callable[[int, int], None]
"""progress(bytes_done, bytes_total) over entries.jsonl."""

TRUSTED = -1  # the position reported for the auditor's trusted checkpoint
_TAIL = CHANGE_TAIL.fullmatch
_LEAF = LEAF_RE.fullmatch


@dataclass(frozen=True, slots=True)
class Redaction:
    """An entry whose change was erased, the erasure entry that did it, and its reason."""

    index: int
    erased_by: int
    reason: str


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """What a successful verification proved."""

    size: int
    root: bytes
    checkpoints: int
    changes: int
    redactions: tuple[Redaction, ...] = ()
    trusted_size: int | None = None

    def __str__(self) -> str:
        """`OK: N entries, root <hex>` and the details."""
        lines = [
            f"OK: {self.size} entries, root {self.root.hex()}",
            f"{self.checkpoints} signed checkpoints verified, {self.changes} changes verified",
        ]
        if self.trusted_size is not None:
            lines.append(f"consistent with the trusted checkpoint at size {self.trusted_size}")
        lines += [
            f"entry {r.index}: redacted by entry {r.erased_by} ({r.reason})"
            for r in self.redactions
        ]
        return "\n".join(lines)


def _open(position: int, message: bytes, verifiers: list[Verifier]) -> Checkpoint:
    try:
        checkpoint, _ = open_checkpoint(message, verifiers)
    except NoteSignatureError as exc:
        raise CheckpointSignatureError(position, str(exc)) from None
    except (MalformedNoteError, MalformedCheckpointError) as exc:
        raise CheckpointFormatError(position, str(exc)) from None
    return checkpoint


def _checkpoints(
    notes: list[bytes], trusted: bytes | None, verifiers: list[Verifier]
) -> list[tuple[int, Checkpoint]]:
    """Verify every checkpoint's signature and order; return (position, checkpoint)."""
    opened = [(pos, _open(pos, note, verifiers)) for pos, note in enumerate(notes)]
    if trusted is not None:
        opened.append((TRUSTED, _open(TRUSTED, trusted, verifiers)))
    for (_, earlier), (pos, later) in itertools.pairwise(opened):
        if pos != TRUSTED and later.size < earlier.size:
            raise CheckpointOrderError(pos, later.size, earlier.size)
    for pos, checkpoint in opened:
        if checkpoint.origin != opened[0][1].origin:
            raise CheckpointFormatError(pos, f"origin {checkpoint.origin!r} is another log's")
    return opened


class _Changes:
    """A cursor over changes.jsonl, checked in lockstep with the entries."""

    __slots__ = ("_base", "_batches", "_lines", "_pos", "next_index")

    def __init__(self, path: Path) -> None:
        self._batches: Iterator[list[bytes]] = read_line_batches(path)
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


_MISMATCH, _FORMAT = 0, 1
_PARALLEL_BYTES = 32 << 20  # below this, a worker process costs more than it saves


@dataclass(frozen=True, slots=True)
class _ChangeOutcome:
    """What the changes pass found; plain data, so that it crosses a process boundary."""

    verified: int
    missing: set[int]
    failure: tuple[int, int, int, str] | None  # (log position, kind, index or line, reason)
    leftover: tuple[int, int] | None  # (line, index) of a change for an entry not in the log


def _verify_changes(directory: Path) -> _ChangeOutcome:
    """Check every stored change against the commitment in its leaf (may run in a worker).

    Commitments are cut out of the leaves without parsing them: the entries pass checks
    each leaf's shape, and reports a malformed leaf ahead of a change at the same index.
    """
    cursor, missing, start = _Changes(directory / CHANGES), set[int](), 0
    try:
        for lines in read_line_batches(directory / ENTRIES):
            commits = [ln[(p := ln.find(b'"commitment":"') + 14) : p + 64] for ln in lines]
            cursor.check(start, commits, start + len(lines), missing)
            start += len(lines)
        index = cursor.leftover()
    except ChangeMismatchError as exc:
        failure: tuple[int, int, int, str] | None = (exc.index, _MISMATCH, exc.index, exc.reason)
        return _ChangeOutcome(cursor.line_no, missing, failure, None)
    except BundleFormatError as exc:
        failure = (
            None if exc.file == ENTRIES else (cursor.next_index, _FORMAT, exc.line or 0, exc.reason)
        )
        return _ChangeOutcome(cursor.line_no, missing, failure, None)
    leftover = None if index is None else (cursor.line_no + 1, index)
    return _ChangeOutcome(cursor.line_no, missing, None, leftover)


def _change_error(failure: tuple[int, int, int, str]) -> VerificationError:
    _, kind, where, reason = failure
    return (
        ChangeMismatchError(where, reason)
        if kind == _MISMATCH
        else BundleFormatError(CHANGES, where, reason)
    )


class _Walk:
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


def _redactions(
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


def _entries_pass(
    directory: Path, walk: _Walk, progress: Progress | None
) -> tuple[int, VerificationError] | None:
    """Run the entries pass; return (log position, failure) for its first failure."""
    total = (directory / ENTRIES).stat().st_size if (directory / ENTRIES).is_file() else 0
    done = 0
    try:
        for lines in read_line_batches(directory / ENTRIES):
            walk.batch(lines)
            if progress is not None:
                done += sum(map(len, lines)) + len(lines)
                progress(done, total)
    except EntryMismatchError as exc:
        return exc.index, exc
    except CheckpointRootMismatchError as exc:
        return exc.size, exc
    except BundleFormatError as exc:
        return walk.tree.size, exc
    return None


def _changes_pass(directory: Path, parallel: bool | None) -> Callable[[], _ChangeOutcome]:
    """Start the changes pass, in a worker process for large bundles; return its result."""
    path = directory / ENTRIES
    size = path.stat().st_size if path.is_file() else 0
    if parallel is False or (
        parallel is None and (size < _PARALLEL_BYTES or (os.cpu_count() or 1) == 1)
    ):
        return functools.partial(_verify_changes, directory)
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    future = pool.submit(_verify_changes, directory)
    pool.shutdown(wait=False)
    return future.result


def verify_bundle(
    directory: Path,
    vkeys: Iterable[str],
    *,
    trusted_checkpoint: bytes | None = None,
    progress: Progress | None = None,
    parallel: bool | None = None,
) -> VerifyReport:
    """Verify the bundle in `directory` with the auditor's verifier keys `vkeys`.

    `trusted_checkpoint` is a signed checkpoint the auditor kept from earlier; the bundle
    must extend it. Changes are checked in a second process for large bundles (`parallel`
    None), or always (True), or never (False). Raises the first failure in log order.

    Raises:
        MalformedKeyError: if a verifier key does not parse.
        VerificationError: a `BundleFormatError`, `EntryMismatchError` (incl.
            `ChangeMismatchError`, `RedactionError`), `CheckpointError` (signature, format,
            order, root mismatch, truncation) or `UncoveredEntriesError`.
    """
    verifiers = [Verifier.from_key(key) for key in vkeys]
    opened = _checkpoints(read_checkpoints(directory), trusted_checkpoint, verifiers)
    for pos, cp in opened:
        if cp.size == 0 and cp.root != EMPTY_ROOT:
            raise CheckpointRootMismatchError(pos, 0, cp.root, EMPTY_ROOT)
    walk = _Walk([(pos, cp) for pos, cp in opened if cp.size > 0])
    changes_result = _changes_pass(directory, parallel)
    entries_failure = _entries_pass(directory, walk, progress)
    changes = changes_result()
    redactions = _settle(walk, changes, entries_failure)
    _finish(walk, changes, max((cp.size for _, cp in opened), default=0))
    return VerifyReport(
        size=walk.tree.size,
        root=walk.tree.root(),
        checkpoints=len(opened),
        changes=changes.verified,
        redactions=tuple(sorted(redactions.values(), key=lambda r: r.index)),
        trusted_size=next((cp.size for pos, cp in opened if pos == TRUSTED), None),
    )


def _settle(
    walk: _Walk, changes: _ChangeOutcome, entries_failure: tuple[int, VerificationError] | None
) -> dict[int, Redaction]:
    """Raise the earliest failure of both passes and the erasures; return the redactions.

    On return, `changes.missing` has lost the indexes that erasures explain.
    """
    failures = [] if entries_failure is None else [(entries_failure[0], 0, entries_failure[1])]
    if changes.failure is not None:
        failures.append((changes.failure[0], 1, _change_error(changes.failure)))
    limit = min((key for key, _, _ in failures), default=walk.tree.size + 1)
    redactions, redaction_error = _redactions(walk.erasures, changes.missing, limit)
    if redaction_error is not None:
        failures.append((redaction_error.index, 2, redaction_error))
    if failures:  # log position first; at a tie, the leaf before its change
        raise min(failures, key=lambda item: (item[0], item[1]))[2]
    return redactions


def _finish(walk: _Walk, changes: _ChangeOutcome, covered: int) -> None:
    """Checks that need the whole log: truncation, leftovers, unexplained gaps, coverage."""
    size = walk.tree.size
    if walk.due:
        position, checkpoint = max(walk.due, key=lambda item: item[1].size)
        raise TruncatedLogError(position, checkpoint.size, size)
    if changes.leftover is not None:
        line, index = changes.leftover
        raise BundleFormatError(CHANGES, line, f"no entry {index}")
    if changes.missing:
        raise EntryMismatchError(min(changes.missing), "change missing and no erasure names it")
    if covered < size:
        raise UncoveredEntriesError(covered, size)
