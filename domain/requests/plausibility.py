"""Dates a request cannot have had: refused before anything is saved (pure).

A receipt in the future or decades back, an event after now, a date the authority set, an
extension notice or the end of a non-disclosure period before receipt, a clock stop before
receipt or overlapping another. Each is most likely a typing slip (a wrong year, day and month
swapped) that would give a deadline no one could trust; the error names the field and says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from domain.requests.model import ClockPause, RegulatoryRequest
from domain.shared.errors import ValidationError

LONGEST_AGO: Final = timedelta(days=20 * 365)
"""How far back a receipt or event may lie: a request older than this is not open work."""


def check_not_long_ago(field: str, instant: datetime, *, now: datetime) -> None:
    """Refuse an instant decades before ``now``.

    Raises:
        ValidationError: on ``field``.
    """
    if instant < now - LONGEST_AGO:
        years = LONGEST_AGO.days // 365
        raise ValidationError(field, f"is more than {years} years ago: check the year")


def _received_on(reg_request: RegulatoryRequest) -> date:
    return reg_request.received_at.astimezone(ZoneInfo(reg_request.tz)).date()


def _check_days(reg_request: RegulatoryRequest) -> None:
    received_on = _received_on(reg_request)
    record = reg_request.record
    days = {
        "nondisclosure_expires_on": record.nondisclosure_expires_on,
        "notice_delay_expires_on": record.notice_delay_expires_on,
        "extension_notified_on": reg_request.extension_notified_on,
    }
    for field, day in days.items():
        if day is not None and day < received_on:
            raise ValidationError(field, f"is before the request was received ({received_on})")


def _check_pauses(reg_request: RegulatoryRequest, pauses: Sequence[ClockPause]) -> None:
    previous_end: datetime | None = None
    for index, pause in enumerate(sorted(pauses, key=lambda p: p.started_at)):
        if pause.started_at < reg_request.received_at:
            start = pause.started_at.isoformat()
            raise ValidationError(
                "received_at",
                f"is after the clock stop that began {start}: the clock cannot "
                "stop before the request arrives",
            )
        if previous_end is None and index > 0:
            raise ValidationError("pauses", "a clock stop begins while another still goes on")
        if previous_end is not None and pause.started_at < previous_end:
            raise ValidationError("pauses", "two clock stops overlap")
        previous_end = pause.ended_at


def check_clock_dates(
    reg_request: RegulatoryRequest, pauses: Sequence[ClockPause], *, now: datetime
) -> None:
    """Refuse a request whose dates cannot all be true together.

    Requires ``reg_request.tz`` to be a known zone (the deadline was computed in it).

    Raises:
        ValidationError: naming the field: ``received_at``, ``events.<name>``,
            ``due_set_by_authority.due_at``, ``nondisclosure_expires_on``,
            ``notice_delay_expires_on``, ``extension_notified_on`` or ``pauses``.
    """
    if reg_request.received_at > now:
        raise ValidationError("received_at", "is in the future")
    check_not_long_ago("received_at", reg_request.received_at, now=now)
    for name, at in reg_request.events.items():
        if at > now:
            raise ValidationError(f"events.{name}", "is in the future")
        check_not_long_ago(f"events.{name}", at, now=now)
    authority_due = reg_request.due_set_by_authority
    if authority_due is not None and authority_due.due_at < reg_request.received_at:
        raise ValidationError(
            "due_set_by_authority.due_at", "is before the request was received: check the date"
        )
    if authority_due is not None and authority_due.due_at > reg_request.received_at + LONGEST_AGO:
        years = LONGEST_AGO.days // 365
        raise ValidationError(
            "due_set_by_authority.due_at", f"is more than {years} years after receipt"
        )
    _check_days(reg_request)
    _check_pauses(reg_request, pauses)
