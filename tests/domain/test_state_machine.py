"""The generic transition table every lifecycle is declared with (pure)."""

from __future__ import annotations

from enum import StrEnum

import pytest

from domain.shared.errors import InvalidTransitionError, TransitionNotPermittedError
from domain.shared.model import Role
from domain.shared.state_machine import Step, TransitionTable


class Door(StrEnum):
    OPEN = "open"
    SHUT = "shut"
    LOCKED = "locked"


class Move(StrEnum):
    SHUT = "shut"
    LOCK = "lock"
    UNLOCK = "unlock"
    OPEN = "open"


KEYHOLDERS = frozenset({Role.ADMIN})
ANYONE = frozenset(Role)
DOOR: TransitionTable[Door, Move] = TransitionTable(
    "door",
    {
        Move.SHUT: {Door.OPEN: Step(Door.SHUT, ANYONE)},
        Move.LOCK: {Door.SHUT: Step(Door.LOCKED, KEYHOLDERS)},
        Move.UNLOCK: {Door.LOCKED: Step(Door.SHUT, KEYHOLDERS)},
        Move.OPEN: {Door.SHUT: Step(Door.OPEN, ANYONE)},
    },
)


def test_a_step_leads_to_its_state_for_a_role_it_names() -> None:
    assert DOOR.next_state(Door.OPEN, Move.SHUT, Role.AUDITOR) is Door.SHUT
    assert DOOR.next_state(Door.SHUT, Move.LOCK, Role.ADMIN) is Door.LOCKED


def test_a_step_not_possible_in_the_state_names_the_subject_state_and_action() -> None:
    with pytest.raises(InvalidTransitionError) as caught:
        DOOR.next_state(Door.LOCKED, Move.OPEN, Role.ADMIN)
    assert caught.value.public_fields() == {"kind": "door", "state": "locked", "action": "open"}
    assert str(caught.value) == "cannot open a door that is locked"


def test_a_step_possible_but_not_for_the_role_also_names_the_role() -> None:
    with pytest.raises(TransitionNotPermittedError) as caught:
        DOOR.next_state(Door.SHUT, Move.LOCK, Role.SPECIALIST)
    assert caught.value.public_fields() == {
        "kind": "door",
        "state": "shut",
        "action": "lock",
        "role": "specialist",
    }
    assert str(caught.value) == "A specialist may not lock a door that is shut."


def test_a_state_the_step_does_not_start_from_wins_over_the_role() -> None:
    with pytest.raises(InvalidTransitionError):
        DOOR.next_state(Door.OPEN, Move.LOCK, Role.SPECIALIST)


def test_available_actions_are_the_roles_steps_from_the_state_in_table_order() -> None:
    assert DOOR.available_actions(Door.SHUT, Role.ADMIN) == [Move.LOCK, Move.OPEN]
    assert DOOR.available_actions(Door.SHUT, Role.LEGAL) == [Move.OPEN]
    assert DOOR.available_actions(Door.LOCKED, Role.LEGAL) == []


def test_a_step_is_found_whoever_takes_it() -> None:
    assert DOOR.step(Door.SHUT, Move.LOCK) == Step(Door.LOCKED, KEYHOLDERS)
    with pytest.raises(InvalidTransitionError):
        DOOR.step(Door.OPEN, Move.UNLOCK)
