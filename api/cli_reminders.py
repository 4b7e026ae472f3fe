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

from api.cli_support import EXIT_FAILED, composition, fail, load_settings
from api.clock import SystemClock
from api.composition import Composition
from domain.shared import audit_trail, database
from domain.shared.errors import EXPECTED_ERRORS
from scheduler.sweep import SweepReport, run_sweep


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


async def _sweep(parts: Composition, *, dry_run: bool) -> SweepReport:
    audit_trail.correlation_id.set(f"cli-{uuid.uuid4().hex}")
    async with parts.connected():
        return await run_sweep(
            parts.clock.now(),
            channels=parts.channels,
            rulebook=parts.rulebook,
            policy=parts.sweep_policy,
            dry_run=dry_run,
        )


@click.group(name="reminders")
def reminders_group() -> None:
    """Reminders, digests and alerts."""


def _refuse_the_future(instant: datetime, *, dry_run: bool, force: bool) -> None:
    """A real sweep at a later instant sends today what falls due then, and dates it then."""
    if dry_run or force or instant <= SystemClock().now():
        return
    fail(
        f"--now {instant.isoformat()} is in the future: the sweep would send now what falls "
        "due by then and record it as sent then; use --dry-run to see it, or --force"
    )


@reminders_group.command(name="run")
@click.option("--now", "now_text", metavar="ISO8601", help="Sweep as if it were this instant.")
@click.option("--dry-run", is_flag=True, help="List what would be sent; claim and send nothing.")
@click.option("--force", is_flag=True, help="Run (not dry) with --now in the future all the same.")
def reminders_run(now_text: str | None, dry_run: bool, force: bool) -> None:
    """Run one sweep: a line per notification sent (or due, with --dry-run), then a summary.

    A --now in the future is refused unless --dry-run or --force.
    """
    instant = _instant(now_text)
    _refuse_the_future(instant, dry_run=dry_run, force=force)
    # the channels date what they record by the clock: it stands at the instant named
    parts = Composition(load_settings(), clock=_At(instant))
    try:
        report = asyncio.run(_sweep(parts, dry_run=dry_run))
    except EXPECTED_ERRORS as exc:
        fail(str(exc))
    for line in report.lines:
        click.echo(line)
    click.echo(report.summary)
    if report.failed:
        sys.exit(EXIT_FAILED)


async def _work(parts: Composition) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with parts.connected():
        await database.check_ready()
        await parts.open_audit_log()  # a lost key or another origin stops the worker here
        scheduler = parts.start_scheduler()
        click.echo(
            f"docket worker: sweeping every {parts.settings.reminders.sweep_interval} s, "
            f"checkpoints every {parts.settings.audit.checkpoint_interval} s; stop with SIGTERM",
            err=True,
        )
        try:
            await parts.sweep_job()
            await stop.wait()
        finally:
            scheduler.shutdown(wait=False)
    click.echo("docket worker: stopped", err=True)


@click.command(name="worker")
def worker() -> None:
    """Run the scheduler (reminder sweep and audit checkpoints) until SIGTERM."""
    parts = composition()
    level = parts.settings.server.log_level.value
    logging.basicConfig(level=level, force=True, format="%(asctime)s %(message)s")
    try:
        asyncio.run(_work(parts))
    except EXPECTED_ERRORS as exc:
        fail(str(exc))
