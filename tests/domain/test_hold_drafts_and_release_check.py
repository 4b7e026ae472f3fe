"""Changing a draft hold, and the check made before a release, on the real database."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.holds import service as holds
from domain.holds.errors import HoldItemNotFoundError, HoldItemReleasedError
from domain.holds.model import Custodian, DataSource, ack_progress
from domain.holds.release_check import release_warnings
from domain.holds.updates import update_draft
from domain.shared.errors import (
    InvalidTransitionError,
    PermissionDeniedError,
    StaleVersionError,
    ValidationError,
)
from domain.shared.model import Role
from tests.conftest import ROOT, T0, make_user
from tests.domain.test_holds_service import JANE, MAILBOX, _actions, _active, _new, _version

pytestmark = pytest.mark.usefixtures("db")
PRIYA = Custodian(email="priya@example.com", name="Priya", manager_email="")


async def test_a_draft_is_changed_whole_in_one_audited_step() -> None:
    draft = await holds.create_hold(_new(), actor=ROOT, now=T0)
    changed = await update_draft(
        draft.id,
        _new(
            "MAT-2",
            custodians=(PRIYA,),
            data_sources=(DataSource(system="Slack", identifier="C1"),),
        ),
        expected_version=draft.version,
        actor=ROOT,
        now=T0,
    )
    assert (changed.matter, changed.version) == ("MAT-2", draft.version + 1)
    assert [c.email for c in changed.custodians] == ["priya@example.com"]
    assert [d.key for d in changed.data_sources] == ["slack:C1"]
    assert await _actions(changed) == ["hold.created", "hold.draft_updated"]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"matter": " "}, ValidationError),
        ({"custodians": (), "data_sources": ()}, ValidationError),
        ({"data_sources": (DataSource(system="", identifier="x"),)}, ValidationError),
    ],
)
async def test_a_bad_change_to_a_draft_changes_nothing(changes, error) -> None:
    draft = await holds.create_hold(_new(), actor=ROOT, now=T0)
    with pytest.raises(error):
        await update_draft(
            draft.id, _new(**changes), expected_version=draft.version, actor=ROOT, now=T0
        )
    assert await _version(draft) == draft.version
    assert await _actions(draft) == ["hold.created"]


async def test_only_a_current_draft_is_changed_by_a_manager_of_holds() -> None:
    draft = await holds.create_hold(_new(), actor=ROOT, now=T0)
    with pytest.raises(StaleVersionError):
        await update_draft(draft.id, _new(), expected_version=draft.version + 1, actor=ROOT, now=T0)
    specialist = (await make_user(Role.SPECIALIST)).as_actor()
    with pytest.raises(PermissionDeniedError):
        await update_draft(
            draft.id, _new(), expected_version=draft.version, actor=specialist, now=T0
        )
    issued = await _active("MAT-I")
    with pytest.raises(InvalidTransitionError):
        await update_draft(issued.id, _new(), expected_version=issued.version, actor=ROOT, now=T0)
    assert await _actions(issued) == ["hold.created", "hold.issued"]


async def test_the_release_check_names_what_would_go_and_who_keeps_it() -> None:
    first = await _active("MAT-1")
    second = await _active("MAT-2")
    whole = await release_warnings(first.id, actor=ROOT, now=T0)
    assert whole.items == ("custodian:jane.roe@example.com", MAILBOX.key)
    assert [c.id for c in whole.still_covered_by] == [second.id]
    assert whole.still_covered_by[0].matched == ("custodian:jane.roe@example.com", MAILBOX.key)
    assert whole.preservation_until is None
    assert whole.any
    one = await release_warnings(first.id, actor=ROOT, now=T0, custodian=JANE.email.upper())
    assert one.items == ("custodian:jane.roe@example.com",)
    await holds.release_hold(second.id, expected_version=second.version, actor=ROOT, now=T0)
    alone = await release_warnings(first.id, actor=ROOT, now=T0 + timedelta(hours=1))
    assert not alone.any


async def test_the_release_check_refuses_what_the_hold_does_not_hold() -> None:
    hold = await _active()
    with pytest.raises(HoldItemNotFoundError):
        await release_warnings(hold.id, actor=ROOT, now=T0, custodian="nobody@example.com")
    with pytest.raises(ValidationError):
        await release_warnings(hold.id, actor=ROOT, now=T0, data_source="no-colon")
    await holds.release_custodian(
        hold.id, JANE.email, expected_version=hold.version, actor=ROOT, now=T0
    )
    with pytest.raises(HoldItemReleasedError):
        await release_warnings(hold.id, actor=ROOT, now=T0, custodian=JANE.email)


async def test_acknowledgement_progress_counts_only_custodians_still_held() -> None:
    hold = await holds.create_hold(_new(custodians=(JANE, PRIYA)), actor=ROOT, now=T0)
    hold = await holds.issue_hold(hold.id, expected_version=hold.version, actor=ROOT, now=T0)
    progress = ack_progress(hold)
    assert (progress.acknowledged, progress.held) == (0, 2)
    assert [c.email for c in progress.awaiting] == ["jane.roe@example.com", "priya@example.com"]
    partial = await holds.release_custodian(
        hold.id, PRIYA.email, expected_version=hold.version, actor=ROOT, now=T0
    )
    after = ack_progress(partial.hold)
    assert (after.acknowledged, after.held, after.complete) == (0, 1, False)
    released = await holds.release_hold(
        hold.id, expected_version=partial.hold.version, actor=ROOT, now=T0
    )
    assert (ack_progress(released).held, ack_progress(released).awaiting) == (0, ())
