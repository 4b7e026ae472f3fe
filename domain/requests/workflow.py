"""The life of a regulatory request: one transition table, with who may take each step (pure).

received → triaged → in progress ⇄ awaiting clarification (clock stopped) → drafting →
in legal review → approved → sent → closed; a request may also be rejected or withdrawn while
open, and a finished one reopened.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from domain.shared.errors import InvalidTransitionError, TransitionNotPermittedError
from domain.shared.model import Role


class RequestState(StrEnum):
    """Where a request stands."""

    RECEIVED = "received"
    TRIAGED = "triaged"
    IN_PROGRESS = "in_progress"
    AWAITING_CLARIFICATION = "awaiting_clarification"
    DRAFTING = "drafting"
    IN_LEGAL_REVIEW = "in_legal_review"
    APPROVED = "approved"
    SENT = "sent"
    CLOSED = "closed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    REOPENED = "reopened"


class RequestAction(StrEnum):
    """A step in the life of a request."""

    TRIAGE = "triage"
    START = "start"
    REQUEST_CLARIFICATION = "request_clarification"
    RECEIVE_CLARIFICATION = "receive_clarification"
    START_DRAFTING = "start_drafting"
    SUBMIT_FOR_REVIEW = "submit_for_review"
    APPROVE = "approve"
    SEND_BACK = "send_back"
    REVISE = "revise"
    SEND = "send"
    CLOSE = "close"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"


S, A = RequestState, RequestAction
OPEN_STATES: Final = frozenset(
    {S.RECEIVED, S.TRIAGED, S.IN_PROGRESS, S.AWAITING_CLARIFICATION, S.DRAFTING, S.REOPENED}
)
FINISHED_STATES: Final = frozenset({S.CLOSED, S.REJECTED, S.WITHDRAWN})
CLOCK_STOPPED_STATES: Final = frozenset({S.AWAITING_CLARIFICATION})
"""States in which the statutory clock does not run (the rule must allow stops)."""

_SPECIALISTS: Final = frozenset({Role.SPECIALIST, Role.ADMIN})
_LAWYERS: Final = frozenset({Role.LEGAL})
_CASEWORK: Final = _SPECIALISTS | _LAWYERS


@dataclass(frozen=True, slots=True)
class Step:
    """Where an action leads from a state, and which roles may take it."""

    to: RequestState
    roles: frozenset[Role]


def _from_each(states: frozenset[RequestState], step: Step) -> dict[RequestState, Step]:
    return dict.fromkeys(states, step)


TRANSITIONS: Final[Mapping[RequestAction, Mapping[RequestState, Step]]] = {
    A.TRIAGE: {S.RECEIVED: Step(S.TRIAGED, _SPECIALISTS)},
    A.START: {
        S.TRIAGED: Step(S.IN_PROGRESS, _SPECIALISTS),
        S.REOPENED: Step(S.IN_PROGRESS, _SPECIALISTS),
    },
    A.REQUEST_CLARIFICATION: {S.IN_PROGRESS: Step(S.AWAITING_CLARIFICATION, _SPECIALISTS)},
    A.RECEIVE_CLARIFICATION: {S.AWAITING_CLARIFICATION: Step(S.IN_PROGRESS, _SPECIALISTS)},
    A.START_DRAFTING: {S.IN_PROGRESS: Step(S.DRAFTING, _SPECIALISTS)},
    A.SUBMIT_FOR_REVIEW: {S.DRAFTING: Step(S.IN_LEGAL_REVIEW, _SPECIALISTS)},
    # Only Legal approves or sends back; an admin is not a lawyer.
    A.APPROVE: {S.IN_LEGAL_REVIEW: Step(S.APPROVED, _LAWYERS)},
    A.SEND_BACK: {S.IN_LEGAL_REVIEW: Step(S.DRAFTING, _LAWYERS)},
    # Changing the response under review, or once approved, takes it back to drafting.
    A.REVISE: {
        S.IN_LEGAL_REVIEW: Step(S.DRAFTING, _CASEWORK),
        S.APPROVED: Step(S.DRAFTING, _CASEWORK),
    },
    A.SEND: {S.APPROVED: Step(S.SENT, _CASEWORK)},
    A.CLOSE: {S.SENT: Step(S.CLOSED, _CASEWORK)},
    A.REJECT: _from_each(OPEN_STATES, Step(S.REJECTED, _CASEWORK)),
    A.WITHDRAW: _from_each(OPEN_STATES | {S.IN_LEGAL_REVIEW}, Step(S.WITHDRAWN, _CASEWORK)),
    A.REOPEN: _from_each(FINISHED_STATES, Step(S.REOPENED, _LAWYERS | {Role.ADMIN})),
}


PACKAGE_STEPS: Final = frozenset({A.SUBMIT_FOR_REVIEW, A.APPROVE, A.SEND_BACK, A.REVISE, A.SEND})
"""Steps that a request with a response package takes through the package's own steps."""


def next_state(state: RequestState, action: RequestAction, role: Role) -> RequestState:
    """The state ``action`` leads to from ``state`` when taken by ``role``.

    Raises:
        InvalidTransitionError: the action is not possible in this state.
        TransitionNotPermittedError: it is, but not for this role.
    """
    step = TRANSITIONS[action].get(state)
    if step is None:
        raise InvalidTransitionError(state, action)
    if role not in step.roles:
        raise TransitionNotPermittedError(state, action, role)
    return step.to


def available_actions(state: RequestState, role: Role) -> list[RequestAction]:
    """The actions ``role`` may take on a request in ``state``, in table order."""
    return [
        action
        for action, steps in TRANSITIONS.items()
        if (step := steps.get(state)) is not None and role in step.roles
    ]
