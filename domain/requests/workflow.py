"""The life of a regulatory request: one transition table, with who may take each step (pure).

received → triaged → in progress ⇄ awaiting clarification (clock stopped) → drafting →
in legal review → approved → sent → closed; a request may also be rejected or withdrawn while
open, and a finished one reopened.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from domain.shared.model import Role
from domain.shared.state_machine import Step, TransitionTable


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


def _from_each(
    states: frozenset[RequestState], step: Step[RequestState]
) -> dict[RequestState, Step[RequestState]]:
    return dict.fromkeys(states, step)


REQUEST_WORKFLOW: Final[TransitionTable[RequestState, RequestAction]] = TransitionTable(
    "request",
    {
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
    },
)
"""Every step of a request, with the roles that may take it."""

PACKAGE_STEPS: Final = frozenset({A.SUBMIT_FOR_REVIEW, A.APPROVE, A.SEND_BACK, A.REVISE, A.SEND})
"""Steps that a request with a response package takes through the package's own steps."""
