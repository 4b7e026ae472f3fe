"""A sealed request's reminders, escalations and digests reach only those who may read it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain import deadlines
from domain.notifications import inbox
from domain.requests.model import Confidentiality
from domain.requests.service import assign
from domain.requests.updates import update_request
from domain.shared.model import Actor, ActorKind, Role
from scheduler.sweep_plan import SweepPolicy
from tests.conftest import ROOT, T0, make_user
from tests.scheduler.sweep_support import cast, given_request, inbox_texts, sweep_at

pytestmark = pytest.mark.usefixtures("db")
SECRET_TEXT = "Sealed order about suspect@example.com"
POLICY = SweepPolicy(base_url="http://docket.test", digest_hour=7, spike_min_count=3)


async def test_only_the_readers_of_a_sealed_request_hear_of_it(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    others = [
        await make_user(Role.SPECIALIST, "other@docket.example"),
        await make_user(Role.AUDITOR, "auditor@docket.example"),
    ]
    logged = await given_request(
        rulebook, assignee=people.assignee, confidentiality=Confidentiality.SEALED
    )
    reg = await update_request(
        rulebook,
        logged.id,
        expected_version=logged.version,
        changes={"summary": SECRET_TEXT},
        actor=ROOT,
        now=T0,
    )
    assert reg.due_at is not None
    for at in (T0, reg.due_at - timedelta(days=3), reg.due_at, reg.due_at + timedelta(days=2)):
        await sweep_at(at, rulebook, policy=POLICY)
    assignee = "\n".join(await inbox_texts(people.assignee))
    assert reg.reference in assignee
    assert SECRET_TEXT in assignee  # the reminders and the digest of the reader
    assert reg.reference in "\n".join(await inbox_texts(people.lawyer))  # the escalation
    for other in others:
        texts = "\n".join(await inbox_texts(other))
        assert reg.reference not in texts
        assert SECRET_TEXT not in texts


async def test_a_former_assignees_inbox_keeps_only_the_reference_of_a_sealed_request(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    successor = await make_user(Role.SPECIALIST, "next@docket.example")
    logged = await given_request(
        rulebook, assignee=people.assignee, confidentiality=Confidentiality.SEALED
    )
    reg = await update_request(
        rulebook,
        logged.id,
        expected_version=logged.version,
        changes={"summary": SECRET_TEXT},
        actor=ROOT,
        now=T0,
    )
    assert reg.due_at is not None
    await sweep_at(T0, rulebook, policy=POLICY)
    await sweep_at(reg.due_at - timedelta(days=3), rulebook, policy=POLICY)
    former = Actor(kind=ActorKind.USER, id=people.assignee.id, role=Role.SPECIALIST, name="a")
    before = await inbox.list_inbox(actor=former)
    assert any(SECRET_TEXT in f"{m.subject}\n{m.text}" for m in before.items)

    await assign(reg.id, expected_version=reg.version, assignee=successor.id, actor=ROOT, now=T0)
    for page in (
        await inbox.list_inbox(actor=former),
        await inbox.list_unread_first(actor=former),
    ):
        about = [m for m in page.items if m.request_id == reg.id]
        assert about
        for message in about:
            assert SECRET_TEXT not in f"{message.subject}\n{message.text}"
            assert message.subject == f"{reg.reference}: a sealed request"
    marked = await inbox.mark_read(about[0].id, actor=former, now=T0)
    assert SECRET_TEXT not in f"{marked.subject}\n{marked.text}"
