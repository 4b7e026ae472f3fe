"""How pressing a request's deadline is: a band by the share of its period left (pure).

Bands by share rather than by hours, so that a one-hour takedown order and a three-month
rights request read alike: more than half of the period left is normal, a fifth to a half is
attention, less than a fifth is urgent, past the deadline is overdue. While the clock is
stopped the band is paused; once the answer is sent or the request is finished there is none.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Final

from domain.requests.model import RegulatoryRequest
from domain.requests.workflow import CLOCK_STOPPED_STATES, FINISHED_STATES, RequestState

ATTENTION_SHARE: Final = 0.5
URGENT_SHARE: Final = 0.2


class Band(StrEnum):
    """How pressing a deadline is; each has a word and a shape as well as a colour."""

    NORMAL = "normal"
    ATTENTION = "attention"
    URGENT = "urgent"
    OVERDUE = "overdue"
    PAUSED = "paused"
    ANSWERED = "answered"
    """Sent or finished: nothing is owed any more."""
    UNDATED = "undated"
    """No deadline yet (a date the authority sets, or an event not yet recorded)."""


def share_left(reg_request: RegulatoryRequest, now: datetime) -> float | None:
    """The part of the period from receipt to the binding deadline still ahead (may be < 0)."""
    due = reg_request.effective_due_at
    if due is None:
        return None
    period = (due - reg_request.received_at).total_seconds()
    if period <= 0:
        return 0.0 if now < due else -1.0
    return (due - now).total_seconds() / period


def deadline_band(reg_request: RegulatoryRequest, now: datetime) -> Band:
    """The band of ``reg_request``'s binding deadline at ``now``."""
    if reg_request.state in FINISHED_STATES or reg_request.state is RequestState.SENT:
        return Band.ANSWERED
    if reg_request.state in CLOCK_STOPPED_STATES:
        return Band.PAUSED
    return _band_of_share(share_left(reg_request, now))


def _band_of_share(share: float | None) -> Band:
    if share is None:
        return Band.UNDATED
    if share <= 0:
        return Band.OVERDUE
    if share < URGENT_SHARE:
        return Band.URGENT
    return Band.ATTENTION if share <= ATTENTION_SHARE else Band.NORMAL
