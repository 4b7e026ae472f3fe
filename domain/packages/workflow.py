"""The life of a response package version: one transition table, with who may take each step.

draft (built) → submitted → approved | sent back → sent (pure). Each package step also moves the
request along its own workflow (``domain.workflow``) in the same transaction; the roles here are
those the request workflow allows for the matching step, so the two never disagree:

=================  ============================  ==========================================
package step       request step                  roles
=================  ============================  ==========================================
submit             drafting → in_legal_review    specialist, admin
approve            in_legal_review → approved    legal (an admin is not a lawyer)
send back          in_legal_review → drafting    legal
mark sent          approved → sent               specialist, legal, admin
=================  ============================  ==========================================

Four-eyes: whoever last changed the draft a version was built from, or built it, never
approves it (``check_not_author``), whatever their role.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from domain.packages.errors import (
    InvalidPackageTransitionError,
    PackageTransitionNotPermittedError,
    SelfApprovalError,
)
from domain.packages.model import PackageState, PackageVersion
from domain.requests.workflow import RequestAction
from domain.shared.model import Role


class PackageAction(StrEnum):
    """A step in the life of a package version."""

    SUBMIT = "submit"
    APPROVE = "approve"
    SEND_BACK = "send_back"
    MARK_SENT = "mark_sent"


S, A = PackageState, PackageAction
_DRAFTERS: Final = frozenset({Role.SPECIALIST, Role.ADMIN})
_LAWYERS: Final = frozenset({Role.LEGAL})
_CASEWORK: Final = _DRAFTERS | _LAWYERS


@dataclass(frozen=True, slots=True)
class PackageStep:
    """Where an action leads from a state, which roles may take it, and the request's step."""

    to: PackageState
    roles: frozenset[Role]
    request_action: RequestAction


PACKAGE_TRANSITIONS: Final[Mapping[PackageAction, Mapping[PackageState, PackageStep]]] = {
    A.SUBMIT: {S.DRAFT: PackageStep(S.SUBMITTED, _DRAFTERS, RequestAction.SUBMIT_FOR_REVIEW)},
    A.APPROVE: {S.SUBMITTED: PackageStep(S.APPROVED, _LAWYERS, RequestAction.APPROVE)},
    A.SEND_BACK: {S.SUBMITTED: PackageStep(S.SENT_BACK, _LAWYERS, RequestAction.SEND_BACK)},
    A.MARK_SENT: {S.APPROVED: PackageStep(S.SENT, _CASEWORK, RequestAction.SEND)},
}


def next_package_step(state: PackageState, action: PackageAction, role: Role) -> PackageStep:
    """The step ``action`` takes from ``state`` when taken by ``role``.

    Raises:
        InvalidPackageTransitionError: the action is not possible in this state.
        PackageTransitionNotPermittedError: it is, but not for this role.
    """
    step = PACKAGE_TRANSITIONS[action].get(state)
    if step is None:
        raise InvalidPackageTransitionError(state, action)
    if role not in step.roles:
        raise PackageTransitionNotPermittedError(state, action, role)
    return step


def check_not_author(version: PackageVersion, approver: str) -> None:
    """Refuse an approval by the version's drafter or builder (four-eyes).

    Raises:
        SelfApprovalError: ``approver`` (an actor reference) drafted or built the version.
    """
    if approver in version.authors():
        raise SelfApprovalError(version.request_id, version.number)


def available_package_actions(state: PackageState, role: Role) -> list[PackageAction]:
    """The actions ``role`` may take on a version in ``state``, in table order."""
    return [
        action
        for action, steps in PACKAGE_TRANSITIONS.items()
        if (step := steps.get(state)) is not None and role in step.roles
    ]
