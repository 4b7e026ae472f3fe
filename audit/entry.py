"""Audit entries: the RFC 8785 leaf, its strict parser, and the salted change commitment.

Leaf (RFC 8785 canonical JSON, keys sorted, no whitespace; `erasure` only on erasures):

    {"action":"request.clock_paused","actor":{"id":"…","role":"…"},"commitment":"<64 hex>",
     "correlation_id":"…","erasure":{"index":7,"reason":"…"},"index":12,
     "subject":{"id":"…","type":"…"},"time":"2026-05-09T07:35:25.000000Z","v":1}

Commitment = SHA-256(salt || RFC8785(change)), salt 32 random bytes, change
{"before": …, "after": …}. The change and salt are stored beside the leaf, so erasing them
(an `audit.change_erased` entry by an admin) leaves every leaf, root and proof unchanged.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final, TypeVar

from audit.canonical import JsonValue, NonCanonicalJsonError, canonical_json, parse_canonical
from audit.errors import InvalidEntryError, MalformedLeafError
from audit.merkle import HASH_SIZE

VERSION: Final = 1
SALT_SIZE: Final = 32
ERASURE_ACTION: Final = "audit.change_erased"
ERASURE_SUBJECT: Final = "audit_entry"
ERASER_ROLE: Final = "admin"
MAX_INDEX: Final = 2**53 - 1  # RFC 8785 §3.2.2.3: integers stay within IEEE 754 precision
MAX_REASON: Final = 2000
_ACTION: Final = re.compile(r"[a-z][a-z0-9_]{0,63}\.[a-z][a-z0-9_]{0,63}")  # noun.verb_past
_IDENT: Final = re.compile(r"[!#-\[\]-~]{1,200}")  # printable ASCII, no space, quote, backslash
_TIME: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")
_T = TypeVar("_T")
_KEYS: Final = {"action", "actor", "commitment", "correlation_id", "index", "subject", "time", "v"}

_ID = rb"[!#-\[\]-~]{1,200}"
_STR = rb'(?:[^"\\\x00-\x1f]|\\["\\bfnrt]|\\u00(?:0[0-7bef]|1[0-9a-f]))+'
LEAF_RE: Final = re.compile(
    rb'\{"action":"[a-z][a-z0-9_]{0,63}\.[a-z][a-z0-9_]{0,63}",'
    rb'"actor":\{"id":"' + _ID + rb'","role":"' + _ID + rb'"\},'
    rb'"commitment":"([0-9a-f]{64})","correlation_id":"' + _ID + rb'",'
    rb'(?:"erasure":\{"index":(0|[1-9][0-9]{0,15}),"reason":"' + _STR + rb'"\},)?'
    rb'"index":(0|[1-9][0-9]{0,15}),"subject":\{"id":"' + _ID + rb'","type":"' + _ID + rb'"\},'
    rb'"time":"([0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01]))'
    rb'T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{6}Z","v":1\}'
)
"""Fast shape check for verifiers; groups: commitment hex, erased index (or None), index,
date. Every leaf that `parse_leaf` accepts matches. A match without an erased index whose
date is a real calendar date is accepted by `parse_leaf`; erasure leaves must still go
through `parse_leaf` (role, subject and reason rules)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Erasure:
    """What an `audit.change_erased` entry erases: an earlier entry's change, and why."""

    index: int
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEntry:
    """One audit log entry, the part that becomes a Merkle leaf."""

    index: int
    time: datetime
    actor_id: str
    actor_role: str
    action: str
    subject_type: str
    subject_id: str
    correlation_id: str
    commitment: bytes
    erasure: Erasure | None = None

    def __post_init__(self) -> None:
        """Check the schema; raises InvalidEntryError."""
        if type(self.index) is not int or not 0 <= self.index <= MAX_INDEX:
            raise InvalidEntryError("index", f"must be in 0..{MAX_INDEX}")
        if self.time.tzinfo is None:
            raise InvalidEntryError("time", "must be timezone-aware")
        if not _ACTION.fullmatch(self.action):
            raise InvalidEntryError("action", "must look like noun.verb_past")
        for name in ("actor_id", "actor_role", "subject_type", "subject_id", "correlation_id"):
            if not _IDENT.fullmatch(getattr(self, name)):
                raise InvalidEntryError(name, "must be 1-200 printable ASCII, no space or quote")
        if len(self.commitment) != HASH_SIZE:
            raise InvalidEntryError("commitment", "must be 32 bytes")
        if (self.action == ERASURE_ACTION) != (self.erasure is not None):
            raise InvalidEntryError("erasure", f"present exactly when action is {ERASURE_ACTION}")
        if self.erasure is not None:
            _check_erasure(self, self.erasure)


def _check_erasure(entry: AuditEntry, erasure: Erasure) -> None:
    if type(erasure.index) is not int or not 0 <= erasure.index < entry.index:
        raise InvalidEntryError("erasure", "must name an earlier entry")
    if not isinstance(erasure.reason, str) or not 0 < len(erasure.reason) <= MAX_REASON:
        raise InvalidEntryError("erasure", f"reason must have 1-{MAX_REASON} characters")
    if entry.actor_role != ERASER_ROLE:
        raise InvalidEntryError("actor_role", f"only {ERASER_ROLE!r} may erase a change")
    if (entry.subject_type, entry.subject_id) != (ERASURE_SUBJECT, str(erasure.index)):
        raise InvalidEntryError("subject", f"must be {ERASURE_SUBJECT} {erasure.index}")


def format_time(time: datetime) -> str:
    """RFC 3339 UTC with exactly six fraction digits, e.g. `2026-05-09T07:35:25.000000Z`."""
    t = time.astimezone(UTC)
    return (
        f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}"
        f".{t.microsecond:06d}Z"
    )


def _to_json(entry: AuditEntry) -> dict[str, JsonValue]:
    obj: dict[str, JsonValue] = {
        "action": entry.action,
        "actor": {"id": entry.actor_id, "role": entry.actor_role},
        "commitment": entry.commitment.hex(),
        "correlation_id": entry.correlation_id,
        "index": entry.index,
        "subject": {"id": entry.subject_id, "type": entry.subject_type},
        "time": format_time(entry.time),
        "v": VERSION,
    }
    if entry.erasure is not None:
        obj["erasure"] = {"index": entry.erasure.index, "reason": entry.erasure.reason}
    return obj


def leaf_bytes(entry: AuditEntry) -> bytes:
    """The Merkle leaf of `entry`: its RFC 8785 canonical JSON."""
    return canonical_json(_to_json(entry))


def _member(obj: JsonValue, key: str, kind: type[_T]) -> _T:
    value = obj.get(key) if isinstance(obj, dict) else None
    if type(value) is not kind:  # exact type: a bool is not an index
        raise MalformedLeafError(f"{key!r} must be a {kind.__name__}")
    return value


def _object(obj: JsonValue, key: str, keys: set[str]) -> dict[str, JsonValue]:
    value = _member(obj, key, dict)
    if set(value) != keys:
        raise MalformedLeafError(f"{key!r} must have exactly the members {sorted(keys)}")
    return value


def _from_json(obj: JsonValue) -> AuditEntry:
    if not isinstance(obj, dict) or set(obj) - {"erasure"} != _KEYS or obj["v"] != VERSION:
        raise MalformedLeafError("unexpected members or version")
    actor = _object(obj, "actor", {"id", "role"})
    subject = _object(obj, "subject", {"id", "type"})
    time, commitment = _member(obj, "time", str), _member(obj, "commitment", str)
    if not re.fullmatch(r"[0-9a-f]{64}", commitment) or not _TIME.fullmatch(time):
        raise MalformedLeafError("commitment or time not in their canonical form")
    erasure = None
    if "erasure" in obj:
        erased = _object(obj, "erasure", {"index", "reason"})
        erasure = Erasure(
            index=_member(erased, "index", int), reason=_member(erased, "reason", str)
        )
    return AuditEntry(
        index=_member(obj, "index", int),
        time=datetime.fromisoformat(time),
        actor_id=_member(actor, "id", str),
        actor_role=_member(actor, "role", str),
        action=_member(obj, "action", str),
        subject_type=_member(subject, "type", str),
        subject_id=_member(subject, "id", str),
        correlation_id=_member(obj, "correlation_id", str),
        commitment=bytes.fromhex(commitment),
        erasure=erasure,
    )


def parse_leaf(data: bytes) -> AuditEntry:
    """Parse a leaf, accepting only the exact bytes `leaf_bytes` would produce.

    Raises:
        MalformedLeafError: for non-canonical JSON, unknown or missing members, wrong types,
            or a field that breaks the entry schema.
    """
    try:
        entry = _from_json(parse_canonical(data))
    except MalformedLeafError:
        raise
    except NonCanonicalJsonError as exc:
        raise MalformedLeafError(exc.reason) from None
    except (InvalidEntryError, TypeError, ValueError) as exc:
        raise MalformedLeafError(str(exc)) from None
    if leaf_bytes(entry) != data:
        raise MalformedLeafError("does not round-trip (types or time format)")
    return entry


def commit_change(change: JsonValue, salt: bytes) -> bytes:
    """SHA-256(salt || RFC8785(change)): the salted commitment stored in the leaf.

    Raises:
        ValueError: unless salt is 32 bytes; NonCanonicalJsonError for unserializable changes.
    """
    if len(salt) != SALT_SIZE:
        raise ValueError(f"salt must be {SALT_SIZE} bytes")
    return hashlib.sha256(salt + canonical_json(change)).digest()


def make_change(before: JsonValue, after: JsonValue) -> dict[str, JsonValue]:
    """The change object `{"before": …, "after": …}` that a commitment covers."""
    return {"after": after, "before": before}


def new_salt() -> bytes:
    """32 random bytes for `commit_change` (the only source of randomness here)."""
    return secrets.token_bytes(SALT_SIZE)


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    """A change stored beside its leaf: entry index, salt, and the change's RFC 8785 bytes."""

    index: int
    salt: bytes
    change_json: bytes

    @classmethod
    def of(cls, index: int, salt: bytes, change: JsonValue) -> ChangeRecord:
        """Canonicalize `change` (RFC 8785) into a record."""
        return cls(index, salt, canonical_json(change))

    def change(self) -> JsonValue:
        """The change itself.

        Raises:
            NonCanonicalJsonError: if `change_json` is not canonical JSON.
        """
        return parse_canonical(self.change_json)

    def commitment(self) -> bytes:
        """SHA-256(salt || change_json), to compare with the leaf's commitment."""
        return hashlib.sha256(self.salt + self.change_json).digest()
