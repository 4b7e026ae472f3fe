"""Each change of a legal hold decided on a hold value, with no database (pure)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta

import pytest

from domain.holds import workflow
from domain.holds.errors import HoldItemNotFoundError, HoldItemReleasedError
from domain.holds.model import Acknowledgement, Custodian, DataSource, HoldState, LegalHold
from domain.shared.errors import InvalidTransitionError, TransitionNotPermittedError
from domain.shared.model import Role
from tests.conftest import T0

LATER = T0 + timedelta(days=1)
JANE = Custodian(email="jane.roe@example.com", name="Jane Roe", manager_email="")
JOHN = Custodian(email="john.doe@example.com", name="John Doe", manager_email="")
MAILBOX = DataSource(system="exchange", identifier="jane.roe@example.com")
ACK = Acknowledgement(at=LATER, address="203.0.113.7", user_agent="Mail", answers={})


def _hold(state: HoldState = HoldState.DRAFT, **changes: object) -> LegalHold:
    hold = LegalHold(
        id=uuid.UUID(int=7),
        version=4,
        matter="MAT-1",
        title="Preserve",
        state=state,
        request_ids=(),
        scope_start=None,
        scope_end=None,
        keywords=(),
        scope_description="",
        notice_text="",
        custodians=(JANE, JOHN),
        data_sources=(MAILBOX,),
        created_by="user:legal",
        created_at=T0,
    )
    return replace(hold, **changes)  # type: ignore[arg-type]


def test_issuing_waits_for_the_custodians_to_acknowledge() -> None:
    issued = workflow.issue(_hold(), role=Role.LEGAL, now=LATER)
    assert (issued.state, issued.issued_at, issued.version) == (HoldState.ISSUED, LATER, 4)


def test_a_hold_with_nobody_to_acknowledge_is_active_once_issued() -> None:
    issued = workflow.issue(_hold(custodians=()), role=Role.ADMIN, now=LATER)
    assert (issued.state, issued.issued_at) == (HoldState.ACTIVE, LATER)


def test_issuing_is_for_a_draft_and_for_hold_managers_only() -> None:
    with pytest.raises(InvalidTransitionError):
        workflow.issue(_hold(HoldState.ACTIVE), role=Role.LEGAL, now=LATER)
    with pytest.raises(TransitionNotPermittedError):
        workflow.issue(_hold(), role=Role.SPECIALIST, now=LATER)


def test_releasing_a_preserving_hold_stamps_when() -> None:
    released = workflow.release(_hold(HoldState.ACTIVE), role=Role.LEGAL, now=LATER)
    assert (released.state, released.released_at) == (HoldState.RELEASED, LATER)
    with pytest.raises(InvalidTransitionError):
        workflow.release(_hold(), role=Role.LEGAL, now=LATER)


def test_releasing_one_custodian_leaves_the_rest_held() -> None:
    hold = _hold(HoldState.ISSUED)
    changed = workflow.release_custodian(hold, JANE.email, role=Role.LEGAL, now=LATER)
    assert changed.state is HoldState.PARTIALLY_RELEASED
    assert [c.released_at for c in changed.custodians] == [LATER, None]
    assert changed.released_at is None
    with pytest.raises(HoldItemReleasedError):
        workflow.release_custodian(changed, JANE.email, role=Role.LEGAL, now=LATER)
    with pytest.raises(HoldItemNotFoundError):
        workflow.release_custodian(hold, "x@example.com", role=Role.LEGAL, now=LATER)
    with pytest.raises(InvalidTransitionError):  # the state is checked before the custodian
        workflow.release_custodian(_hold(), "x@example.com", role=Role.LEGAL, now=LATER)


def test_releasing_the_last_thing_held_releases_the_hold() -> None:
    hold = _hold(HoldState.ACTIVE, custodians=(replace(JANE, released_at=T0),))
    changed = workflow.release_data_source(hold, MAILBOX.key, role=Role.ADMIN, now=LATER)
    assert (changed.state, changed.released_at) == (HoldState.RELEASED, LATER)
    assert changed.data_sources[0].released_at == LATER
    with pytest.raises(HoldItemNotFoundError):
        workflow.release_data_source(hold, "drive:x", role=Role.ADMIN, now=LATER)
    with pytest.raises(TransitionNotPermittedError):
        workflow.release_data_source(hold, MAILBOX.key, role=Role.AUDITOR, now=LATER)


def test_the_hold_is_active_once_the_last_custodian_acknowledges() -> None:
    hold = _hold(HoldState.ISSUED)
    first = workflow.acknowledge(hold, JANE.email, ACK)
    assert first.state is HoldState.ISSUED
    assert [c.acknowledgement for c in first.custodians] == [ACK, None]
    second = workflow.acknowledge(first, JOHN.email, ACK)
    assert second.state is HoldState.ACTIVE


def test_an_acknowledgement_does_not_undo_a_partial_release() -> None:
    hold = _hold(HoldState.PARTIALLY_RELEASED, custodians=(JANE,))
    assert workflow.acknowledge(hold, JANE.email, ACK).state is HoldState.PARTIALLY_RELEASED
