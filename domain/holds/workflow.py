"""The life of a legal hold: one transition table, and each change decided on a hold value (pure).

draft → issued (notices queued) → active (every custodian acknowledged) → released; single
custodians and data sources may be released while the hold preserves (a partial release, or the
release of the hold once nothing is held any more). The step from issued to active is the
custodians' doing (acknowledgement), not a role's, so it is not in the table: ``acknowledge``
takes it when the last custodian awaited acknowledges.

Each function takes the hold as loaded and returns it changed; the service saves the result once,
against the version it loaded.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from typing import Final

from domain.holds.errors import HoldItemNotFoundError, HoldItemReleasedError
from domain.holds.model import Acknowledgement, HoldState, LegalHold
from domain.shared.model import Role
from domain.shared.state_machine import Step, TransitionTable


class HoldAction(StrEnum):
    """A step in the life of a legal hold."""

    ISSUE = "issue"
    RELEASE = "release"
    RELEASE_CUSTODIAN = "release_custodian"
    RELEASE_DATA_SOURCE = "release_data_source"


S, A = HoldState, HoldAction
_HOLD_MANAGERS: Final = frozenset({Role.LEGAL, Role.ADMIN})
_PRESERVING: Final = (S.ISSUED, S.ACTIVE, S.PARTIALLY_RELEASED)
_PARTIAL: Final = Step(S.PARTIALLY_RELEASED, _HOLD_MANAGERS)

HOLD_WORKFLOW: Final[TransitionTable[HoldState, HoldAction]] = TransitionTable(
    "legal hold",
    {
        A.ISSUE: {S.DRAFT: Step(S.ISSUED, _HOLD_MANAGERS)},
        A.RELEASE: dict.fromkeys(_PRESERVING, Step(S.RELEASED, _HOLD_MANAGERS)),
        A.RELEASE_CUSTODIAN: dict.fromkeys(_PRESERVING, _PARTIAL),
        A.RELEASE_DATA_SOURCE: dict.fromkeys(_PRESERVING, _PARTIAL),
    },
)
"""Every step of a legal hold, with the roles that may take it."""


def issue(hold: LegalHold, *, role: Role, now: datetime) -> LegalHold:
    """Issue a draft: it preserves from ``now``; active at once when nobody must acknowledge.

    Raises:
        InvalidTransitionError: the hold is not a draft.
        TransitionNotPermittedError: not for ``role``.
    """
    to = HOLD_WORKFLOW.next_state(hold.state, HoldAction.ISSUE, role)
    if not any(c.awaits_acknowledgement for c in hold.custodians):
        to = HoldState.ACTIVE
    return replace(hold, state=to, issued_at=now)


def release(hold: LegalHold, *, role: Role, now: datetime) -> LegalHold:
    """Release the hold as a whole at ``now``.

    Raises:
        InvalidTransitionError: the hold does not preserve (a draft, or released).
        TransitionNotPermittedError: not for ``role``.
    """
    to = HOLD_WORKFLOW.next_state(hold.state, HoldAction.RELEASE, role)
    return replace(hold, state=to, released_at=now)


def _partially_released(hold: LegalHold, now: datetime) -> LegalHold:
    """Partially released, or released once no custodian or data source is held any more."""
    if hold.holds_anything:
        return replace(hold, state=HoldState.PARTIALLY_RELEASED)
    return replace(hold, state=HoldState.RELEASED, released_at=now)


def release_custodian(hold: LegalHold, email: str, *, role: Role, now: datetime) -> LegalHold:
    """Release the custodian ``email`` (lower-cased) from the hold at ``now``.

    Raises:
        InvalidTransitionError: the hold does not preserve.
        TransitionNotPermittedError: not for ``role``.
        HoldItemNotFoundError: the hold names no such custodian.
        HoldItemReleasedError: the custodian was released from it already.
    """
    HOLD_WORKFLOW.next_state(hold.state, HoldAction.RELEASE_CUSTODIAN, role)
    custodian = next((c for c in hold.custodians if c.email == email), None)
    if custodian is None:
        raise HoldItemNotFoundError("custodian", email)
    if not custodian.is_held:
        raise HoldItemReleasedError("custodian", email)
    custodians = tuple(
        replace(c, released_at=now) if c.email == email else c for c in hold.custodians
    )
    return _partially_released(replace(hold, custodians=custodians), now)


def release_data_source(hold: LegalHold, key: str, *, role: Role, now: datetime) -> LegalHold:
    """Release the data source ``key`` (``SYSTEM:IDENTIFIER``) from the hold at ``now``.

    Raises:
        InvalidTransitionError: the hold does not preserve.
        TransitionNotPermittedError: not for ``role``.
        HoldItemNotFoundError: the hold names no such data source.
        HoldItemReleasedError: the data source was released from it already.
    """
    HOLD_WORKFLOW.next_state(hold.state, HoldAction.RELEASE_DATA_SOURCE, role)
    source = next((d for d in hold.data_sources if d.key == key), None)
    if source is None:
        raise HoldItemNotFoundError("data source", key)
    if not source.is_held:
        raise HoldItemReleasedError("data source", key)
    sources = tuple(replace(d, released_at=now) if d.key == key else d for d in hold.data_sources)
    return _partially_released(replace(hold, data_sources=sources), now)


def acknowledge(hold: LegalHold, email: str, ack: Acknowledgement) -> LegalHold:
    """Record the acknowledgement of custodian ``email``; issued becomes active once nobody awaits.

    Requires the hold to preserve and ``email`` to be one of its custodians still held and not
    yet acknowledged (the acknowledgement link's status is ready).
    """
    custodians = tuple(
        replace(c, acknowledgement=ack) if c.email == email and c.acknowledgement is None else c
        for c in hold.custodians
    )
    acknowledged = replace(hold, custodians=custodians)
    if hold.state is HoldState.ISSUED and not any(c.awaits_acknowledgement for c in custodians):
        return replace(acknowledged, state=HoldState.ACTIVE)
    return acknowledged
