"""``docket reminders run --now … [--dry-run]`` with the real console script and database."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime, timedelta

import pytest

from domain import deadlines
from tests.conftest import DOCKET, T0, docket
from tests.scheduler.sweep_support import cast, given_request, inbox_kinds

pytestmark = pytest.mark.usefixtures("db")


async def test_a_dry_run_lists_what_would_be_sent_and_a_run_sends_it_once(
    rulebook: deadlines.RuleBook, env: dict[str, str]
) -> None:
    people = await cast()
    reg = await given_request(rulebook, assignee=people.assignee)
    assert reg.due_at is not None
    now = (reg.due_at + timedelta(hours=2)).isoformat()

    dry = docket("reminders", "run", "--now", now, "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.splitlines()
    due_lines = [ln for ln in lines if " request.due " in ln]
    assert len(due_lines) == 2  # e-mail (kept in the outbox) and the inbox of the assignee
    assert all(ln.startswith("would send") and reg.reference in ln for ln in due_lines)
    would = [ln for ln in lines if ln.startswith("would send")]
    assert lines[-1] == f"dry run: {len(would)} would send, 0 already sent"
    assert await inbox_kinds(people.assignee) == []

    run = docket("reminders", "run", "--now", now, env=env)
    assert run.returncode == 0, run.stderr
    sent = [ln for ln in run.stdout.splitlines() if ln.startswith("sent")]
    assert [ln for ln in sent if " request.due " in ln] == [
        ln.replace("would send", "sent      ", 1) for ln in due_lines
    ]
    assert run.stdout.splitlines()[-1] == f"{len(sent)} sent, 0 failed, 0 already sent"
    assert await inbox_kinds(people.assignee) == ["request.due"]

    again = docket("reminders", "run", "--now", now, env=env)
    assert again.stdout.splitlines() == ["0 sent, 0 failed, 0 already sent"]


async def test_a_run_in_the_future_is_refused_unless_dry_or_forced(
    rulebook: deadlines.RuleBook, env: dict[str, str]
) -> None:
    people = await cast()
    await given_request(rulebook, assignee=people.assignee)
    future = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    refused = docket("reminders", "run", "--now", future, env=env)
    assert refused.returncode == 2
    assert "is in the future" in refused.stderr
    assert "--dry-run" in refused.stderr
    assert await inbox_kinds(people.assignee) == []
    dry = docket("reminders", "run", "--now", future, "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines()[-1].startswith("dry run: ")
    assert await inbox_kinds(people.assignee) == []
    forced = docket("reminders", "run", "--now", future, "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert await inbox_kinds(people.assignee) == ["request.overdue"]


def test_now_must_be_an_aware_iso_instant(env: dict[str, str]) -> None:
    naive = docket("reminders", "run", "--now", T0.replace(tzinfo=None).isoformat(), env=env)
    assert naive.returncode == 2
    assert "time zone" in naive.stderr
    garbage = docket("reminders", "run", "--now", "tomorrow", env=env)
    assert garbage.returncode == 2
    assert "ISO 8601" in garbage.stderr


async def test_the_worker_sweeps_until_sigterm_and_then_stops_cleanly(
    rulebook: deadlines.RuleBook, env: dict[str, str]
) -> None:
    people = await cast()
    await given_request(rulebook, assignee=people.assignee)  # long overdue by the real clock
    worker = await asyncio.create_subprocess_exec(
        DOCKET,
        "worker",
        env={**env, "DOCKET_SWEEP_INTERVAL": "3600"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        for _ in range(300):  # the first sweep runs at start; wait for it (up to ~60 s)
            if await inbox_kinds(people.assignee):
                break
            await asyncio.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGTERM)
        _, raw = await asyncio.wait_for(worker.communicate(), timeout=60)
    err = raw.decode()
    assert worker.returncode == 0, err
    assert "docket worker: stopped" in err
    assert await inbox_kinds(people.assignee) == ["request.overdue"]
    assert await inbox_kinds(people.lawyer) == ["request.escalation"]
