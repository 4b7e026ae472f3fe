"""The events of a person's calendar feed, as ``icalendar`` components (RFC 5545).

References and dates only, never a request's summary: calendar providers fetch and keep the
feed. Deadlines that end with their local day are all-day events on that date; instants
(hour-based periods) are zero-length UTC events. Each has a stable UID and a one-day alarm.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Alarm, Calendar, Event

from domain.holds.model import PRESERVING_STATES
from domain.holds.tables import HoldTable
from domain.identity.model import User
from domain.requests.tables import RequestTable
from domain.requests.workflow import FINISHED_STATES

REAFFIRM_EVERY: Final = timedelta(days=90)
_LATE_IN_DAY: Final = time(23, 59)
_PRODID: Final = "-//Docket//Deadlines feed//EN"


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _zone(name: object) -> ZoneInfo:
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _event(
    uid: str,
    summary: str,
    *,
    at: datetime | None,
    day: date | None,
    tz: ZoneInfo,
    now: datetime,
    url: str,
    modified: datetime | None = None,
) -> Event | None:
    """A deadline: all-day on its date when it ends with the day, else a timed UTC event."""
    if at is None and day is None:
        return None
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("summary", summary)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    if modified is not None:
        event.add("last-modified", _aware(modified))
    local = None if at is None else _aware(at).astimezone(tz)
    if local is None or local.time() >= _LATE_IN_DAY:  # ends with its (local) day: all-day
        start = day if day is not None else local.date()  # type: ignore[union-attr]
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(days=1))
    else:  # an instant (hour-based periods): a zero-length event at it, in UTC
        event.add("dtstart", local.astimezone(UTC))
        event.add("dtend", local.astimezone(UTC))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", timedelta(days=-1))
    event.add_component(alarm)
    return event


async def request_events(user: User, *, host: str, base_url: str, now: datetime) -> list[Event]:
    """Deadlines of the requests assigned to ``user`` that are not finished."""
    rows = (
        await RequestTable.select()
        .where(RequestTable.assignee == user.id)
        .where(RequestTable.state.not_in([s.value for s in FINISHED_STATES]))
        .order_by(RequestTable.sort_due_at)
        .run()
    )
    events: list[Event | None] = []
    for r in rows:
        ref, rid, tz = str(r["reference"]), str(r["id"]), _zone(r["tz"])
        url = f"{base_url}/api/v1/requests/{rid}"
        common = {"tz": tz, "now": now, "url": url, "modified": r["updated_at"]}
        extended = bool(r["extension_taken"])
        events.append(
            _event(
                f"request-{rid}-due@{host}",
                f"Due: {ref}" + (" (original deadline)" if extended else ""),
                at=r["due_at"],
                day=r["due_date"],
                **common,
            )
        )
        if extended:
            events.append(
                _event(
                    f"request-{rid}-extended-due@{host}",
                    f"Due (extended): {ref}",
                    at=r["extended_due_at"],
                    day=r["extended_due_date"],
                    **common,
                )
            )
        elif r["extension_notice_due_at"] is not None:
            events.append(
                _event(
                    f"request-{rid}-extension-notice@{host}",
                    f"Extension notice due: {ref}",
                    at=r["extension_notice_due_at"],
                    day=None,
                    **common,
                )
            )
        if r["acknowledgement_due_at"] is not None and r["receipt_acknowledged_at"] is None:
            events.append(
                _event(
                    f"request-{rid}-ack-due@{host}",
                    f"Acknowledge receipt: {ref}",
                    at=r["acknowledgement_due_at"],
                    day=None,
                    **common,
                )
            )
    return [e for e in events if e is not None]


async def hold_events(*, host: str, base_url: str, now: datetime) -> list[Event]:
    """Review dates of preserving holds: re-affirmation every 90 days, preservation expiry."""
    preserving = [state.value for state in PRESERVING_STATES]
    holds = await HoldTable.select().where(HoldTable.state.is_in(preserving)).run()
    preservation_ids = [h["preservation_request_id"] for h in holds if h["preservation_request_id"]]
    preserved: dict[str, dict[str, object]] = {}
    if preservation_ids:
        for r in await RequestTable.select().where(RequestTable.id.is_in(preservation_ids)).run():
            preserved[str(r["id"])] = r
    events: list[Event | None] = []
    for h in holds:
        hid, matter = str(h["id"]), str(h["matter"])
        url = f"{base_url}/api/v1/holds/{hid}"
        issued = h["issued_at"]
        if isinstance(issued, datetime):
            first = _aware(issued).date() + REAFFIRM_EVERY
            event = _event(
                f"hold-{hid}-reaffirmation@{host}",
                f"Re-affirm legal hold: {matter}",
                at=None,
                day=first,
                tz=ZoneInfo("UTC"),
                now=now,
                url=url,
            )
            if event is not None:
                event.add("rrule", {"freq": "daily", "interval": REAFFIRM_EVERY.days})
            events.append(event)
        request = preserved.get(str(h["preservation_request_id"]))
        if request is not None:
            extended = bool(request["extension_taken"])
            events.append(
                _event(
                    f"hold-{hid}-preservation-expiry@{host}",
                    f"Preservation ends: {matter}",
                    at=request["extended_due_at" if extended else "due_at"],  # type: ignore[arg-type]
                    day=request["extended_due_date" if extended else "due_date"],  # type: ignore[arg-type]
                    tz=_zone(request["tz"]),
                    now=now,
                    url=url,
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
