"""Legal holds as frozen values (pure: no ORM, no framework)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Final
from uuid import UUID

from domain.holds.identifiers import normalize_system


class HoldState(StrEnum):
    """Where a legal hold stands.

    Issued: notices are queued and not every custodian has acknowledged yet. Active: every
    custodian still held has acknowledged. Partially released: some custodians or data sources
    were released, the rest are still preserved. A hold preserves in all three.
    """

    DRAFT = "draft"
    ISSUED = "issued"
    ACTIVE = "active"
    PARTIALLY_RELEASED = "partially_released"
    RELEASED = "released"


PRESERVING_STATES: Final = frozenset(
    {HoldState.ISSUED, HoldState.ACTIVE, HoldState.PARTIALLY_RELEASED}
)
"""States in which a hold preserves its custodians and data sources."""


class NoticeKind(StrEnum):
    """What a hold notice row asks the scheduler to send."""

    NOTICE = "hold.notice"
    REMINDER = "hold.reminder"
    ESCALATION = "hold.escalation"
    REAFFIRMATION = "hold.reaffirmation"
    RELEASE = "hold.release"


ACK_LINK_KINDS: Final = frozenset({NoticeKind.NOTICE, NoticeKind.REMINDER})
"""Notices that carry an acknowledgement link."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Acknowledgement:
    """When and from where a custodian acknowledged a hold, with their answers."""

    at: datetime
    address: str
    user_agent: str
    answers: Mapping[str, str]


@dataclass(frozen=True, slots=True, kw_only=True)
class Custodian:
    """A person whose data a hold preserves; ``email`` is lower-cased."""

    email: str
    name: str
    manager_email: str
    released_at: datetime | None = None
    acknowledgement: Acknowledgement | None = None

    @property
    def is_held(self) -> bool:
        """Not released from the hold (it preserves only while the hold is active)."""
        return self.released_at is None

    @property
    def awaits_acknowledgement(self) -> bool:
        """Held and not acknowledged yet."""
        return self.is_held and self.acknowledgement is None


@dataclass(frozen=True, slots=True, kw_only=True)
class DataSource:
    """A system and an identifier in it (a mailbox, a drive, an account) that a hold preserves."""

    system: str
    identifier: str
    released_at: datetime | None = None

    @property
    def key(self) -> str:
        """``SYSTEM:IDENTIFIER``, as the preservation check names it."""
        return f"{self.system}:{self.identifier}"

    @property
    def is_held(self) -> bool:
        """Not released from the hold (it preserves only while the hold is active)."""
        return self.released_at is None


@dataclass(frozen=True, slots=True, kw_only=True)
class LegalHold:
    """A legal hold on a matter: who and what must be preserved, within which scope."""

    id: UUID
    version: int
    """Bumped by every change; a change made on an older version is refused."""
    matter: str
    title: str
    state: HoldState
    request_ids: tuple[UUID, ...]
    scope_start: date | None
    scope_end: date | None
    keywords: tuple[str, ...]
    scope_description: str
    notice_text: str
    custodians: tuple[Custodian, ...]
    data_sources: tuple[DataSource, ...]
    created_by: str
    created_at: datetime
    issued_at: datetime | None = None
    released_at: datetime | None = None
    preservation_request_id: UUID | None = None
    expires_at: datetime | None = None
    """When the linked preservation request's period (with its renewals) ends."""
    questions: tuple[str, ...] = ()
    """Questions custodians answer when they acknowledge (optional answers)."""

    @property
    def preserving(self) -> bool:
        """Whether the hold preserves what it still holds."""
        return self.state in PRESERVING_STATES

    @property
    def holds_anything(self) -> bool:
        """Whether any custodian or data source is still held."""
        return any(c.is_held for c in self.custodians) or any(d.is_held for d in self.data_sources)


@dataclass(frozen=True, slots=True, kw_only=True)
class HoldNotice:
    """A message about a hold to a custodian (or their manager), due at ``due_at``."""

    id: UUID
    hold_id: UUID
    custodian_email: str
    recipient_email: str
    kind: NoticeKind
    due_at: datetime
    expires_at: datetime | None = None
    delivered_at: datetime | None = None
    cancelled_at: datetime | None = None
    used_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CoveringHold:
    """An active hold that preserves a custodian or data source."""

    id: UUID
    matter: str
    matched: tuple[str, ...] = ()
    """What of the hold matched, in normal form: ``custodian:<e-mail>``, ``<system>:<id>``."""


def parse_data_source(value: str) -> tuple[str, str]:
    """``SYSTEM:IDENTIFIER`` split at the first colon, the system's name in normal form.

    Raises:
        ValueError: when there is no colon, or either part is empty.
    """
    system, sep, identifier = value.strip().partition(":")
    if not sep or not system.strip() or not identifier.strip():
        msg = "must be SYSTEM:IDENTIFIER"
        raise ValueError(msg)
    return normalize_system(system), identifier.strip()


@dataclass(frozen=True, slots=True)
class AckProgress:
    """How far the custodians still held have acknowledged a hold (a read model)."""

    acknowledged: int
    held: int
    awaiting: tuple[Custodian, ...]
    """Custodians still held who have not acknowledged, in the hold's order."""

    @property
    def complete(self) -> bool:
        """Whether nobody still held has to acknowledge."""
        return not self.awaiting


def ack_progress(hold: LegalHold) -> AckProgress:
    """Who of the custodians still held has acknowledged; released ones no longer count.

    A hold released as a whole holds nobody any more, whatever each custodian's own row says.
    """
    held = [c for c in hold.custodians if c.is_held and hold.state is not HoldState.RELEASED]
    awaiting = tuple(c for c in held if c.acknowledgement is None)
    return AckProgress(len(held) - len(awaiting), len(held), awaiting)
