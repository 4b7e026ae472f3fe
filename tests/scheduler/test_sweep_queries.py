"""The sweep's read side costs a fixed number of queries, however much is due."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from domain import deadlines
from domain.notifications import ledger
from domain.shared.database import current_engine
from scheduler.sweep import derive_events
from tests.conftest import T0
from tests.scheduler.sweep_support import POLICY, cast, given_request, kinds, sweep_at

pytestmark = pytest.mark.usefixtures("db")
D = timedelta(days=1)
SWEEP_READS = 8
"""Own offsets, deadline candidates, secondary candidates, the requests changed since the last
sweep, the users, the digest, the intake counts and the due hold notices: one query each (the
digest and intake once a day)."""


async def _queries_to_derive(at: datetime, book: deadlines.RuleBook) -> tuple[int, int]:
    since = await ledger.last_swept_to(at)
    engine = current_engine()
    before = engine.query_id
    events = await derive_events(at, since, book, POLICY)
    return engine.query_id - before, len(events)


@pytest.mark.parametrize("requests", [1, 6])
async def test_what_is_due_is_read_in_the_same_queries_for_one_request_or_many(
    rulebook: deadlines.RuleBook, requests: int
) -> None:
    people = await cast()
    regs = [await given_request(rulebook, assignee=people.assignee) for _ in range(requests)]
    due = regs[0].due_at
    assert due is not None
    await sweep_at(T0, rulebook)
    reminder = await _queries_to_derive(due - 7 * D + timedelta(minutes=1), rulebook)
    overdue = await _queries_to_derive(due + 2 * D, rulebook)
    assert reminder[1] >= requests  # a reminder each (and a digest)
    assert overdue[1] >= 2 * requests  # overdue and escalated each
    assert (reminder[0], overdue[0]) == (SWEEP_READS, SWEEP_READS)


async def test_a_dry_run_reads_in_the_same_queries_for_one_request_or_many(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    first = await given_request(rulebook, assignee=people.assignee)
    assert first.due_at is not None
    at = first.due_at - 7 * D
    await sweep_at(T0, rulebook)
    engine = current_engine()
    counted = []
    for _ in range(2):
        before = engine.query_id
        report = await sweep_at(at, rulebook, dry_run=True)
        counted.append((engine.query_id - before, len(kinds(report))))
        for _ in range(5):
            await given_request(rulebook, assignee=people.assignee)
    assert [n for _, n in counted] == [1, 6]
    assert counted[0][0] == counted[1][0]
