"""Two sweeps at once send each notification once (two connections on PostgreSQL, two processes).

The ``RecordingChannel`` here only counts sends; the ledger, the claims and the audit entries
are the real ones.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from domain import deadlines
from tests.conftest import ENGINE, T0, docket
from tests.scheduler.sweep_support import (
    RecordingChannel,
    cast,
    given_request,
    sent_entries,
    sweep_at,
)

pytestmark = pytest.mark.usefixtures("db")


async def test_two_sweeps_in_parallel_send_each_notification_once(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    regs = [await given_request(rulebook, assignee=people.assignee) for _ in range(8)]
    due = regs[0].due_at
    assert due is not None
    await sweep_at(T0, rulebook, RecordingChannel())
    first, second = RecordingChannel(), RecordingChannel()
    at = due + timedelta(days=2)  # due, overdue and escalation for each request
    reports = await asyncio.gather(
        sweep_at(at, rulebook, first, worker_id="a"),
        sweep_at(at, rulebook, second, worker_id="b"),
    )
    keys = [k for k in first.keys + second.keys if k.kind.startswith("request.")]
    assert len(keys) == len(set(keys)) == 8 * 2  # the overdue notice and the escalation each
    assert sum(r.failed for r in reports) == 0
    assert len(await sent_entries()) == 16


@pytest.mark.skipif(ENGINE != "postgres", reason="two processes on one PostgreSQL database")
async def test_two_worker_processes_on_postgresql_send_each_notification_once(
    rulebook: deadlines.RuleBook, env: dict[str, str]
) -> None:
    people = await cast()
    regs = [await given_request(rulebook, assignee=people.assignee) for _ in range(20)]
    due = regs[0].due_at
    assert due is not None
    now = (due + timedelta(days=2)).isoformat()
    runs = await asyncio.gather(
        *(asyncio.to_thread(docket, "reminders", "run", "--now", now, env=env) for _ in range(2))
    )
    for run in runs:
        assert run.returncode == 0, run.stderr
    lines = [ln for run in runs for ln in run.stdout.splitlines() if ln.startswith("sent")]
    request_lines = [ln for ln in lines if " request." in ln]
    assert len(request_lines) == len(set(request_lines)) == 20 * 2 * 2  # inbox and e-mail
    assert len(await sent_entries()) == 80
