"""Who may read a sealed request, and the outline everyone else sees of it (pure).

A sealed request (``confidentiality: sealed``, for orders under seal or with a non-disclosure
order) is read in full only by its assignee, by Legal and by admins. Everyone else who may
read requests learns that it exists, its reference, its state and its deadline, so that the
team sees the work owed, and nothing of what it is about: no authority, rule, summary,
identifiers, files, package or trail. See docs/decisions/0011-sealed-requests.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Final
from uuid import UUID

from domain.requests.errors import SealedRequestError
from domain.requests.model import Confidentiality, RegulatoryRequest
from domain.requests.urgency import Band, deadline_band
from domain.requests.workflow import RequestState
from domain.shared.model import Actor, ActorKind, Role

SEALED_READERS: Final = frozenset({Role.ADMIN, Role.LEGAL})
"""The roles that read every sealed request; others read only those assigned to them."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SealedOutline:
    """What someone who may not read a sealed request sees of it where a list shows it."""

    id: UUID
    reference: str
    state: RequestState
    due_at: datetime | None
    """The deadline in force."""
    due_date: date | None
    statutory_due_at: datetime | None
    statutory_due_date: date | None
    extended_due_at: datetime | None
    extended_due_date: date | None
    extension_taken: bool
    band: Band
    """How pressing the deadline is at the time the outline was made."""

    @property
    def effective_due_at(self) -> datetime | None:
        """The deadline in force (``due_at``)."""
        return self.due_at


Listed = RegulatoryRequest | SealedOutline
"""A request as a list shows it to one reader: in full, or as a sealed outline."""


def reads_every_sealed(actor: Actor) -> bool:
    """Whether ``actor`` reads every sealed request (Legal, admins), not only their own."""
    return actor.role in SEALED_READERS


def sealed_reader_id(actor: Actor) -> UUID | None:
    """The user id whose assigned sealed requests ``actor`` reads (None: a token or a system)."""
    return actor.id if actor.kind is ActorKind.USER else None


def may_read(actor: Actor, reg_request: RegulatoryRequest) -> bool:
    """Whether ``actor`` may read ``reg_request`` in full."""
    if reg_request.confidentiality is not Confidentiality.SEALED or reads_every_sealed(actor):
        return True
    reader = sealed_reader_id(actor)
    return reader is not None and reader == reg_request.assignee


def user_may_read(user_id: UUID, role: Role, reg_request: RegulatoryRequest) -> bool:
    """Whether the user ``user_id`` of ``role`` may read ``reg_request`` (for notifications)."""
    return may_read(Actor(kind=ActorKind.USER, id=user_id, role=role, name=""), reg_request)


def outline(reg_request: RegulatoryRequest, now: datetime) -> SealedOutline:
    """The outline of ``reg_request``: reference, state and deadlines only."""
    return SealedOutline(
        id=reg_request.id,
        reference=reg_request.reference,
        state=reg_request.state,
        due_at=reg_request.due_at,
        due_date=reg_request.due_date,
        statutory_due_at=reg_request.statutory_due_at,
        statutory_due_date=reg_request.statutory_due_date,
        extended_due_at=reg_request.extended_due_at,
        extended_due_date=reg_request.extended_due_date,
        extension_taken=reg_request.extension_taken,
        band=deadline_band(reg_request, now),
    )


def as_seen_by(actor: Actor, reg_request: RegulatoryRequest, now: datetime) -> Listed:
    """``reg_request`` in full if ``actor`` may read it, else its outline."""
    return reg_request if may_read(actor, reg_request) else outline(reg_request, now)


def check_readable(actor: Actor, reg_request: RegulatoryRequest) -> RegulatoryRequest:
    """``reg_request``, if ``actor`` may read it in full.

    Raises:
        SealedRequestError: it is sealed and ``actor`` is not among its readers.
    """
    if not may_read(actor, reg_request):
        raise SealedRequestError(reg_request.id, reg_request.reference)
    return reg_request
