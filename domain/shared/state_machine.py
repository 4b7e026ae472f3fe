"""One transition table for every lifecycle: state x action -> next state, and who may act (pure).

Requests, legal holds and response package versions each declare their table with this type;
deciding a step and listing the steps open to a role is the same code for all three, and so are
the two errors a refused step raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from domain.shared.errors import InvalidTransitionError, TransitionNotPermittedError
from domain.shared.model import Role

StateT = TypeVar("StateT", bound=StrEnum)
ActionT = TypeVar("ActionT", bound=StrEnum)


@dataclass(frozen=True, slots=True)
class Step(Generic[StateT]):
    """Where an action leads from a state, and which roles may take it."""

    to: StateT
    roles: frozenset[Role]


class TransitionTable(Generic[StateT, ActionT]):
    """The steps of one kind of subject, by action and then by the state they start from.

    ``subject`` names the kind (``request``, ``legal hold``, ``package version``) in the errors.
    The order of ``steps`` is the order ``available_actions`` lists them in.
    """

    __slots__ = ("steps", "subject")

    def __init__(
        self, subject: str, steps: Mapping[ActionT, Mapping[StateT, Step[StateT]]]
    ) -> None:
        self.subject = subject
        self.steps = steps

    def step(self, state: StateT, action: ActionT) -> Step[StateT]:
        """The step ``action`` takes from ``state``, whoever takes it.

        Raises:
            InvalidTransitionError: the action is not possible in this state.
        """
        found = self.steps.get(action, {}).get(state)
        if found is None:
            raise InvalidTransitionError(self.subject, state, action)
        return found

    def next_state(self, state: StateT, action: ActionT, role: Role) -> StateT:
        """The state ``action`` leads to from ``state`` when taken by ``role``.

        Raises:
            InvalidTransitionError: the action is not possible in this state.
            TransitionNotPermittedError: it is, but not for this role.
        """
        found = self.step(state, action)
        if role not in found.roles:
            raise TransitionNotPermittedError(self.subject, state, action, role)
        return found.to

    def available_actions(self, state: StateT, role: Role) -> list[ActionT]:
        """The actions ``role`` may take from ``state``, in table order."""
        return [
            action
            for action, steps in self.steps.items()
            if (found := steps.get(state)) is not None and role in found.roles
        ]
