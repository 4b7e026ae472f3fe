"""Legal-hold services on the real database: every change is audited once, or not made."""

from __future__ import annotations

import uuid

import pytest

from audit import store
from domain.holds import queries as hold_queries
from domain.holds import service as holds
from domain.holds.errors import (
    HoldItemNotFoundError,
    HoldItemReleasedError,
    HoldNotFoundError,
)
from domain.holds.model import Custodian, DataSource, HoldState, LegalHold
from domain.holds.service import NewHold
from domain.holds.workflow import HOLD_WORKFLOW, HoldAction
from domain.shared.errors import (
    InvalidTransitionError,
    PermissionDeniedError,
    StaleVersionError,
    TransitionNotPermittedError,
    ValidationError,
)
from domain.shared.model import Actor, Role
from tests.conftest import ROOT, T0, make_user

pytestmark = pytest.mark.usefixtures("db")

JANE = Custodian(email="Jane.Roe@Example.com", name="Jane Roe", manager_email="boss@example.com")
MAILBOX = DataSource(system="exchange", identifier="jane.roe@example.com")


def _new(matter: str = "MAT-1", **changes: object) -> NewHold:
    values: dict[str, object] = {
        "matter": matter,
        "title": "Preserve",
        "custodians": (JANE,),
        "data_sources": (MAILBOX,),
        "keywords": ("merger", " merger ", ""),
        "scope_description": "Q1 trading",
        "notice_text": "Do not delete anything.",
    }
    values.update(changes)
    return NewHold(**values)  # type: ignore[arg-type]


async def _actions(hold: LegalHold) -> list[str]:
    found = await store.entries(subject=("legal_hold", str(hold.id)))
    return [e.action for e in found]


async def _active(matter: str = "MAT-1", actor: Actor = ROOT) -> LegalHold:
    hold = await holds.create_hold(_new(matter), actor=actor, now=T0)
    return await holds.issue_hold(hold.id, expected_version=hold.version, actor=actor, now=T0)


async def _version(hold: LegalHold) -> int:
    return (await hold_queries.get_hold(hold.id, actor=ROOT)).version


# ---------------------------------------------------------------- the pure workflow
def test_the_workflow_goes_draft_issued_released_for_legal_and_admins_only() -> None:
    next_state = HOLD_WORKFLOW.next_state
    assert next_state(HoldState.DRAFT, HoldAction.ISSUE, Role.LEGAL) is HoldState.ISSUED
    for preserving in (HoldState.ISSUED, HoldState.ACTIVE, HoldState.PARTIALLY_RELEASED):
        assert next_state(preserving, HoldAction.RELEASE, Role.ADMIN) is HoldState.RELEASED
        assert (
            next_state(preserving, HoldAction.RELEASE_CUSTODIAN, Role.LEGAL)
            is HoldState.PARTIALLY_RELEASED
        )
    with pytest.raises(InvalidTransitionError) as released:
        next_state(HoldState.RELEASED, HoldAction.ISSUE, Role.LEGAL)
    assert released.value.public_fields() == {
        "kind": "legal hold",
        "state": "released",
        "action": "issue",
    }
    with pytest.raises(TransitionNotPermittedError) as specialist:
        next_state(HoldState.DRAFT, HoldAction.ISSUE, Role.SPECIALIST)
    assert specialist.value.public_fields()["role"] == "specialist"
    assert HOLD_WORKFLOW.available_actions(HoldState.DRAFT, Role.SPECIALIST) == []
    assert HOLD_WORKFLOW.available_actions(HoldState.ACTIVE, Role.LEGAL) == [
        HoldAction.RELEASE,
        HoldAction.RELEASE_CUSTODIAN,
        HoldAction.RELEASE_DATA_SOURCE,
    ]


# ---------------------------------------------------------------- create, issue, release
async def test_create_drafts_a_hold_with_normalized_custodians_and_one_audit_entry() -> None:
    legal = (await make_user(Role.LEGAL)).as_actor()
    hold = await holds.create_hold(_new(), actor=legal, now=T0)
    assert hold.state is HoldState.DRAFT
    assert hold.custodians[0].email == "jane.roe@example.com"
    assert hold.data_sources[0].key == "exchange:jane.roe@example.com"
    assert hold.keywords == ("merger",)
    assert await _actions(hold) == ["hold.created"]
    assert await hold_queries.get_hold(hold.id, actor=legal) == hold
    # a draft preserves nothing
    assert await hold_queries.check_preservation("jane.roe@example.com", None, actor=ROOT) == []


async def test_create_refuses_bad_input_and_specialists_without_writing() -> None:
    specialist = (await make_user(Role.SPECIALIST)).as_actor()
    size = await store.size()
    with pytest.raises(PermissionDeniedError):
        await holds.create_hold(_new(), actor=specialist, now=T0)
    with pytest.raises(ValidationError):
        await holds.create_hold(_new(custodians=(), data_sources=()), actor=ROOT, now=T0)
    with pytest.raises(ValidationError):
        await holds.create_hold(_new(matter=" "), actor=ROOT, now=T0)
    bad = Custodian(email="not-an-email", name="", manager_email="")
    with pytest.raises(ValidationError):
        await holds.create_hold(_new(custodians=(bad,)), actor=ROOT, now=T0)
    assert await store.size() == size


async def test_issue_then_release_each_write_one_audit_entry() -> None:
    legal = (await make_user(Role.LEGAL)).as_actor()
    hold = await _active(actor=legal)
    assert hold.state is HoldState.ISSUED  # Jane has not acknowledged yet
    assert hold.issued_at == T0
    covering = await hold_queries.check_preservation("JANE.ROE@example.com", None, actor=ROOT)
    assert [c.id for c in covering] == [hold.id]
    released = await holds.release_hold(hold.id, expected_version=2, actor=legal, now=T0)
    assert released.state is HoldState.RELEASED
    assert (hold.version, released.version) == (2, 3)
    assert released.released_at == T0
    assert await _actions(hold) == ["hold.created", "hold.issued", "hold.released"]
    assert await hold_queries.check_preservation("jane.roe@example.com", None, actor=ROOT) == []


async def test_refused_transitions_change_nothing() -> None:
    specialist = (await make_user(Role.SPECIALIST)).as_actor()
    draft = await holds.create_hold(_new(), actor=ROOT, now=T0)
    with pytest.raises(InvalidTransitionError):
        await holds.release_hold(draft.id, expected_version=1, actor=ROOT, now=T0)
    with pytest.raises(InvalidTransitionError):
        await holds.release_custodian(draft.id, JANE.email, expected_version=1, actor=ROOT, now=T0)
    with pytest.raises(PermissionDeniedError):
        await holds.issue_hold(draft.id, expected_version=1, actor=specialist, now=T0)
    assert await _version(draft) == 1
    active = await holds.issue_hold(draft.id, expected_version=1, actor=ROOT, now=T0)
    with pytest.raises(InvalidTransitionError):
        await holds.issue_hold(draft.id, expected_version=2, actor=ROOT, now=T0)
    await holds.release_hold(active.id, expected_version=2, actor=ROOT, now=T0)
    with pytest.raises(InvalidTransitionError):
        await holds.release_hold(draft.id, expected_version=3, actor=ROOT, now=T0)
    with pytest.raises(InvalidTransitionError):
        await holds.release_data_source(
            draft.id, MAILBOX.key, expected_version=3, actor=ROOT, now=T0
        )
    assert await _version(draft) == 3
    assert await _actions(draft) == ["hold.created", "hold.issued", "hold.released"]


async def test_a_change_on_a_stale_version_is_refused_and_changes_nothing() -> None:
    hold = await _active()
    current = await hold_queries.get_hold(hold.id, actor=ROOT)
    with pytest.raises(StaleVersionError) as stale:
        await holds.release_hold(hold.id, expected_version=1, actor=ROOT, now=T0)
    assert stale.value.public_fields() == {
        "legal_hold_id": str(hold.id),
        "expected_version": 1,
        "version": 2,
    }
    with pytest.raises(StaleVersionError):
        await holds.release_custodian(hold.id, JANE.email, expected_version=3, actor=ROOT, now=T0)
    with pytest.raises(StaleVersionError):
        await holds.release_data_source(
            hold.id, MAILBOX.key, expected_version=1, actor=ROOT, now=T0
        )
    assert await hold_queries.get_hold(hold.id, actor=ROOT) == current
    assert await _actions(hold) == ["hold.created", "hold.issued"]


async def test_an_unknown_hold_is_not_found() -> None:
    with pytest.raises(HoldNotFoundError):
        await holds.issue_hold(uuid.uuid4(), expected_version=1, actor=ROOT, now=T0)


# ---------------------------------------------------------------- partial releases
async def test_releasing_a_custodian_also_held_elsewhere_names_the_covering_hold() -> None:
    first = await _active("MAT-1")
    second = await _active("MAT-2")
    release = await holds.release_custodian(
        first.id, "jane.roe@EXAMPLE.com", expected_version=2, actor=ROOT, now=T0
    )
    assert release.hold.state is HoldState.PARTIALLY_RELEASED  # the mailbox is still held
    assert release.hold.version == 3
    assert release.hold.custodians[0].released_at == T0
    assert [(c.id, c.matter) for c in release.still_covered_by] == [(second.id, "MAT-2")]
    covering = await hold_queries.check_preservation(JANE.email, None, actor=ROOT)
    assert [c.id for c in covering] == [second.id]
    assert await _actions(first) == ["hold.created", "hold.issued", "hold.custodian_released"]
    entries = await store.entries(subject=("legal_hold", str(first.id)))
    record = await store.changes_for(entries[-1].index)
    assert record is not None
    with pytest.raises(HoldItemReleasedError):
        await holds.release_custodian(first.id, JANE.email, expected_version=3, actor=ROOT, now=T0)
    with pytest.raises(HoldItemNotFoundError):
        await holds.release_custodian(
            first.id, "someone@example.com", expected_version=3, actor=ROOT, now=T0
        )
    assert await _version(first) == 3


async def test_releasing_the_last_cover_of_a_data_source_unpreserves_it() -> None:
    first = await _active("MAT-1")
    second = await _active("MAT-2")
    await holds.release_hold(second.id, expected_version=2, actor=ROOT, now=T0)
    release = await holds.release_data_source(
        first.id, MAILBOX.key, expected_version=2, actor=ROOT, now=T0
    )
    assert release.still_covered_by == []
    assert await hold_queries.check_preservation(None, MAILBOX.key, actor=ROOT) == []
    # the custodian is still held by the first hold
    assert [c.id for c in await hold_queries.check_preservation(JANE.email, None, actor=ROOT)] == [
        first.id
    ]
    assert (await _actions(first))[-1] == "hold.data_source_released"
    with pytest.raises(ValidationError):
        await holds.release_data_source(
            first.id, "no-colon", expected_version=3, actor=ROOT, now=T0
        )
    with pytest.raises(HoldItemNotFoundError):
        await holds.release_data_source(first.id, "drive:x", expected_version=3, actor=ROOT, now=T0)


async def test_releasing_a_data_source_held_elsewhere_keeps_it_preserved() -> None:
    first = await _active("MAT-1")
    second = await _active("MAT-2")
    release = await holds.release_data_source(
        first.id, MAILBOX.key, expected_version=2, actor=ROOT, now=T0
    )
    assert [c.id for c in release.still_covered_by] == [second.id]
    assert [c.id for c in await hold_queries.check_preservation(None, MAILBOX.key, actor=ROOT)] == [
        second.id
    ]


# ---------------------------------------------------------------- reading
async def test_check_needs_a_subject_and_the_check_permission() -> None:
    specialist = (await make_user(Role.SPECIALIST)).as_actor()
    with pytest.raises(ValidationError):
        await hold_queries.check_preservation(None, None, actor=ROOT)
    with pytest.raises(PermissionDeniedError):
        await hold_queries.check_preservation(JANE.email, None, actor=specialist)


async def test_list_filters_by_state_and_pages_with_a_cursor(clock) -> None:
    made = []
    for n in range(3):
        clock.advance(minutes=1)
        made.append(await holds.create_hold(_new(f"MAT-{n}"), actor=ROOT, now=clock.now()))
    await holds.issue_hold(made[0].id, expected_version=1, actor=ROOT, now=clock.now())
    first = await hold_queries.list_holds(actor=ROOT, limit=2)
    assert [h.id for h in first.items] == [made[2].id, made[1].id]
    assert first.next_cursor is not None
    rest = await hold_queries.list_holds(actor=ROOT, limit=2, cursor=first.next_cursor)
    assert [h.id for h in rest.items] == [made[0].id]
    assert rest.next_cursor is None
    issued = await hold_queries.list_holds(actor=ROOT, state=HoldState.ISSUED)
    assert [h.id for h in issued.items] == [made[0].id]
    by_matter = await hold_queries.list_holds(actor=ROOT, matter="MAT-1")
    assert [h.id for h in by_matter.items] == [made[1].id]
    by_custodian = await hold_queries.list_holds(actor=ROOT, custodian="JANE.ROE@example.com")
    assert len(by_custodian.items) == 3
    nobody = await hold_queries.list_holds(actor=ROOT, custodian="nobody@example.com")
    assert nobody.items == []
    with pytest.raises(ValidationError):
        await hold_queries.list_holds(actor=ROOT, cursor="garbage")
