"""Demo data: authorities across jurisdictions and requests in every state, each audited."""

from __future__ import annotations

from audit import store
from domain import deadlines
from domain.demo.requests import AUTHORITIES, seed_demo_data
from domain.identity import users
from domain.requests.listing import query_requests
from domain.requests.repo import RequestFilters
from domain.requests.workflow import RequestState
from domain.shared.model import AuditAction
from tests.conftest import ROOT, T0


async def test_a_new_database_gets_requests_in_every_state_once(
    db: str, rulebook: deadlines.RuleBook
) -> None:
    await users.seed_demo_users(actor=ROOT, now=T0)
    seeded = await seed_demo_data(rulebook, actor=ROOT, now=T0)
    assert len(seeded.authorities) == len(AUTHORITIES)
    assert len({a.country for a in seeded.authorities}) == len(AUTHORITIES)
    assert 40 <= len(seeded.requests) <= 60
    assert {r.state for r in seeded.requests} == set(RequestState)
    assert all(r.assignee is not None for r in seeded.requests)
    overdue = await query_requests(RequestFilters(overdue=True), now=T0, limit=200, after=None)
    assert overdue
    later = await query_requests(
        RequestFilters(due_within_days=3660), now=T0, limit=200, after=None
    )
    assert later
    closed = next(r for r in seeded.requests if r.state is RequestState.CLOSED)
    entries = await store.entries(subject=("request", str(closed.id)))
    assert entries[0].action == AuditAction.REQUEST_LOGGED.value
    assert entries[-1].action == AuditAction.REQUEST_CLOSED.value
    again = await seed_demo_data(rulebook, actor=ROOT, now=T0)
    assert (again.authorities, again.requests) == ([], [])


async def test_the_seed_fixes_what_is_seeded(db: str, rulebook: deadlines.RuleBook) -> None:
    await users.seed_demo_users(actor=ROOT, now=T0)
    seeded = await seed_demo_data(rulebook, actor=ROOT, now=T0)
    first = seeded.requests[0]
    assert (first.authority_reference, first.summary, first.received_at.isoformat()) == (
        "GB-27243",
        "User data about @user5242",
        "2026-02-28T19:30:00+00:00",
    )


async def test_demo_holds_two_active_one_released_with_and_without_acknowledgements(
    db: str, rulebook: deadlines.RuleBook
) -> None:
    from domain.demo.holds import seed_demo_holds
    from domain.holds import queries as hold_queries
    from domain.holds.ack_links import ack_key
    from domain.holds.model import HoldState
    from domain.shared.model import Role

    await users.seed_demo_users(actor=ROOT, now=T0)
    await seed_demo_data(rulebook, actor=ROOT, now=T0)
    people = {u.role: u.as_actor() for u in await users.list_users(actor=ROOT)}
    held = await seed_demo_holds(
        rulebook,
        lawyer=people[Role.LEGAL],
        specialist=people[Role.SPECIALIST],
        key=ack_key("k"),
        now=T0,
    )
    assert [h.state for h in held] == [HoldState.ISSUED, HoldState.ACTIVE, HoldState.RELEASED]
    litigation, preservation, _ = held
    acked = {c.email: c.acknowledgement is not None for c in litigation.custodians}
    assert acked == {"jane.roe@example.com": True, "omar.haddad@example.com": False}
    assert preservation.preservation_request_id is not None
    assert preservation.expires_at is not None
    assert [d.key for d in preservation.data_sources] == ["account:@user7781"]
    covering = await hold_queries.check_preservation(None, "account:@user7781", actor=ROOT)
    assert [c.id for c in covering] == [preservation.id]
    again = await seed_demo_holds(
        rulebook, lawyer=people[Role.LEGAL], specialist=people[Role.SPECIALIST], key=b"k", now=T0
    )
    assert again == []
