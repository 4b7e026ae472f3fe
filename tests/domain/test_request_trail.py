"""A request's audit trail for its readers, and its deadline worked out again with the steps."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from audit import store
from domain import deadlines
from domain.requests import files as request_files
from domain.requests import queries
from domain.requests import service as requests
from domain.requests.errors import RequestNotFoundError
from domain.requests.trail import FieldChange, request_trail
from domain.requests.workflow import RequestAction, RequestState
from domain.shared.errors import PermissionDeniedError
from domain.shared.model import Actor, ActorKind, Role
from tests.conftest import ROOT, T0, make_user
from tests.factories import given_request

pytestmark = pytest.mark.usefixtures("db")
SYSTEM = Actor(kind=ActorKind.TOKEN, id=uuid.uuid4(), role=Role.SYSTEM, name="probe")


async def test_a_specialist_reads_every_entry_about_a_request_with_what_it_changed(
    rulebook: deadlines.RuleBook,
) -> None:
    specialist = await make_user(Role.SPECIALIST)
    reg = await given_request(rulebook)
    await given_request(rulebook)  # another request's entries are not in this trail
    triaged = await requests.transition(
        rulebook,
        reg.id,
        RequestAction.TRIAGE,
        expected_version=reg.version,
        actor=specialist.as_actor(),
        now=T0 + timedelta(hours=1),
    )
    comment = await request_files.add_comment(
        reg.id, "Called the regulator", actor=specialist.as_actor(), now=T0 + timedelta(hours=2)
    )

    trail = await request_trail(reg.id, actor=specialist.as_actor())

    assert [e.action for e in trail] == ["request.logged", "request.triaged", "request.commented"]
    logged, step, note = trail
    assert logged.actor_ref == "cli:test"
    assert logged.version == 1
    assert FieldChange("reference", None, reg.reference) in logged.changes
    assert step.actor_name == specialist.display_name
    assert step.actor_role == "specialist"
    assert step.time == T0 + timedelta(hours=1)
    assert step.version == triaged.version == 2
    assert step.changes == (FieldChange("state", "received", "triaged"),)
    assert note.version is None
    assert note.item_id == str(comment.id)
    assert note.changes == (FieldChange("body", None, "Called the regulator"),)
    indexes = [e.index for e in await store.entries(subject=("request", str(reg.id)))]
    assert [e.index for e in trail] == indexes


async def test_the_entries_after_a_version_are_what_others_changed_since(
    rulebook: deadlines.RuleBook,
) -> None:
    legal = await make_user(Role.LEGAL)
    reg = await given_request(rulebook)
    moved = await requests.transition(
        rulebook, reg.id, RequestAction.TRIAGE, expected_version=1, actor=ROOT, now=T0
    )
    await requests.assign(
        reg.id, expected_version=moved.version, assignee=legal.id, actor=ROOT, now=T0
    )

    since = await request_trail(reg.id, actor=legal.as_actor(), after_version=1)

    assert [(e.action, e.version) for e in since] == [
        ("request.triaged", 2),
        ("request.assigned", 3),
    ]
    assert since[1].changes == (FieldChange("assignee", None, legal.display_name),)
    assert await request_trail(reg.id, actor=legal.as_actor(), after_version=3) == []


async def test_the_trail_needs_requests_read_and_an_existing_request(
    rulebook: deadlines.RuleBook,
) -> None:
    reg = await given_request(rulebook)
    auditor = await make_user(Role.AUDITOR)
    assert len(await request_trail(reg.id, actor=auditor.as_actor())) == 1
    with pytest.raises(PermissionDeniedError):
        await request_trail(reg.id, actor=SYSTEM)
    with pytest.raises(RequestNotFoundError):
        await request_trail(uuid.uuid4(), actor=auditor.as_actor())


async def test_the_deadline_is_explained_with_its_clock_stops_and_citations(
    rulebook: deadlines.RuleBook,
) -> None:
    reg = await given_request(rulebook)
    for action, at in (
        (RequestAction.TRIAGE, T0),
        (RequestAction.START, T0),
        (RequestAction.REQUEST_CLARIFICATION, T0 + timedelta(days=3)),
        (RequestAction.RECEIVE_CLARIFICATION, T0 + timedelta(days=7)),
    ):
        reg = await requests.transition(
            rulebook, reg.id, action, expected_version=reg.version, actor=ROOT, now=at
        )
    assert reg.state is RequestState.IN_PROGRESS

    explained = await queries.explain_deadline(rulebook, reg, actor=ROOT)

    assert explained.due_at == reg.due_at
    assert explained.extended_due_at == reg.extended_due_at
    stops = [s for s in explained.steps if s.text.startswith("clock stopped on 5 days")]
    assert [s.citation for s in stops] == [rulebook.rule(reg.rule_id).stops.citation]
    assert all(s.citation for s in explained.steps)


async def test_the_extension_is_open_only_while_the_rule_has_one_and_it_is_untaken(
    rulebook: deadlines.RuleBook,
) -> None:
    reg = await given_request(rulebook)
    assert queries.extension_open(rulebook, reg, Role.SPECIALIST)
    assert not queries.extension_open(rulebook, reg, Role.AUDITOR)
    no_extension = await given_request(rulebook, rule_id="EU/dsa.art9-order")
    assert not queries.extension_open(rulebook, no_extension, Role.SPECIALIST)
    extended = await requests.take_extension(
        rulebook,
        reg.id,
        expected_version=reg.version,
        reason="complex",
        notified_on=T0.date(),
        actor=ROOT,
        now=T0,
    )
    assert not queries.extension_open(rulebook, extended, Role.SPECIALIST)
