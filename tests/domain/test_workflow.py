"""The request workflow's transition table (pure)."""

from __future__ import annotations

import pytest

from domain.requests.workflow import (
    FINISHED_STATES,
    REQUEST_WORKFLOW,
    RequestAction,
    RequestState,
)
from domain.shared.errors import InvalidTransitionError, TransitionNotPermittedError
from domain.shared.model import Role

S, A = RequestState, RequestAction
next_state = REQUEST_WORKFLOW.next_state
available_actions = REQUEST_WORKFLOW.available_actions
HAPPY_PATH = [
    (S.RECEIVED, A.TRIAGE, Role.SPECIALIST, S.TRIAGED),
    (S.TRIAGED, A.START, Role.SPECIALIST, S.IN_PROGRESS),
    (S.IN_PROGRESS, A.REQUEST_CLARIFICATION, Role.SPECIALIST, S.AWAITING_CLARIFICATION),
    (S.AWAITING_CLARIFICATION, A.RECEIVE_CLARIFICATION, Role.SPECIALIST, S.IN_PROGRESS),
    (S.IN_PROGRESS, A.START_DRAFTING, Role.SPECIALIST, S.DRAFTING),
    (S.DRAFTING, A.SUBMIT_FOR_REVIEW, Role.SPECIALIST, S.IN_LEGAL_REVIEW),
    (S.IN_LEGAL_REVIEW, A.SEND_BACK, Role.LEGAL, S.DRAFTING),
    (S.IN_LEGAL_REVIEW, A.APPROVE, Role.LEGAL, S.APPROVED),
    (S.APPROVED, A.SEND, Role.SPECIALIST, S.SENT),
    (S.SENT, A.CLOSE, Role.SPECIALIST, S.CLOSED),
    (S.CLOSED, A.REOPEN, Role.LEGAL, S.REOPENED),
    (S.REOPENED, A.START, Role.SPECIALIST, S.IN_PROGRESS),
]


@pytest.mark.parametrize(
    ("state", "action", "role", "to"), HAPPY_PATH, ids=[f"{s}-{a}" for s, a, _, _ in HAPPY_PATH]
)
def test_each_step_of_the_life_of_a_request(state, action, role, to) -> None:
    assert next_state(state, action, role) is to


@pytest.mark.parametrize("state", sorted(FINISHED_STATES))
def test_a_finished_request_cannot_be_worked_on(state: RequestState) -> None:
    for action in (A.START, A.START_DRAFTING, A.APPROVE, A.SEND, A.REJECT, A.WITHDRAW):
        with pytest.raises(InvalidTransitionError) as caught:
            next_state(state, action, Role.ADMIN)
        assert caught.value.public_fields() == {
            "kind": "request",
            "state": state.value,
            "action": action.value,
        }


def test_only_legal_approves_and_sends_back() -> None:
    for role in (Role.SPECIALIST, Role.ADMIN, Role.AUDITOR, Role.SYSTEM):
        for action in (A.APPROVE, A.SEND_BACK):
            with pytest.raises(TransitionNotPermittedError) as caught:
                next_state(S.IN_LEGAL_REVIEW, action, role)
            assert caught.value.public_fields() == {
                "kind": "request",
                "state": "in_legal_review",
                "action": action.value,
                "role": role.value,
            }


def test_auditors_and_systems_take_no_step_at_all() -> None:
    for action, steps in REQUEST_WORKFLOW.steps.items():
        for state in steps:
            for role in (Role.AUDITOR, Role.SYSTEM):
                with pytest.raises(TransitionNotPermittedError):
                    next_state(state, action, role)
            assert available_actions(state, Role.AUDITOR) == []


def test_every_state_can_be_left_or_is_finished_and_can_be_reopened() -> None:
    for state in RequestState:
        assert available_actions(state, Role.ADMIN) or available_actions(state, Role.LEGAL), state


def test_a_specialist_sees_the_actions_of_an_open_request() -> None:
    assert available_actions(S.IN_PROGRESS, Role.SPECIALIST) == [
        A.REQUEST_CLARIFICATION,
        A.START_DRAFTING,
        A.REJECT,
        A.WITHDRAW,
    ]
