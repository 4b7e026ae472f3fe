"""Legal holds as frozen values (pure: no ORM, no framework)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID


class HoldState(StrEnum):
    """Where a legal hold stands."""

    DRAFT = "draft"
    ACTIVE = "active"
    RELEASED = "released"


@dataclass(frozen=True, slots=True, kw_only=True)
class Custodian:
    """A person whose data a hold preserves; ``email`` is lower-cased."""

    email: str
    name: str
    manager_email: str
    released_at: datetime | None = None

    @property
    def is_held(self) -> bool:
        """Not released from the hold (it preserves only while the hold is active)."""
        return self.released_at is None


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


@dataclass(frozen=True, slots=True)
class CoveringHold:
    """An active hold that preserves a custodian or data source."""

    id: UUID
    matter: str


def parse_data_source(value: str) -> tuple[str, str]:
    """``SYSTEM:IDENTIFIER`` split at the first colon; None-like parts are the caller's problem.

    Raises:
        ValueError: when there is no colon, or either part is empty.
    """
    system, sep, identifier = value.strip().partition(":")
    if not sep or not system.strip() or not identifier.strip():
        msg = "must be SYSTEM:IDENTIFIER"
        raise ValueError(msg)
    return system.strip(), identifier.strip()
