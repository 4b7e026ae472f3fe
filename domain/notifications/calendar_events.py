"""The events of a person's calendar feed, as ``icalendar`` components (RFC 5545).

References and dates only, never a request's summary: calendar providers fetch and keep the
feed. Deadlines that end with their local day are all-day events on that date; instants
(hour-based periods) are zero-length UTC events. Each has a stable UID and a one-day alarm.
An event's ``DTSTAMP`` is when its request or hold last changed, not the time of the fetch, so
an unchanged feed is the same bytes on every fetch (its ETag holds; RFC 5545 §3.8.7.2 lets a
published object carry the time its information was created).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Alarm, Calendar, Event

from domain.holds import queries as holds
from domain.identity.model import User
from domain.requests import queries as requests
from domain.requests.model import RegulatoryRequest
from domain.shared import links

REAFFIRM_EVERY: Final = timedelta(days=90)
_LATE_IN_DAY: Final = time(23, 59)
_PRODID: Final = "-//Docket//Deadlines feed//EN"
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _zone(name: object) -> ZoneInfo:
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@dataclass(frozen=True, slots=True, kw_only=True)
class _Source:
    """What the events of one request or hold share: its zone, its link, its last change."""

    tz: ZoneInfo
    now: datetime
    url: str
    modified: datetime | None = None
    """The last change; ``None`` only where nothing says (then the fetch's ``now``)."""


def _start(at: datetime | None, day: date | None, tz: ZoneInfo) -> date | datetime | None:
    """A date when the deadline ends with its (local) day, else its instant in UTC."""
    local = None if at is None else _aware(at).astimezone(tz)
    if local is not None and local.time() < _LATE_IN_DAY:  # an instant (hour-based periods)
        return local.astimezone(UTC)
    if day is not None:
        return day
    return None if local is None else local.date()


def _event(
    uid: str, summary: str, *, at: datetime | None, day: date | None, source: _Source
) -> Event | None:
    """A deadline: all-day on its date when it ends with the day, else a zero-length UTC event."""
    start = _start(at, day, source.tz)
    if start is None:
        return None
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", _aware(source.modified or source.now))
    event.add("summary", summary)
    event.add("url", source.url)
    event.add("transp", "TRANSPARENT")
    if source.modified is not None:
        event.add("last-modified", _aware(source.modified))
    event.add("dtstart", start)
    event.add("dtend", start if isinstance(start, datetime) else start + timedelta(days=1))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", timedelta(days=-1))
    event.add_component(alarm)
    return event


def _request_events(
    reg_request: RegulatoryRequest, *, host: str, base_url: str, now: datetime
) -> list[Event | None]:
    ref, rid, tz = reg_request.reference, str(reg_request.id), _zone(reg_request.tz)
    url = links.request_page(base_url, rid)
    source = _Source(tz=tz, now=now, url=url, modified=reg_request.updated_at)
    extended = reg_request.extension_taken
    events = [
        _event(
            f"request-{rid}-due@{host}",
            f"Due: {ref}" + (" (original deadline)" if extended else ""),
            at=reg_request.statutory_due_at,
            day=reg_request.statutory_due_date,
            source=source,
        )
    ]
    if extended:
        events.append(
            _event(
                f"request-{rid}-extended-due@{host}",
                f"Due (extended): {ref}",
                at=reg_request.extended_due_at,
                day=reg_request.extended_due_date,
                source=source,
            )
        )
    elif reg_request.extension_notice_due_at is not None:
        events.append(
            _event(
                f"request-{rid}-extension-notice@{host}",
                f"Extension notice due: {ref}",
                at=reg_request.extension_notice_due_at,
                day=None,
                source=source,
            )
        )
    if (
        reg_request.acknowledgement_due_at is not None
        and reg_request.record.receipt_acknowledged_at is None
    ):
        events.append(
            _event(
                f"request-{rid}-ack-due@{host}",
                f"Acknowledge receipt: {ref}",
                at=reg_request.acknowledgement_due_at,
                day=None,
                source=source,
            )
        )
    return events


async def request_events(user: User, *, host: str, base_url: str, now: datetime) -> list[Event]:
    """Deadlines of the requests assigned to ``user`` that are not finished."""
    events: list[Event | None] = []
    for reg_request in await requests.assigned_unfinished(user.id):
        events += _request_events(reg_request, host=host, base_url=base_url, now=now)
    return [e for e in events if e is not None]


def _reaffirmation(
    hold: holds.HoldReviewDates, *, host: str, url: str, now: datetime
) -> Event | None:
    if hold.issued_at is None:
        return None
    event = _event(
        f"hold-{hold.id}-reaffirmation@{host}",
        f"Re-affirm legal hold: {hold.matter}",
        at=None,
        day=_aware(hold.issued_at).date() + REAFFIRM_EVERY,
        source=_Source(tz=ZoneInfo("UTC"), now=now, url=url, modified=hold.issued_at),
    )
    if event is not None:
        event.add("rrule", {"freq": "daily", "interval": REAFFIRM_EVERY.days})
    return event


async def hold_events(*, host: str, base_url: str, now: datetime) -> list[Event]:
    """Review dates of preserving holds: re-affirmation every 90 days, preservation expiry."""
    preserving = await holds.preserving_holds()
    preserved = await requests.load_requests(
        [h.preservation_request_id for h in preserving if h.preservation_request_id is not None]
    )
    events: list[Event | None] = []
    for hold in preserving:
        url = links.hold_link(base_url, hold.id)  # the API's URL until the holds have pages
        events.append(_reaffirmation(hold, host=host, url=url, now=now))
        kept = hold.preservation_request_id
        preservation = None if kept is None else preserved.get(kept)
        if preservation is not None:
            extended = preservation.extension_taken
            events.append(
                _event(
                    f"hold-{hold.id}-preservation-expiry@{host}",
                    f"Preservation ends: {hold.matter}",
                    at=preservation.extended_due_at if extended else preservation.due_at,
                    day=preservation.extended_due_date if extended else preservation.due_date,
                    source=_Source(
                        tz=_zone(preservation.tz),
                        now=now,
                        url=url,
                        modified=max(preservation.updated_at, hold.issued_at or _EPOCH),
                    ),
                )
            )
    return [e for e in events if e is not None]


def calendar(user: User, events: Iterable[Event]) -> bytes:
    """The iCalendar document of ``events``, named after ``user``."""
    cal = Calendar()
    cal.add("prodid", _PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Docket: {user.display_name}")
    cal.add("x-published-ttl", "PT1H")
    for event in events:
        cal.add_component(event)
    ical: bytes = cal.to_ical()
    return ical
