"""APScheduler 3.x in the API process or the worker: periodic jobs whose truth is in the DB."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from domain import audit_log
from domain.audit_log import LogIdentity
from domain.shared.clock import Clock
from jurisdictions.rulebook import RuleBook
from scheduler.channels.base import Channel
from scheduler.sweep import SweepReport, default_worker_id, run_sweep
from scheduler.sweep_plan import SweepPolicy

log = logging.getLogger("docket.scheduler")
sweep_log = logging.getLogger("docket.sweep")


@dataclass(frozen=True, slots=True)
class SweepJob:
    """The periodic sweep: one ``run_sweep`` as of the clock's now; failures are logged."""

    channels: Sequence[Channel]
    rulebook: RuleBook
    policy: SweepPolicy
    clock: Clock
    worker_id: str = ""

    async def run(self) -> SweepReport:
        """Sweep once as of now."""
        return await run_sweep(
            self.clock.now(),
            channels=self.channels,
            rulebook=self.rulebook,
            policy=self.policy,
            worker_id=self.worker_id or default_worker_id(),
        )

    async def __call__(self) -> None:
        """Sweep once; an error is logged and the next tick tries again."""
        try:
            report = await self.run()
        except Exception:
            sweep_log.exception("the reminder sweep failed")
            return
        if report.sent or report.failed:
            sweep_log.info("reminder sweep: %s", report.summary)


@dataclass(frozen=True, slots=True)
class CheckpointJob:
    """Signs a checkpoint whenever the audit log has grown (C2SP tlog-checkpoint)."""

    open_log: Callable[[], Awaitable[LogIdentity]]
    """The log's origin and signer (opened at the first call, after the database is migrated)."""
    clock: Clock

    async def __call__(self) -> None:
        """Sign if grown; a failure is logged and retried at the next tick."""
        try:
            opened = await self.open_log()
            note = await audit_log.sign_checkpoint(
                opened.signer, opened.origin, now=self.clock.now()
            )
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
