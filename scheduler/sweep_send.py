"""Sending what a sweep claimed, a batch at a time, and recording each outcome in the ledger.

A batch is rendered and handed to its channels. A channel that can take several messages at
once (the inbox: one write) gets them together, and the ledger then marks them all sent, each
with its own audit entry, in one transaction. A channel that sends one at a time (e-mail,
webhooks) has each message marked as soon as it is sent, as before. A failure is recorded on
its own, as before: retried later with backoff, or failed for good and audited.

Exactly once is the claim's: only notifications this worker claimed are sent here. A worker
that dies between a send and its mark leaves a claim whose lease runs out, and the sweep that
re-takes it sends again: for the inbox, a whole batch, which it absorbs (once per key); for
e-mail and webhooks, at most the one message in flight, as before.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from domain.notifications import ledger as notifications
from domain.notifications.model import DeliveryKey, DeliveryState
from scheduler.channels.base import (
    BatchChannel,
    Channel,
    DeliveryError,
    Notification,
    RenderedMessage,
    SendOutcome,
    backoff,
)
from scheduler.messages import render_message
from scheduler.sweep_plan import SweepPolicy

log = logging.getLogger("docket.sweep")


@dataclass(slots=True)
class SweepReport:
    """What a sweep did (or, on a dry run, would do): counts and one line per notification."""

    sent: int = 0
    failed: int = 0
    already_sent: int = 0
    lines: list[str] = field(default_factory=list)
    dry_run: bool = False
    would_send: int = 0
    """On a dry run, how many notifications a sweep would send (``sent`` stays 0)."""

    @property
    def summary(self) -> str:
        """``N sent, M failed, K already sent``; on a dry run ``N would send, K already sent``."""
        if self.dry_run:
            return f"dry run: {self.would_send} would send, {self.already_sent} already sent"
        return f"{self.sent} sent, {self.failed} failed, {self.already_sent} already sent"


def report_line(verb: str, n: Notification) -> str:
    """One line of a sweep's report about a notification."""
    ref = n.context.get("reference") or n.subject_id
    return (
        f"{verb:<10} {n.kind:<28} {n.subject_type}:{ref} due {n.due_at.isoformat()} "
        f"to {n.recipient_email} via {n.key.channel}"
    )


_MARKED: Final = DeliveryError("sent and marked sent")
"""The outcome of a message a one-at-a-time channel handed over, already marked sent."""


def _unexpected(n: Notification, exc: Exception) -> DeliveryError:
    """A bug or an unforeseen transport error: logged, and retried like a transient failure."""
    log.error("sending %s failed", n.key, exc_info=exc)
    return DeliveryError(f"{type(exc).__name__}: {exc}", retryable=True)


@dataclass(frozen=True, slots=True)
class Sender:
    """Sends claimed notifications over the configured channels and records the outcomes."""

    channels: dict[str, Channel]
    policy: SweepPolicy
    now: datetime

    async def _hand_over(
        self, items: Sequence[tuple[Notification, RenderedMessage]], name: str
    ) -> list[SendOutcome]:
        """Give one channel its messages: all at once if it can take them so, else one by one."""
        channel = self.channels.get(name)
        if channel is None:
            missing = DeliveryError(f"channel {name!r} is not configured", retryable=True)
            return [missing] * len(items)
        if isinstance(channel, BatchChannel):
            try:
                return await channel.send_many(items)
            except Exception as exc:  # nothing of the batch was handed over: retried
                return [_unexpected(n, exc) for n, _ in items]
        outcomes: list[SendOutcome] = []
        for n, message in items:
            try:
                await channel.send(n, message)
            except DeliveryError as exc:
                outcomes.append(exc)
            except Exception as exc:
                outcomes.append(_unexpected(n, exc))
            else:
                # Marked at once: a worker that dies later in the batch must not leave this
                # message (an e-mail, a webhook call) to be sent again. Such a send takes far
                # longer than the transaction that marks it.
                await notifications.mark_sent_batch([(n.key, message.subject)], now=self.now)
                outcomes.append(_MARKED)
        return outcomes

    async def send_batch(
        self, batch: Sequence[tuple[Notification, int]], report: SweepReport
    ) -> set[DeliveryKey]:
        """Send claimed notifications (each with its attempt number); return the keys sent."""
        outcomes: list[SendOutcome] = [None] * len(batch)
        subjects: list[str] = [""] * len(batch)
        by_channel: dict[str, list[tuple[int, Notification, RenderedMessage]]] = {}
        for i, (n, _) in enumerate(batch):
            try:
                message = render_message(n)
            except Exception as exc:
                outcomes[i] = _unexpected(n, exc)
                continue
            subjects[i] = message.subject
            by_channel.setdefault(n.key.channel, []).append((i, n, message))
        for name, items in by_channel.items():
            handed = await self._hand_over([(n, m) for _, n, m in items], name)
            for (i, _, _), outcome in zip(items, handed, strict=True):
                outcomes[i] = outcome
        sent = [(n.key, subjects[i]) for i, (n, _) in enumerate(batch) if outcomes[i] is None]
        await notifications.mark_sent_batch(sent, now=self.now)
        done = set()
        for (n, attempts), outcome in zip(batch, outcomes, strict=True):
            if outcome is None or outcome is _MARKED:
                done.add(n.key)
                report.sent += 1
                report.lines.append(report_line("sent", n))
            else:
                await self._failed(n, attempts, outcome, report)
        return done

    async def _failed(
        self, n: Notification, attempts: int, exc: DeliveryError, report: SweepReport
    ) -> None:
        retry_at = None
        if exc.retryable and attempts < self.policy.max_attempts:
            retry_at = self.now + backoff(attempts - 1)
        state = await notifications.mark_failed(
            n.key, error=exc.message, retry_at=retry_at, now=self.now
        )
        report.failed += 1
        verb = "failed" if state is DeliveryState.FAILED else "retrying"
        report.lines.append(report_line(verb, n) + f": {exc.message}")
