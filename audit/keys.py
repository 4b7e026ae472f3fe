"""The log's Ed25519 signing key: a note signer key in a file, its verifier keys in the database.

The private key never enters the database. It is read from a file the operator names
(`DOCKET_AUDIT_KEY_FILE`) or generated on first run into `<data dir>/audit_key`, mode 0600,
created atomically so that two processes starting together agree on one key; never generated
for a log that already has checkpoints (that takes a rotation, `new_signer`). The file holds
the signer key text of `audit.note` (`PRIVATE+KEY+<name>+<key ID>+<base64>`); the key's
name is the log's origin. Registering a new verifier key retires the previous one; retired
keys stay listed, so checkpoints they signed stay verifiable.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from audit.errors import KeyFileError, KeyMissingError, MalformedKeyError, SigningKeyError
from audit.note import Signer, Verifier, generate_key, is_valid_name
from audit.store import lock_log
from audit.tables import AuditSigningKeyTable

KEY_FILE_NAME: Final = "audit_key"


@dataclass(frozen=True, slots=True, kw_only=True)
class VerifierKey:
    """A verifier key of the log, with its key ID (8 hex digits) and when it served."""

    vkey: str
    key_id: str
    created_at: datetime
    retired_at: datetime | None = None


def read_signer(path: Path, origin: str) -> Signer:
    """The signer key in `path`, whose name must be `origin`.

    Raises:
        KeyFileError: if the file cannot be read, does not hold a signer key, or names
            another log.
    """
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(str(path), f"cannot be read ({type(exc).__name__})") from None
    try:
        signer = Signer.from_key(text)
    except MalformedKeyError as exc:
        raise KeyFileError(str(path), exc.reason) from None
    if signer.name != origin:
        raise KeyFileError(str(path), f"key name {signer.name!r} is not the origin {origin!r}")
    return signer


def _write_key_file(path: Path, origin: str, *, replace: bool) -> None:
    """Write a new signer key to `path`: unless another process got there first, or replacing."""
    if not is_valid_name(origin):
        raise KeyFileError(str(path), f"origin {origin!r} is not a valid key name")
    skey, _ = generate_key(origin)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(skey + "\n")
            out.flush()
            os.fsync(out.fileno())
        try:
            if replace:
                os.replace(tmp, path)
            else:
                os.link(tmp, path)  # fails if another process won the race; then we read theirs
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise KeyFileError(str(path), f"cannot be created ({exc.strerror})") from None


def load_signer(
    origin: str, *, key_file: Path | None, data_dir: Path, signed_by: str | None = None
) -> Signer:
    """The log's signer: from `key_file` if given, else `<data_dir>/audit_key`.

    The key file in the data dir is generated if absent, unless `signed_by` names the key that
    signed the log's latest checkpoint: a log that has been signed never gets a new key silently.

    Raises:
        KeyFileError: see `read_signer`; also if the key file cannot be created.
        KeyMissingError: no key file, and the log was signed by key `signed_by`.
    """
    if key_file is not None:
        return read_signer(key_file, origin)
    path = data_dir / KEY_FILE_NAME
    if not path.exists():
        if signed_by is not None:
            raise KeyMissingError(str(path), signed_by)
        _write_key_file(path, origin, replace=False)
    return read_signer(path, origin)


def new_signer(origin: str, *, key_file: Path | None, data_dir: Path) -> Signer:
    """Replace the key file (`key_file`, else `<data_dir>/audit_key`) by a new key; return it.

    The new key takes over at the next checkpoint, which retires the previous one.

    Raises:
        KeyFileError: the file cannot be written.
    """
    path = key_file if key_file is not None else data_dir / KEY_FILE_NAME
    _write_key_file(path, origin, replace=True)
    return read_signer(path, origin)


def _aware(value: object) -> datetime:
    """Timestamps come back naive from SQLite and aware from PostgreSQL; both are UTC."""
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}")
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _from_row(row: Mapping[str, object]) -> VerifierKey:
    retired = row["retired_at"]
    return VerifierKey(
        vkey=str(row["vkey"]),
        key_id=str(row["key_id"]),
        created_at=_aware(row["created_at"]),
        retired_at=None if retired is None else _aware(retired),
    )


_COLUMNS: Final = (
    AuditSigningKeyTable.vkey,
    AuditSigningKeyTable.key_id,
    AuditSigningKeyTable.created_at,
    AuditSigningKeyTable.retired_at,
)


async def register_key(vkey: str, *, now: datetime) -> VerifierKey:
    """Record `vkey` as the log's active verifier key, retiring the previous one.

    Registering the active key again changes nothing (call it at every start-up). Runs in
    the caller's write transaction, under the log's lock.

    Raises:
        MalformedKeyError: if `vkey` is not a verifier key.
        SigningKeyError: if `vkey` was retired: a retired key never signs again.
        NotInTransactionError: see `audit.store.lock_log`.
    """
    verifier = Verifier.from_key(vkey)
    vkey = verifier.key()
    await lock_log()
    row = (
        await AuditSigningKeyTable.select(*_COLUMNS)
        .where(AuditSigningKeyTable.vkey == vkey)
        .first()
    )
    if row is not None:
        if row["retired_at"] is not None:
            raise SigningKeyError(vkey, "retired; a retired key cannot be registered again")
        return _from_row(row)
    now = now.astimezone(UTC)
    await AuditSigningKeyTable.update({AuditSigningKeyTable.retired_at: now}).where(
        AuditSigningKeyTable.retired_at.is_null()
    )
    key = VerifierKey(vkey=vkey, key_id=f"{verifier.key_id:08x}", created_at=now)
    await AuditSigningKeyTable.insert(
        AuditSigningKeyTable(vkey=key.vkey, key_id=key.key_id, created_at=key.created_at)
    )
    return key


async def verifier_keys() -> list[VerifierKey]:
    """Every verifier key the log has had, oldest first; the last one unretired is active."""
    rows = await AuditSigningKeyTable.select(*_COLUMNS).order_by(
        AuditSigningKeyTable._meta.primary_key
    )
    return [_from_row(row) for row in rows]
