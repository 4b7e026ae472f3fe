"""The scheduler really runs Docket's jobs: objects with an async ``__call__`` are awaited."""

from __future__ import annotations

import asyncio
from typing import cast

from scheduler.runner import CheckpointJob, start_scheduler


class Recording:
    """A job that records that it ran, on the scheduler's event loop."""

    def __init__(self) -> None:
        self.ran = asyncio.Event()

    async def __call__(self) -> None:
        self.ran.set()


async def test_both_jobs_run_on_the_event_loop() -> None:
    checkpoints, sweep = Recording(), Recording()
    scheduler = start_scheduler(
        cast(CheckpointJob, checkpoints), interval_seconds=1, sweep=sweep, sweep_interval=1
    )
    try:
        # Before the fix APScheduler ran such objects in a thread and dropped the coroutine.
        await asyncio.wait_for(asyncio.gather(checkpoints.ran.wait(), sweep.ran.wait()), 10)
    finally:
        scheduler.shutdown(wait=False)
    assert {job.id for job in scheduler.get_jobs()} == {"audit-checkpoint", "reminder-sweep"}
