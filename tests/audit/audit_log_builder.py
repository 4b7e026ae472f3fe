"""A small signed audit log built in memory the way the storage layer will build it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from audit.checkpoint import Checkpoint, sign_checkpoint
from audit.entry import (
    ERASURE_ACTION,
    ERASURE_SUBJECT,
    AuditEntry,
    ChangeRecord,
    Erasure,
    commit_change,
    leaf_bytes,
    make_change,
)
from audit.merkle import MemoryTree, hash_leaf
from audit.note import Signer, generate_key

T0 = datetime(2026, 5, 9, 7, 35, 25, tzinfo=UTC)
ORIGIN = "docket.example/audit"


def make_signer(name: str = ORIGIN, seed_byte: int = 7) -> Signer:
    skey, _ = generate_key(name, bytes([seed_byte]) * 32)
    return Signer.from_key(skey)


@dataclass
class Log:
    """A log built in memory the way the storage layer will: leaves, changes, checkpoints."""

    signer: Signer = field(default_factory=make_signer)
    leaves: list[bytes] = field(default_factory=list)
    changes: dict[int, ChangeRecord] = field(default_factory=dict)
    checkpoints: list[bytes] = field(default_factory=list)
    tree: MemoryTree = field(default_factory=MemoryTree)

    @property
    def vkey(self) -> str:
        return self.signer.verifier().key()

    def append(self, action: str = "request.clock_paused", **kw: Any) -> AuditEntry:
        index = len(self.leaves)
        salt = bytes([index % 256]) * 32
        change = make_change({"state": "running", "n": index}, {"state": "paused", "by": "ü"})
        entry = AuditEntry(
            index=index,
            time=T0 + timedelta(hours=index),
            actor_id=kw.pop("actor_id", f"u-{index % 7}"),
            actor_role=kw.pop("actor_role", "specialist"),
            action=action,
            subject_type=kw.pop("subject_type", "request"),
            subject_id=kw.pop("subject_id", f"R-{index // 3}"),
            correlation_id=f"req-{index:06d}",
            commitment=commit_change(change, salt),
            **kw,
        )
        self.leaves.append(leaf_bytes(entry))
        self.changes[index] = ChangeRecord.of(index, salt, change)
        self.tree.append(hash_leaf(self.leaves[-1]))
        return entry

    def erase(self, erased: int, reason: str = "retention limit") -> AuditEntry:
        entry = self.append(
            ERASURE_ACTION,
            actor_role="admin",
            subject_type=ERASURE_SUBJECT,
            subject_id=str(erased),
            erasure=Erasure(index=erased, reason=reason),
        )
        self.changes.pop(erased, None)
        return entry

    def checkpoint(self, signer: Signer | None = None) -> bytes:
        cp = Checkpoint(ORIGIN, self.tree.size, self.tree.root())
        note = sign_checkpoint(cp, [signer or self.signer])
        self.checkpoints.append(note)
        return note


def build_log(n: int = 300, checkpoints: tuple[int, ...] = (50, 128, 200, 256, 300)) -> Log:
    """300 entries, erasures of entries 20 and 160 (by 120 and 260), five checkpoints."""
    log = Log()
    while len(log.leaves) < n:
        size = len(log.leaves)
        if size in (120, 260):
            log.erase(size - 100, reason=f"court order #{size}")
        else:
            log.append()
        if len(log.leaves) in checkpoints:
            log.checkpoint()
    return log
