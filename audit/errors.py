"""Typed errors of the audit core; each carries the evidence that makes it true."""

from __future__ import annotations


class AuditError(Exception):
    """Base of every error raised by the audit core."""


# ------------------------------------------------------------------ formats


class MalformedLeafError(AuditError, ValueError):
    """Bytes that are not the canonical RFC 8785 serialization of an audit entry."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"malformed audit leaf: {reason}")


class InvalidEntryError(AuditError, ValueError):
    """An audit entry whose fields break the entry schema."""

    def __init__(self, field: str, reason: str) -> None:
        self.field, self.reason = field, reason
        super().__init__(f"invalid audit entry field {field!r}: {reason}")


class MalformedNoteError(AuditError, ValueError):
    """Text that is not a well-formed C2SP signed note."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"malformed note: {reason}")


class MalformedKeyError(AuditError, ValueError):
    """A signer or verifier key string that does not parse, or whose key ID is wrong."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"malformed key: {reason}")


class MalformedCheckpointError(AuditError, ValueError):
    """A note text that is not a C2SP tlog-checkpoint body."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"malformed checkpoint: {reason}")


class TileError(AuditError, ValueError):
    """A tile path, tile body or entry bundle that breaks C2SP tlog-tiles."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"tile error: {reason}")


# ------------------------------------------------------------------ signatures


class NoteSignatureError(AuditError):
    """Base of the signature failures of a signed note."""


class InvalidSignatureError(NoteSignatureError):
    """A signature by a known key that does not verify."""

    def __init__(self, name: str, key_id: int) -> None:
        self.name, self.key_id = name, key_id
        super().__init__(f"invalid signature for key {name}+{key_id:08x}")


class UnverifiedNoteError(NoteSignatureError):
    """A well-formed note that carries no signature by any known key."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        super().__init__(f"note has no verifiable signatures (signed by: {', '.join(names)})")


class AmbiguousKeyError(NoteSignatureError):
    """Two known verifiers share a name and key ID."""

    def __init__(self, name: str, key_id: int) -> None:
        self.name, self.key_id = name, key_id
        super().__init__(f"ambiguous key {name}+{key_id:08x}")


# ------------------------------------------------------------------ proofs


class ProofError(AuditError):
    """Base of the Merkle proof failures (RFC 9162 §2.1.3, §2.1.4)."""


class ProofShapeError(ProofError):
    """A proof request or proof that is impossible for the given sizes."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"bad proof: {reason}")


class RootMismatchError(ProofError):
    """A proof that leads to another root than the one expected."""

    def __init__(self, expected: bytes, calculated: bytes) -> None:
        self.expected, self.calculated = expected, calculated
        super().__init__(f"calculated root {calculated.hex()} != expected root {expected.hex()}")


# ------------------------------------------------------------------ bundle verification


class VerificationError(AuditError):
    """Base of the failures an export bundle verification reports."""


class BundleFormatError(VerificationError):
    """A bundle file that is missing or not in the bundle format."""

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        self.file, self.line, self.reason = file, line, reason
        where = file if line is None else f"{file} line {line}"
        super().__init__(f"{where}: {reason}")


class EntryMismatchError(VerificationError):
    """An entry (or its change) that is not what the log committed to."""

    def __init__(self, index: int, reason: str) -> None:
        self.index, self.reason = index, reason
        super().__init__(f"entry {index}: {reason}")


class ChangeMismatchError(EntryMismatchError):
    """A change that does not match the salted commitment in its leaf."""


class RedactionError(EntryMismatchError):
    """An erasure entry that names an index it cannot erase, or was not carried out."""

    def __init__(self, index: int, erased_index: int, reason: str) -> None:
        self.erased_index = erased_index
        super().__init__(index, f"erasure of entry {erased_index}: {reason}")


class CheckpointError(VerificationError):
    """Base of checkpoint failures; `position` is 0-based in checkpoints.txt, -1 if trusted."""

    def __init__(self, position: int, message: str) -> None:
        self.position = position
        label = "trusted checkpoint" if position < 0 else f"checkpoint #{position}"
        super().__init__(f"{label}: {message}")


class CheckpointFormatError(CheckpointError):
    """A checkpoint that does not parse, or names another log."""

    def __init__(self, position: int, reason: str) -> None:
        self.reason = reason
        super().__init__(position, reason)


class CheckpointSignatureError(CheckpointError):
    """A checkpoint without a valid signature by one of the auditor's keys."""

    def __init__(self, position: int, reason: str) -> None:
        self.reason = reason
        super().__init__(position, f"signature does not verify: {reason}")


class CheckpointRootMismatchError(CheckpointError):
    """A signed root that differs from the root recomputed from the entries."""

    def __init__(self, position: int, size: int, expected: bytes, got: bytes) -> None:
        self.size, self.expected, self.got = size, expected, got
        super().__init__(
            position, f"signed root at size {size} is {expected.hex()}, entries give {got.hex()}"
        )


class CheckpointOrderError(CheckpointError):
    """A checkpoint smaller than one listed before it: a log never shrinks."""

    def __init__(self, position: int, size: int, previous_size: int) -> None:
        self.size, self.previous_size = size, previous_size
        super().__init__(position, f"size {size} follows a checkpoint of size {previous_size}")


class TruncatedLogError(CheckpointError):
    """A signed checkpoint covers more entries than the bundle holds."""

    def __init__(self, position: int, checkpoint_size: int, entries: int) -> None:
        self.checkpoint_size, self.entries = checkpoint_size, entries
        super().__init__(
            position,
            f"signed size {checkpoint_size} but the bundle holds only {entries} entries",
        )


class UncoveredEntriesError(VerificationError):
    """Entries that no signed checkpoint covers: nothing proves they were logged."""

    def __init__(self, first_index: int, entries: int) -> None:
        self.first_index, self.entries = first_index, entries
        super().__init__(
            f"entries {first_index}..{entries - 1} are not covered by any signed checkpoint"
        )


# ------------------------------------------------------------------ storage


class StoreError(AuditError):
    """Base of the errors of the audit log's storage (`audit.store`, `audit.keys`)."""


class NotInTransactionError(StoreError):
    """A write to the log outside the caller's write transaction."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"audit log writes must run in the caller's transaction: {reason}")


class EntryNotFoundError(StoreError, LookupError):
    """An entry index at or beyond the log's size."""

    def __init__(self, index: int, size: int) -> None:
        self.index, self.size = index, size
        super().__init__(f"no entry {index}: the log holds {size} entries")

    def public_fields(self) -> dict[str, str | int]:
        """The kind and the index asked for."""
        return {"kind": "audit entry", "id": str(self.index)}


class TreeSizeError(StoreError, ValueError):
    """A tree size (or pair of sizes) that the log cannot answer for."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"bad tree size: {reason}")


class InvalidRangeError(StoreError, ValueError):
    """A range of entries, or a page limit, out of bounds."""

    def __init__(self, start: int, end: int | None, limit: int) -> None:
        self.start, self.end, self.limit = start, end, limit
        super().__init__(f"bad range start={start} end={end} limit={limit}")


class ChangeAlreadyErasedError(StoreError):
    """An erasure of a change that an earlier erasure entry already removed."""

    def __init__(self, index: int, erased_by: int) -> None:
        self.index, self.erased_by = index, erased_by
        super().__init__(f"the change of entry {index} was already erased by entry {erased_by}")

    def public_fields(self) -> dict[str, str | int]:
        """The entry and the erasure that removed its change."""
        return {"index": self.index, "erased_by": self.erased_by}


class TileNotFoundError(StoreError, LookupError):
    """A tile or entry bundle the log does not (yet) have at that width."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"no {path} in the log")

    def public_fields(self) -> dict[str, str | int]:
        """The kind and the path asked for."""
        return {"kind": "tile", "id": self.path}


class SigningKeyError(StoreError):
    """A signing key that may not be used: unregistered, retired, or for another log."""

    def __init__(self, key: str, reason: str) -> None:
        self.key, self.reason = key, reason
        super().__init__(f"signing key {key}: {reason}")


class KeyFileError(StoreError):
    """A signing key file that cannot be read, created, or parsed."""

    def __init__(self, path: str, reason: str) -> None:
        self.path, self.reason = path, reason
        super().__init__(f"audit key file {path}: {reason}")


class NoCheckpointError(StoreError):
    """An export asked of a log that has no signed checkpoint yet."""

    def __init__(self) -> None:
        super().__init__("the log has no signed checkpoint; sign one before exporting")


class KeyMissingError(StoreError):
    """No signer key file, while the log has checkpoints signed by a key (a lost or unrestored key).

    Generating a new key here would sign on silently under another key: refused unless the
    operator asks for a rotation.
    """

    def __init__(self, path: str, key_id: str) -> None:
        self.path, self.key_id = path, key_id
        super().__init__(
            f"the audit log's checkpoints are signed by key {key_id}, but there is no key file at"
            f" {path}: restore the key file from your backup (or set DOCKET_AUDIT_KEY_FILE), or"
            " run 'docket audit rotate-key' to sign on with a new key"
        )


class OriginMismatchError(StoreError):
    """A configured origin that is not the one the log stored when it was first opened."""

    def __init__(self, configured: str, stored: str) -> None:
        self.configured, self.stored = configured, stored
        super().__init__(
            f"DOCKET_AUDIT_ORIGIN is {configured!r} but the audit log's origin is {stored!r};"
            " a log keeps its origin: unset DOCKET_AUDIT_ORIGIN or set it to the stored one"
        )
