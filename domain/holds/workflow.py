"""The life of a legal hold: one transition table, with who may take each step (pure).

draft → issued (notices queued) → active (every custodian acknowledged) → released; single
custodians and data sources may be released while the hold preserves (a partial release). The
step from issued to active is the custodians' doing (acknowledgement), not a role's: the service
takes it when the last custodian acknowledges.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from domain.holds.errors import HoldTransitionNotPermittedError, InvalidHoldTransitionError
from domain.holds.model import HoldState
from domain.shared.model import Role


class HoldAction(StrEnum):
    """A step in the life of a legal hold."""

    ISSUE = "issue"
    RELEASE = "release"
    RELEASE_CUSTODIAN = "release_custodian"
    RELEASE_DATA_SOURCE = "release_data_source"


S, A = HoldState, HoldAction
_HOLD_MANAGERS: Final = frozenset({Role.LEGAL, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class HoldStep:
    """Where an action leads from a state, and which roles may take it."""

    to: HoldState
    roles: frozenset[Role]


_PRESERVING: Final = (S.ISSUED, S.ACTIVE, S.PARTIALLY_RELEASED)
_PARTIAL: Final = HoldStep(S.PARTIALLY_RELEASED, _HOLD_MANAGERS)

HOLD_TRANSITIONS: Final[Mapping[HoldAction, Mapping[HoldState, HoldStep]]] = {
    A.ISSUE: {S.DRAFT: HoldStep(S.ISSUED, _HOLD_MANAGERS)},
    A.RELEASE: dict.fromkeys(_PRESERVING, HoldStep(S.RELEASED, _HOLD_MANAGERS)),
    A.RELEASE_CUSTODIAN: dict.fromkeys(_PRESERVING, _PARTIAL),
    A.RELEASE_DATA_SOURCE: dict.fromkeys(_PRESERVING, _PARTIAL),
}


def next_hold_state(state: HoldState, action: HoldAction, role: Role) -> HoldState:
    """The state ``action`` leads to from ``state`` when taken by ``role``.

    Raises:
        InvalidHoldTransitionError: the action is not possible in this state.
        HoldTransitionNotPermittedError: it is, but not for this role.
    """
    step = HOLD_TRANSITIONS[action].get(state)
    if step is None:
        raise InvalidHoldTransitionError(state, action)
    if role not in step.roles:
        raise HoldTransitionNotPermittedError(state, action, role)
    return step.to


def available_hold_actions(state: HoldState, role: Role) -> list[HoldAction]:
    """The actions ``role`` may take on a hold in ``state``, in table order."""
    return [
        action
        for action, steps in HOLD_TRANSITIONS.items()
        if (step := steps.get(state)) is not None and role in step.roles
    ]
