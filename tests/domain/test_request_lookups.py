"""What other aggregates read of requests: internal lookups, one query each, no permission."""

from __future__ import annotations

import uuid

import pytest

from domain import deadlines
from domain.identity import users
from domain.requests import queries
from domain.requests import service as requests
from domain.requests.errors import RequestNotFoundError
from domain.shared.database import current_engine
from domain.shared.model import Role
from tests.conftest import ROOT, T0, make_user
from tests.scheduler.sweep_support import given_request

pytestmark = pytest.mark.usefixtures("db")


async def test_a_request_is_loaded_by_id_or_found_by_its_reference_in_any_case(
    rulebook: deadlines.RuleBook,
) -> None:
    reg_request = await given_request(rulebook, assignee=None)
    assert await queries.load_request(reg_request.id) == reg_request
    assert await queries.find_request_id(f" {reg_request.reference.lower()} ") == reg_request.id
    assert await queries.find_request_id("REQ-1999-000001") is None
    with pytest.raises(RequestNotFoundError):
        await queries.load_request(uuid.uuid4())


async def test_binding_due_dates_are_the_extended_ones_once_taken(
    rulebook: deadlines.RuleBook,
) -> None:
    plain = await given_request(rulebook, assignee=None)
    extended = await given_request(rulebook, assignee=None)
    extended = await requests.take_extension(
        rulebook, extended.id, expected_version=1, reason="complex", notified_on=T0.date(),
        actor=ROOT, now=T0,
    )  # fmt: skip
    assert extended.extended_due_at is not None
    assert extended.extended_due_at != plain.due_at
    engine = current_engine()
    before = engine.query_id
    found = await queries.binding_due_dates([plain.id, extended.id, uuid.uuid4()])
    assert engine.query_id - before == 1
    assert found == {plain.id: plain.due_at, extended.id: extended.extended_due_at}
    assert await queries.binding_due_dates([]) == {}


async def test_requests_are_loaded_together_by_id_in_one_query(
    rulebook: deadlines.RuleBook,
) -> None:
    assert not await queries.has_requests()
    first = await given_request(rulebook, assignee=None)
    second = await given_request(rulebook, assignee=None)
    engine = current_engine()
    before = engine.query_id
    found = await queries.load_requests([first.id, second.id, uuid.uuid4()])
    assert engine.query_id - before == 1
    assert found == {first.id: first, second.id: second}
    assert await queries.has_requests()


async def test_a_user_is_found_disabled_or_not_and_only_active_ones_hear_reminders() -> None:
    kept = await make_user(Role.SPECIALIST, "kept@docket.example")
    gone = await make_user(Role.LEGAL, "gone@docket.example")
    gone = await users.disable_user(gone.id, actor=ROOT, now=T0)
    assert await users.find_user(gone.id) == gone
    assert await users.find_user(uuid.uuid4()) is None
    assert [u.email for u in await users.active_users()] == [kept.email]
