"""``docket reminders run`` (one sweep as if it were a given time) and ``docket worker``."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import click

from api.cli_support import EXIT_FAILED, fail, load_settings
from api.clock import SystemClock
from api.settings import Settings
from api.sweep_wiring import sweep_channels, sweep_job, sweep_policy
from domain import audit_log, deadlines
from domain.holds.notice_plan import HoldPolicy
from domain.shared import audit_trail, database
from domain.shared.errors import EXPECTED_ERRORS
from scheduler.runner import CheckpointJob, start_scheduler
from scheduler.sweep import SweepReport, run_sweep


def hold_policy(settings: Settings) -> HoldPolicy:
    """The hold policy, as the API builds it (imported late: other commands need no Litestar)."""
    from api.app import hold_policy as from_settings  # noqa: PLC0415

    return from_settings(settings)


@dataclass(frozen=True, slots=True)
class _At:
    """A clock standing at the instant the operator named."""

    instant: datetime

    def now(self) -> datetime:
        return self.instant


def _instant(text: str | None) -> datetime:
    if text is None:
        return SystemClock().now()
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        fail(f"--now {text!r} is not an ISO 8601 date and time")
    if instant.tzinfo is None:
        fail(f"--now {text!r} has no time zone offset (add Z or +01:00)")
    return instant.astimezone(UTC)


async def _sweep(settings: Settings, now: datetime, *, dry_run: bool) -> SweepReport:
    audit_trail.correlation_id.set(f"cli-{uuid.uuid4().hex}")
    clock = _At(now)
    async with database.connected(settings.database_url):
        return await run_sweep(
            now,
            channels=sweep_channels(settings, clock),
            rulebook=deadlines.load(),
            policy=sweep_policy(settings, hold_policy(settings)),
            dry_run=dry_run,
        )


@click.group(name="reminders")
def reminders_group() -> None:
    """Reminders, digests and alerts."""


@reminders_group.command(name="run")
@click.option("--now", "now_text", metavar="ISO8601", help="Sweep as if it were this instant.")
@click.option("--dry-run", is_flag=True, help="List what would be sent; claim and send nothing.")
def reminders_run(now_text: str | None, dry_run: bool) -> None:
    """Run one sweep: a line per notification sent (or due, with --dry-run), then a summary."""
    settings = load_settings()
    now = _instant(now_text)
    try:
        report = asyncio.run(_sweep(settings, now, dry_run=dry_run))
    except EXPECTED_ERRORS as exc:
        fail(str(exc))
    for line in report.lines:
        click.echo(line)
    click.echo(report.summary)
    if report.failed:
        sys.exit(EXIT_FAILED)


async def _work(settings: Settings) -> None:
    clock = SystemClock()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with database.connected(settings.database_url):
        await database.check_ready()
        signer = audit_log.load_signer(
            settings.audit_origin, key_file=settings.audit_key_file, data_dir=settings.data_dir
        )
        checkpoints = CheckpointJob(signer, settings.audit_origin, clock)
        sweep = sweep_job(settings, clock, deadlines.load(), hold_policy(settings))
        scheduler = start_scheduler(
            checkpoints,
            interval_seconds=settings.checkpoint_interval,
            sweep=sweep,
            sweep_interval=settings.sweep_interval,
        )
        click.echo(
            f"docket worker: sweeping every {settings.sweep_interval} s, "
            f"checkpoints every {settings.checkpoint_interval} s; stop with SIGTERM",
            err=True,
        )
        try:
            await sweep()
            await stop.wait()
        finally:
            scheduler.shutdown(wait=False)
    click.echo("docket worker: stopped", err=True)


@click.command(name="worker")
def worker() -> None:
    """Run the scheduler (reminder sweep and audit checkpoints) until SIGTERM."""
    settings = load_settings()
    logging.basicConfig(level=settings.log_level, force=True, format="%(asctime)s %(message)s")
    try:
        asyncio.run(_work(settings))
    except EXPECTED_ERRORS as exc:
        fail(str(exc))
