"""Bodies of the audit log endpoints (msgspec Structs with OpenAPI examples)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from domain.audit_log import LogEntry, VerifierKey

HEX = msgspec.Meta(examples=["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"])


class ErasureRead(msgspec.Struct, kw_only=True):
    """Which earlier entry's change this entry erased, and why."""

    index: int
    reason: str


class EntryRead(msgspec.Struct, kw_only=True):
    """An audit entry: ``leaf`` is the exact leaf bytes (RFC 8785 JSON) as UTF-8 text."""

    index: Annotated[int, msgspec.Meta(examples=[0])]
    leaf: str
    leaf_hash: Annotated[str, HEX]
    time: datetime
    actor_id: Annotated[str, msgspec.Meta(examples=["user:6f1c2a3b-…"])]
    actor_role: Annotated[str, msgspec.Meta(examples=["admin"])]
    action: Annotated[str, msgspec.Meta(examples=["user.created"])]
    subject_type: Annotated[str, msgspec.Meta(examples=["user"])]
    subject_id: str
    correlation_id: str
    commitment: Annotated[str, HEX]
    erasure: ErasureRead | None

    @classmethod
    def from_domain(cls, item: LogEntry) -> EntryRead:
        """Shape a ``LogEntry``."""
        e = item.entry
        return cls(
            index=e.index,
            leaf=item.leaf.decode(),
            leaf_hash=item.leaf_hash.hex(),
            time=e.time,
            actor_id=e.actor_id,
            actor_role=e.actor_role,
            action=e.action,
            subject_type=e.subject_type,
            subject_id=e.subject_id,
            correlation_id=e.correlation_id,
            commitment=e.commitment.hex(),
            erasure=None
            if e.erasure is None
            else ErasureRead(index=e.erasure.index, reason=e.erasure.reason),
        )


class EntryPage(msgspec.Struct, kw_only=True):
    """A page of entries; ``next_start`` continues it (null at the end)."""

    entries: list[EntryRead]
    next_start: int | None


class KeyRead(msgspec.Struct, kw_only=True):
    """A verifier key of the log (golang.org/x/mod/sumdb/note text form)."""

    vkey: Annotated[str, msgspec.Meta(examples=["docket.example/docket-audit+1a2b3c4d+AQ…"])]
    key_id: Annotated[str, msgspec.Meta(examples=["1a2b3c4d"])]
    created_at: datetime
    retired_at: datetime | None

    @classmethod
    def from_domain(cls, key: VerifierKey) -> KeyRead:
        """Shape a ``VerifierKey``."""
        return msgspec.convert(key, cls, from_attributes=True)


class KeyList(msgspec.Struct, kw_only=True):
    """Every verifier key the log has had, oldest first."""

    keys: list[KeyRead]


class InclusionProofRead(msgspec.Struct, kw_only=True):
    """RFC 9162 §2.1.3 inclusion proof."""

    index: int
    tree_size: int
    proof: list[Annotated[str, HEX]]


class ConsistencyProofRead(msgspec.Struct, kw_only=True):
    """RFC 9162 §2.1.4 consistency proof."""

    first: int
    second: int
    proof: list[Annotated[str, HEX]]


class EraseRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Why the stored change of an entry is erased (a retention limit, a court order, …)."""

    reason: Annotated[
        str,
        msgspec.Meta(examples=["GDPR Art 17 request, ticket 4711"], min_length=1, max_length=500),
    ]


class ErasureDone(msgspec.Struct, kw_only=True):
    """The erasure, itself logged as entry ``erasure_index``."""

    erased_index: int
    erasure_index: int
