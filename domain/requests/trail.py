"""A request's audit trail as the people working on it read it: each entry and what it changed.

The audit log's own reads need ``audit.read`` (auditors and admins). Whoever may read a request
may read the entries about it: the request page lists them, and a stale edit shows the entries
written since the version the editor had. The entries come from the log itself (subject
``("request", id)``), with the change each one commits to, so the page shows what was signed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final
from uuid import UUID

from audit import store
from audit.canonical import JsonValue
from audit.entry import AuditEntry
from domain.identity import users
from domain.requests import repo as requests_repo
from domain.requests.sealing import check_readable
from domain.shared.model import Actor
from domain.shared.permissions import Permission, require

SUBJECT_TYPE: Final = "request"
BOOKKEEPING: Final = frozenset({"version", "updated_at"})
"""Fields every change moves; the entry's index and time already say when it happened."""
ITEM_KEYS: Final = ("comment_id", "attachment_id")
"""How an entry names the comment or document it added (``item_id``, not a change)."""


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field an entry changed, as text (None: absent or empty on that side)."""

    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class TrailEntry:
    """One audit log entry about a request."""

    index: int
    time: datetime
    actor_ref: str
    """How the log names the actor: ``user:<uuid>``, ``token:<uuid>``, ``cli:<account>``."""
    actor_name: str
    """The user's name for a user, else ``actor_ref``."""
    actor_role: str
    action: str
    """``request.triaged``, ``request.commented`` …"""
    changes: tuple[FieldChange, ...]
    version: int | None
    """The request's version after this entry; None for entries that leave its fields alone
    (a comment, a document, reminder offsets)."""
    item_id: str | None
    """The comment or attachment the entry added, if it added one."""
    erased: bool
    """Whether the change was lawfully erased (the entry stays; what it changed is gone)."""


async def request_trail(
    request_id: UUID, *, actor: Actor, after_version: int | None = None
) -> list[TrailEntry]:
    """The audit entries about a request, oldest first.

    ``after_version`` keeps only the entries that moved the request past that version: what
    others changed since a reader loaded it.

    Raises:
        PermissionDeniedError: unless the actor may read requests.
        RequestNotFoundError: no such request.
        SealedRequestError: it is sealed and the actor is not among its readers.
    """
    require(actor.role, Permission.REQUESTS_READ)
    check_readable(actor, await requests_repo.get_request(request_id))
    names = {f"user:{c.id}": c.display_name for c in await users.colleagues(actor=actor)}
    entries = await _entries_about(str(request_id))
    records = await store.changes_of([e.index for e in entries])
    found = []
    for entry in entries:
        record = records.get(entry.index)
        change = record.change() if record is not None else None
        before, after = _sides(change)
        version = after.get("version") if after is not None else None
        trail_entry = TrailEntry(
            index=entry.index,
            time=entry.time,
            actor_ref=entry.actor_id,
            actor_name=names.get(entry.actor_id, entry.actor_id),
            actor_role=entry.actor_role,
            action=entry.action,
            changes=_changes(before, after, names),
            version=version if isinstance(version, int) else None,
            item_id=next((str(after[k]) for k in ITEM_KEYS if after and k in after), None),
            erased=record is None,
        )
        if after_version is None or (
            trail_entry.version is not None and trail_entry.version > after_version
        ):
            found.append(trail_entry)
    return found


async def _entries_about(subject_id: str) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    start = 0
    while True:
        page = await store.entries(start, subject=(SUBJECT_TYPE, subject_id), limit=store.MAX_PAGE)
        entries.extend(page)
        if len(page) < store.MAX_PAGE:
            return entries
        start = page[-1].index + 1


def _sides(
    change: JsonValue,
) -> tuple[Mapping[str, JsonValue] | None, Mapping[str, JsonValue] | None]:
    if not isinstance(change, dict):
        return None, None
    before, after = change.get("before"), change.get("after")
    return (
        before if isinstance(before, dict) else None,
        after if isinstance(after, dict) else None,
    )


def _changes(
    before: Mapping[str, JsonValue] | None,
    after: Mapping[str, JsonValue] | None,
    names: Mapping[str, str],
) -> tuple[FieldChange, ...]:
    """The fields whose recorded values differ; a first record lists only what it gave."""
    old, new = before or {}, after or {}
    changed = []
    for name in sorted(set(old) | set(new)):
        if name in BOOKKEEPING or name in ITEM_KEYS or old.get(name) == new.get(name):
            continue
        was, now = _text(name, old.get(name), names), _text(name, new.get(name), names)
        if was is None and now is None:
            continue
        changed.append(FieldChange(name, was, now))
    return tuple(changed)


def _text(name: str, value: JsonValue, names: Mapping[str, str]) -> str | None:
    if value is None or value in ("", [], {}):
        return None
    if name == "assignee" and isinstance(value, str):
        return names.get(f"user:{value}", value)
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), sort_keys=True)
