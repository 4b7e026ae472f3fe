"""The life of a response package version: one transition table, with who may take each step.

draft (built) → submitted → approved | sent back → sent (pure). Each package step also moves the
request along its own workflow (``domain.requests.workflow``) in the same transaction, and takes
its roles from the request's step, so the two tables cannot disagree:

=================  ============================
package step       request step
=================  ============================
submit             drafting → in_legal_review
approve            in_legal_review → approved
send back          in_legal_review → drafting
mark sent          approved → sent
=================  ============================

Four-eyes: whoever last changed the draft a version was built from, or built it, never
approves it (``check_not_author``), whatever their role.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from domain.packages.errors import SelfApprovalError
from domain.packages.model import PackageState, PackageVersion, ResponseDraft
from domain.requests.workflow import REQUEST_WORKFLOW, RequestAction, RequestState
from domain.shared.model import Role
from domain.shared.state_machine import Step, TransitionTable


class PackageAction(StrEnum):
    """A step in the life of a package version."""

    SUBMIT = "submit"
    APPROVE = "approve"
    SEND_BACK = "send_back"
    MARK_SENT = "mark_sent"


S, A = PackageState, PackageAction

REQUEST_STEPS: Final[Mapping[PackageAction, tuple[RequestState, RequestAction]]] = {
    A.SUBMIT: (RequestState.DRAFTING, RequestAction.SUBMIT_FOR_REVIEW),
    A.APPROVE: (RequestState.IN_LEGAL_REVIEW, RequestAction.APPROVE),
    A.SEND_BACK: (RequestState.IN_LEGAL_REVIEW, RequestAction.SEND_BACK),
    A.MARK_SENT: (RequestState.APPROVED, RequestAction.SEND),
}
"""The request step each package step moves: the request's state before it, and the action."""


def _moving_the_request(action: PackageAction, to: PackageState) -> Step[PackageState]:
    """A package step open to exactly the roles that may take its request step."""
    return Step(to, REQUEST_WORKFLOW.step(*REQUEST_STEPS[action]).roles)


PACKAGE_WORKFLOW: Final[TransitionTable[PackageState, PackageAction]] = TransitionTable(
    "package version",
    {
        A.SUBMIT: {S.DRAFT: _moving_the_request(A.SUBMIT, S.SUBMITTED)},
        A.APPROVE: {S.SUBMITTED: _moving_the_request(A.APPROVE, S.APPROVED)},
        A.SEND_BACK: {S.SUBMITTED: _moving_the_request(A.SEND_BACK, S.SENT_BACK)},
        A.MARK_SENT: {S.APPROVED: _moving_the_request(A.MARK_SENT, S.SENT)},
    },
)
"""Every step of a package version; the roles are those of the request step it moves."""


def request_action(action: PackageAction) -> RequestAction:
    """The request workflow's action that the package step ``action`` takes."""
    return REQUEST_STEPS[action][1]


def check_not_author(version: PackageVersion, approver: str) -> None:
    """Refuse an approval by the version's drafter or builder (four-eyes).

    Raises:
        SelfApprovalError: ``approver`` (an actor reference) drafted or built the version.
    """
    if approver in version.authors():
        raise SelfApprovalError(version.request_id, version.number)


def available_actions(
    version: PackageVersion, draft: ResponseDraft, role: Role
) -> list[PackageAction]:
    """The steps ``role`` may take on ``version`` now: none once the draft moved past it."""
    if version.is_stale(draft):
        return []
    return PACKAGE_WORKFLOW.available_actions(version.state, role)
