"""APScheduler 3.x in the API process: periodic jobs whose truth lives in the database."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from domain.clock import Clock
from domain.services import audit_log
from domain.services.audit_log import Signer

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


def start_scheduler(checkpoints: CheckpointJob, *, interval_seconds: int) -> AsyncIOScheduler:
    """Start the scheduler on the running event loop with Docket's periodic jobs."""
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        checkpoints,
        "interval",
        seconds=interval_seconds,
        id="audit-checkpoint",
        replace_existing=True,
        max_instances=1,
        coalesce=True,
    )
    scheduler.start()
    return scheduler
