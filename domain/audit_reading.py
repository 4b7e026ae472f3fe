"""The audit log as an auditor reads it: its checkpoint, entries by filter, the bundle download.

These build on ``audit_log``'s reads (same permission, same refusal of a sealed request's
trail) and add what a person needs beside them: the checkpoint's fields, filters the log's
index does not hold (action, time), each entry's erasure, and the export as a stream.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from audit import checkpoint_store, erasure_store, export
from audit.checkpoint import parse_checkpoint
from audit.entry import AuditEntry
from audit.store import MAX_PAGE
from domain import audit_log
from domain.audit_log import LogEntry, Signer
from domain.shared.errors import NotFoundError
from domain.shared.model import Actor
from domain.shared.permissions import Permission, require

SCAN_LIMIT: Final = 10_000
"""Entries read at most for one page of a search; past it the page offers to go on."""
BUNDLE_PREFIX: Final = "docket-audit-"


@dataclass(frozen=True, slots=True, kw_only=True)
class SignedCheckpoint:
    """A signed checkpoint note and what its body says (C2SP tlog-checkpoint)."""

    note: str
    origin: str
    size: int
    root: bytes
    signatures: tuple[str, ...]
    """The note's signature lines, each ``— <name> <base64>``, as signed."""


def read_note(note: bytes) -> SignedCheckpoint:
    """The fields of a stored signed checkpoint (signed by the log, so well-formed)."""
    text = note.decode()
    body, _, signatures = text.partition("\n\n")
    checkpoint = parse_checkpoint(body + "\n")
    return SignedCheckpoint(
        note=text,
        origin=checkpoint.origin,
        size=checkpoint.size,
        root=checkpoint.root,
        signatures=tuple(line for line in signatures.split("\n") if line),
    )


async def signed_checkpoint(
    signer: Signer, origin: str, *, actor: Actor, now: datetime
) -> SignedCheckpoint:
    """The latest signed checkpoint, signing one first if the log grew (as the API does).

    Raises:
        PermissionDeniedError: unless the actor may read the audit log.
    """
    return read_note(await audit_log.current_checkpoint(signer, origin, actor=actor, now=now))


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryFilters:
    """What a search of the log keeps; None keeps everything."""

    subject: tuple[str, str] | None = None
    actor_ref: str | None = None
    action: str | None = None
    since: datetime | None = None
    """Entries at or after this instant."""
    until: datetime | None = None
    """Entries before this instant."""

    def keeps(self, entry: AuditEntry) -> bool:
        """Whether ``entry`` passes the filters the log's index does not apply."""
        return (
            (self.action is None or entry.action == self.action)
            and (self.since is None or entry.time >= self.since)
            and (self.until is None or entry.time < self.until)
        )


@dataclass(frozen=True, slots=True)
class FoundEntry:
    """An entry found, with the erasure entry that erased its change, if one did."""

    item: LogEntry
    erased_by: AuditEntry | None


@dataclass(frozen=True, slots=True)
class EntrySearch:
    """A page of a search, oldest first; ``next_start`` goes on (None: the log ends)."""

    items: list[FoundEntry]
    start: int
    next_start: int | None


async def search_entries(
    filters: EntryFilters, *, start: int, limit: int, actor: Actor
) -> EntrySearch:
    """Up to ``limit`` entries from index ``start`` on that pass ``filters``.

    Subject and actor are looked up in the log's index; action and time are checked entry by
    entry, at most ``SCAN_LIMIT`` of them per page (entries are appended in time order as a
    rule, but a clock is no proof, so time is not used to skip).

    Raises:
        PermissionDeniedError: unless the actor may read the audit log.
        SealedRequestError: the subject is a sealed request the actor may not read.
        AuditRangeError: for a start or limit out of bounds.
    """
    found: list[LogEntry] = []
    position, scanned = start, 0
    next_start: int | None = None
    while True:
        page = await audit_log.read_entries(
            position,
            None,
            subject=filters.subject,
            actor_ref=filters.actor_ref,
            limit=MAX_PAGE,
            actor=actor,
        )
        for item in page:
            position = item.entry.index + 1
            if filters.keeps(item.entry):
                found.append(item)
                if len(found) == limit:
                    break
        scanned += len(page)
        if len(found) == limit or (len(page) == MAX_PAGE and scanned >= SCAN_LIMIT):
            next_start = position
            break
        if len(page) < MAX_PAGE:
            break
    erasures = await erasure_store.erasures_of([item.entry.index for item in found])
    return EntrySearch(
        [FoundEntry(item, erasures.get(item.entry.index)) for item in found], start, next_start
    )


@dataclass(frozen=True, slots=True)
class BundleDownload:
    """The export bundle of the log up to one signed checkpoint, as a ZIP archive."""

    folder: str
    """The archive's one folder: ``docket-audit-<tree size>``."""
    tree_size: int
    chunks: AsyncIterator[bytes]


async def bundle_download(
    tree_size: int | None, *, signer: Signer, origin: str, actor: Actor, now: datetime
) -> BundleDownload:
    """The bundle that ``docket audit export`` writes, up to the checkpoint of ``tree_size``.

    Without ``tree_size``, a checkpoint is signed first if the log grew (as the export does),
    and the bundle ends at it. The archive is read from one snapshot while it is sent.

    Raises:
        PermissionDeniedError: unless the actor may read the audit log.
        NotFoundError: no checkpoint was signed at ``tree_size``.
    """
    require(actor.role, Permission.AUDIT_READ)
    if tree_size is None:
        tree_size = (await signed_checkpoint(signer, origin, actor=actor, now=now)).size
    elif await checkpoint_store.checkpoint_at(tree_size) is None:
        raise NotFoundError("signed checkpoint of size", str(tree_size))
    folder = f"{BUNDLE_PREFIX}{tree_size}"
    return BundleDownload(folder, tree_size, export.stream_bundle(folder, tree_size))
