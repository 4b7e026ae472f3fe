"""Building the sweep's channels and job from plain values (the API maps settings onto these)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from domain.shared.clock import Clock
from jurisdictions.rulebook import RuleBook
from scheduler.channels.base import Channel
from scheduler.channels.email import EmailChannel, SmtpConfig
from scheduler.channels.inbox import InboxChannel
from scheduler.channels.webhook import WebhookChannel
from scheduler.sweep import SweepReport, default_worker_id, run_sweep
from scheduler.sweep_plan import SweepPolicy

log = logging.getLogger("docket.sweep")


def build_channels(
    *, smtp: SmtpConfig, webhook_url: str = "", webhook_secret: str = "", clock: Clock
) -> list[Channel]:
    """E-mail (SMTP, or the outbox without a host), the inbox, and a webhook when configured."""
    channels: list[Channel] = [EmailChannel(smtp, clock=clock), InboxChannel(clock=clock)]
    if webhook_url:
        channels.append(WebhookChannel(webhook_url, webhook_secret, clock=clock))
    return channels


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
            log.exception("the reminder sweep failed")
            return
        if report.sent or report.failed:
            log.info("reminder sweep: %s", report.summary)
