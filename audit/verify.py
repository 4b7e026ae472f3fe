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

import functools
import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from audit.bundle import CHANGES, ENTRIES, read_checkpoints, read_line_batches
from audit.checkpoint import Checkpoint, open_checkpoint
from audit.errors import (
    BundleFormatError,
    CheckpointFormatError,
    CheckpointOrderError,
    CheckpointRootMismatchError,
    CheckpointSignatureError,
    EntryMismatchError,
    MalformedCheckpointError,
    MalformedNoteError,
    NoteSignatureError,
    TruncatedLogError,
    UncoveredEntriesError,
    VerificationError,
)
from audit.merkle import EMPTY_ROOT
from audit.note import Verifier
from audit.verify_changes import ChangeOutcome, change_error, verify_changes
from audit.verify_entries import EntriesWalk, Redaction, match_redactions

__all__ = ["TRUSTED", "Progress", "Redaction", "VerifyReport", "verify_bundle"]

Progress = Callable[[int, int], None]
"""progress(bytes_done, bytes_total) over entries.jsonl."""

TRUSTED = -1  # the position reported for the auditor's trusted checkpoint
_PARALLEL_BYTES = 32 << 20  # below this, a worker process costs more than it saves


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


def _entries_pass(
    directory: Path, walk: EntriesWalk, progress: Progress | None
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


def _changes_pass(directory: Path, parallel: bool | None) -> Callable[[], ChangeOutcome]:
    """Start the changes pass, in a worker process for large bundles; return its result."""
    path = directory / ENTRIES
    size = path.stat().st_size if path.is_file() else 0
    if parallel is False or (
        parallel is None and (size < _PARALLEL_BYTES or (os.cpu_count() or 1) == 1)
    ):
        return functools.partial(verify_changes, directory, read_line_batches)
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    future = pool.submit(verify_changes, directory, read_line_batches)
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
    walk = EntriesWalk([(pos, cp) for pos, cp in opened if cp.size > 0])
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
    walk: EntriesWalk, changes: ChangeOutcome, entries_failure: tuple[int, VerificationError] | None
) -> dict[int, Redaction]:
    """Raise the earliest failure of both passes and the erasures; return the redactions.

    On return, `changes.missing` has lost the indexes that erasures explain.
    """
    failures = [] if entries_failure is None else [(entries_failure[0], 0, entries_failure[1])]
    if changes.failure is not None:
        failures.append((changes.failure[0], 1, change_error(changes.failure)))
    limit = min((key for key, _, _ in failures), default=walk.tree.size + 1)
    redactions, redaction_error = match_redactions(walk.erasures, changes.missing, limit)
    if redaction_error is not None:
        failures.append((redaction_error.index, 2, redaction_error))
    if failures:  # log position first; at a tie, the leaf before its change
        raise min(failures, key=lambda item: (item[0], item[1]))[2]
    return redactions


def _finish(walk: EntriesWalk, changes: ChangeOutcome, covered: int) -> None:
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
