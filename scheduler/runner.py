"""APScheduler 3.x in the API process: periodic jobs whose truth lives in the database."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from domain import audit_log
from domain.audit_log import Signer
from domain.shared.clock import Clock

log = logging.getLogger("docket.scheduler")


@dataclass(frozen=True, slots=True)
class CheckpointJob:
    """Signs a checkpoint whenever the audit log has grown (C2SP tlog-checkpoint)."""

    signer: Signer
    origin: str
    clock: Clock

    async def __call__(self) -> None:
        """Sign if grown; a failure is logged and retried at the next tick."""
        try:
            note = await audit_log.sign_checkpoint(self.signer, self.origin, now=self.clock.now())
        except Exception:
            log.exception("signing an audit checkpoint failed")
            return
        if note is not None:
            log.info("signed audit checkpoint: %s", note.decode().splitlines()[1])


def as_coroutine_function(job: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
    """Wrap a job in an ``async def``.

    APScheduler 3 awaits only what ``inspect.iscoroutinefunction`` recognises; an object with
    an async ``__call__`` is not, so it would run in a thread and its coroutine never awaited.
    """

    async def run() -> None:
        await job()

    return run


def start_scheduler(
    checkpoints: CheckpointJob,
    *,
    interval_seconds: int,
    sweep: Callable[[], Awaitable[None]] | None = None,
    sweep_interval: int = 60,
) -> AsyncIOScheduler:
    """Start the scheduler on the running event loop with Docket's periodic jobs."""
    scheduler = AsyncIOScheduler(timezone="UTC")
    if sweep is not None:  # reminder sweep: the truth is in the ledger, not the job store
        scheduler.add_job(
            as_coroutine_function(sweep),
            "interval",
            seconds=sweep_interval,
            id="reminder-sweep",
            replace_existing=True,
            max_instances=1,
            coalesce=True,
        )
    scheduler.add_job(
        as_coroutine_function(checkpoints),  # was never awaited (an async __call__ object)
        "interval",
        seconds=interval_seconds,
        id="audit-checkpoint",
        replace_existing=True,
        max_instances=1,
        coalesce=True,
    )
    scheduler.start()
    return scheduler
