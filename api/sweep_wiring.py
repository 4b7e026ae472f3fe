"""Settings onto the reminder sweep: its policy, channels and job (API process and worker)."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal, cast

from api.settings import Settings
from domain.deadlines import RuleBook
from domain.holds.ack_links import ack_key
from domain.holds.notice_plan import HoldPolicy
from domain.shared.clock import Clock
from scheduler.channels.base import Channel
from scheduler.channels.email import SmtpConfig
from scheduler.sweep_plan import SweepPolicy
from scheduler.wiring import SweepJob, build_channels


def sweep_policy(settings: Settings, hold_policy: HoldPolicy) -> SweepPolicy:
    """The sweep's knobs from ``DOCKET_*``."""
    return SweepPolicy(
        base_url=settings.base_url,
        escalate_after=timedelta(hours=settings.escalate_after_hours),
        digest_hour=settings.digest_hour,
        spike_factor=settings.spike_factor,
        spike_min_count=settings.spike_min_count,
        max_attempts=settings.delivery_max_attempts,
        locale=settings.notification_locale,
        ack_key=ack_key(settings.secret_key.value),
        hold_policy=hold_policy,
    )


def sweep_channels(settings: Settings, clock: Clock) -> list[Channel]:
    """E-mail (or the outbox), the inbox, and the webhook when one is configured."""
    smtp = SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        security=cast(Literal["starttls", "ssl", "none"], settings.smtp_security),
        username=settings.smtp_username,
        password=settings.smtp_password.value,
        sender=settings.smtp_from,
        timeout=float(settings.smtp_timeout),
    )
    return build_channels(
        smtp=smtp,
        webhook_url=settings.webhook_url,
        webhook_secret=settings.webhook_secret.value,
        clock=clock,
    )


def sweep_job(
    settings: Settings, clock: Clock, rulebook: RuleBook, hold_policy: HoldPolicy
) -> SweepJob:
    """The periodic sweep job for the scheduler."""
    return SweepJob(
        channels=sweep_channels(settings, clock),
        rulebook=rulebook,
        policy=sweep_policy(settings, hold_policy),
        clock=clock,
    )
