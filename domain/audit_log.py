"""Use cases on the audit log: read it, prove it, sign checkpoints, erase a change lawfully."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from uuid import UUID

from audit import checkpoint_store, export, keys, origin_store, store, tile_store
from audit.entry import AuditEntry, leaf_bytes
from audit.errors import (
    AuditError,
    ChangeAlreadyErasedError,
    EntryNotFoundError,
    InvalidEntryError,
    InvalidRangeError,
    KeyFileError,
    KeyMissingError,
    OriginMismatchError,
    TileError,
    TileNotFoundError,
    TreeSizeError,
)
from audit.keys import VerifierKey
from audit.note import Signer
from audit.tiles import parse_tile_path
from audit.verify import VerifyReport, verify_bundle
from domain.requests import queries as requests_queries
from domain.requests.errors import RequestNotFoundError
from domain.shared import audit_trail
from domain.shared.database import write_transaction
from domain.shared.errors import (
    AuditRangeError,
    ValidationError,
)
from domain.shared.model import Actor
from domain.shared.permissions import Permission, require

__all__ = [  # the audit core's errors that reach the edge, re-exported for api/ to map
    "AuditError",
    "ChangeAlreadyErasedError",
    "EntryNotFoundError",
    "KeyFileError",
    "KeyMissingError",
    "LogEntry",
    "OriginMismatchError",
    "Signer",
    "TileError",
    "TileNotFoundError",
    "VerifierKey",
    "VerifyReport",
    "verify_bundle",
]


@dataclass(frozen=True, slots=True)
class LogEntry:
    """An entry as served to auditors: the exact leaf bytes, their hash, the parsed fields."""

    entry: AuditEntry
    leaf: bytes
    leaf_hash: bytes


@dataclass(frozen=True, slots=True)
class LogIdentity:
    """The log's origin, stored in the database, and the key that signs its checkpoints."""

    origin: str
    signer: Signer


async def open_log(
    proposed_origin: str, *, configured: bool, key_file: Path | None, data_dir: Path, now: datetime
) -> LogIdentity:
    """The log's origin (stored at the first opening) and its signer, checked at start-up.

    ``proposed_origin`` is stored when the log has none yet; ``configured`` says the operator
    set it, so it must then be the log's. A key is generated into ``data_dir`` only for a log
    that has no checkpoint yet.

    Raises:
        OriginMismatchError: a configured origin that is not the log's.
        KeyMissingError: no key file, and the log has checkpoints signed by a key.
        KeyFileError: the key file cannot be read or names another origin.
    """
    async with write_transaction():
        origin = await origin_store.settle_origin(proposed_origin, configured=configured, now=now)
    signed_by = await origin_store.latest_signing_key_id()
    signer = keys.load_signer(origin, key_file=key_file, data_dir=data_dir, signed_by=signed_by)
    return LogIdentity(origin, signer)


async def rotate_key(
    proposed_origin: str, *, configured: bool, key_file: Path | None, data_dir: Path, now: datetime
) -> LogIdentity:
    """Write a new signer key over the key file and sign a checkpoint with it.

    The checkpoint registers the new key and retires the previous one; checkpoints it signed
    stay verifiable with its verifier key.

    Raises:
        OriginMismatchError: a configured origin that is not the log's.
        KeyFileError: the key file cannot be written.
    """
    async with write_transaction():
        origin = await origin_store.settle_origin(proposed_origin, configured=configured, now=now)
    signer = keys.new_signer(origin, key_file=key_file, data_dir=data_dir)
    await sign_checkpoint(signer, origin, now=now)
    return LogIdentity(origin, signer)


async def sign_checkpoint(signer: Signer, origin: str, *, now: datetime) -> bytes | None:
    """Sign a new checkpoint if the log grew since the last one; return it (None if not).

    The signer's verifier key is registered first (a new key retires the previous one), in
    the same transaction, so a rotated key takes over at its first checkpoint.
    """
    async with write_transaction():
        await keys.register_key(signer.verifier().key(), now=now)
        return await checkpoint_store.sign_checkpoint_if_grown(signer, origin, now=now)


async def current_checkpoint(signer: Signer, origin: str, *, actor: Actor, now: datetime) -> bytes:
    """The latest signed checkpoint, signing a new one first if the log has grown.

    Raises:
        PermissionDeniedError: unless the actor may read the audit log.
    """
    require(actor.role, Permission.AUDIT_READ)
    await sign_checkpoint(signer, origin, now=now)
    note = await checkpoint_store.latest_checkpoint()
    assert note is not None  # noqa: S101 - sign_checkpoint_if_grown signs even an empty log
    return note


async def latest_checkpoint(*, actor: Actor) -> bytes | None:
    """The latest signed checkpoint as stored (tile clients read this one)."""
    require(actor.role, Permission.AUDIT_READ)
    return await checkpoint_store.latest_checkpoint()


async def verifier_keys(*, actor: Actor) -> list[VerifierKey]:
    """Every verifier key the log has had, oldest first."""
    require(actor.role, Permission.AUDIT_READ)
    return await keys.verifier_keys()


async def read_entries(
    start: int,
    end: int | None,
    *,
    subject: tuple[str, str] | None,
    actor_ref: str | None,
    limit: int,
    actor: Actor,
) -> list[LogEntry]:
    """Entries with start <= index < end, filtered by subject or actor, oldest first.

    Raises:
        PermissionDeniedError: unless the actor may read the audit log.
        SealedRequestError: the subject is a sealed request the actor may not read.
        AuditRangeError: for a range or limit out of bounds.
    """
    require(actor.role, Permission.AUDIT_READ)
    await _check_subject(subject, actor)
    try:
        found = await store.entries(start, end, subject=subject, actor=actor_ref, limit=limit)
    except InvalidRangeError as exc:
        raise AuditRangeError(str(exc)) from None
    result = []
    for entry in found:
        leaf = leaf_bytes(entry)
        result.append(LogEntry(entry, leaf, hashlib.sha256(b"\x00" + leaf).digest()))
    return result


async def _check_subject(subject: tuple[str, str] | None, actor: Actor) -> None:
    """Refuse one request's entries to whoever may not read that request (a sealed one).

    The leaves themselves (ids, actions, times; no content) stay readable to auditors page by
    page, as verifying the log needs them; the subject filter is a request's trail, refused
    as its page is.
    """
    if subject is None or subject[0] != "request":
        return
    try:
        request_id = UUID(subject[1])
    except ValueError:
        return  # no request has such an id: the filter finds nothing
    try:
        await requests_queries.readable_request(request_id, actor=actor)
    except RequestNotFoundError:
        return


async def inclusion_proof(index: int, tree_size: int, *, actor: Actor) -> list[bytes]:
    """RFC 9162 inclusion proof of entry ``index`` in the tree of ``tree_size`` entries.

    Raises:
        AuditRangeError: unless 0 <= index < tree_size <= the log's size.
    """
    require(actor.role, Permission.AUDIT_READ)
    try:
        return await store.inclusion_proof(index, tree_size)
    except (TreeSizeError, EntryNotFoundError) as exc:
        raise AuditRangeError(str(exc)) from None


async def consistency_proof(first: int, second: int, *, actor: Actor) -> list[bytes]:
    """RFC 9162 consistency proof between tree sizes ``first`` and ``second``.

    Raises:
        AuditRangeError: unless 0 <= first <= second <= the log's size.
    """
    require(actor.role, Permission.AUDIT_READ)
    try:
        return await store.consistency_proof(first, second)
    except TreeSizeError as exc:
        raise AuditRangeError(str(exc)) from None


async def read_tile(path: str, *, actor: Actor) -> bytes:
    """A C2SP tlog-tiles resource: ``tile/<L>/<N>[.p/<W>]`` or ``tile/entries/<N>[.p/<W>]``.

    Raises:
        TileError: for a malformed path.
        TileNotFoundError: for a tile the log does not hold yet.
    """
    require(actor.role, Permission.AUDIT_READ)
    tile, is_entries = parse_tile_path(path)
    width = None if tile.full else tile.width
    if is_entries:
        return await tile_store.entry_bundle(tile.index, width)
    return await tile_store.read_tile(tile.level, tile.index, width)


async def erase_change(index: int, *, reason: str, actor: Actor, now: datetime) -> int:
    """Erase the stored change of entry ``index`` (a lawful erasure); return the erasure's index.

    Raises:
        PermissionDeniedError: unless the actor may erase (admins).
        ValidationError: an empty reason.
        EntryNotFoundError: no such entry.
        ChangeAlreadyErasedError: erased before.
    """
    require(actor.role, Permission.AUDIT_ERASE)
    if not reason.strip():
        raise ValidationError("reason", "must say why the change is erased")
    try:
        async with write_transaction():
            return await store.erase_change(
                index,
                reason=reason.strip(),
                actor_id=audit_trail.actor_ref(actor),
                time=now,
                correlation_id=audit_trail.correlation_id.get() or "none",
            )
    except InvalidEntryError as exc:
        raise ValidationError("reason", str(exc)) from None


async def export_bundle(
    directory: Path, *, progress: Callable[[int, int], None] | None = None
) -> int:
    """Write the offline-verifiable bundle into ``directory``; return the entries written."""
    return await export.export_bundle(directory, progress=progress)
