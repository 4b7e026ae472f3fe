"""What each notification kind says: gettext templates filled from the notification's context.

Imported by ``scheduler.messages``, which picks the catalog and renders text and HTML. Every
string here is extracted into ``scheduler/locales/messages.pot`` (see its ``babel.cfg``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_date, format_datetime, format_time, get_datetime_format
from babel.numbers import format_decimal
from babel.support import NullTranslations

from scheduler.channels.base import Notification

_DAY: Final = timedelta(days=1)
_HOUR: Final = timedelta(hours=1)
_ISO_DATE_LENGTH: Final = 10


@dataclass(frozen=True, slots=True)
class Text:
    """Translation and formatting for one recipient (``_``/``ngettext`` are gettext keywords)."""

    t: NullTranslations
    locale: Locale
    tz: ZoneInfo

    def _(self, message: str, **values: object) -> str:
        return self.t.gettext(message).format(**values)

    def ngettext(self, singular: str, plural: str, count: int, **values: object) -> str:
        """The plural form for ``count``, with ``{count}`` and ``values`` filled in."""
        return self.t.ngettext(singular, plural, count).format(count=count, **values)

    def when(self, value: object) -> str:
        """A deadline: a date alone for all-day values, else date, time and zone."""
        if isinstance(value, str) and len(value) == _ISO_DATE_LENGTH:
            return format_date(date.fromisoformat(value), "long", locale=self.locale)
        moment = _instant(value)
        if moment is None:
            return str(value)
        day = format_date(moment.astimezone(self.tz), "long", locale=self.locale)
        clock = format_time(moment, "short", tzinfo=self.tz, locale=self.locale)
        return str(get_datetime_format("long", locale=self.locale)).format(
            f"{clock} {self.abbreviation(moment)}", day
        )

    def abbreviation(self, moment: datetime) -> str:
        """The zone's short name at ``moment``.

        The locale's (``MEZ``), else the tz database's (``NZDT``, as the web pages show it),
        else the offset CLDR gives (``+1300``).
        """
        cldr = str(format_datetime(moment, "z", tzinfo=self.tz, locale=self.locale))
        if any(c.isalpha() for c in cldr) and not cldr.startswith(("GMT", "UTC")):
            return cldr
        tzdb = moment.astimezone(self.tz).tzname() or ""
        return tzdb if any(c.isalpha() for c in tzdb) else cldr

    def span(self, delta: timedelta) -> str:
        """``3 days`` / ``1 day`` / ``4 hours`` (whole units, never below one hour)."""
        if delta >= _DAY:
            days = delta // _DAY
            return self.ngettext("{count} day", "{count} days", days)
        hours = max(1, round(delta / _HOUR))
        return self.ngettext("{count} hour", "{count} hours", hours)

    def number(self, value: object) -> str:
        """A number in the locale's notation (``2,5`` in German); anything else as text."""
        if isinstance(value, int | float):
            return format_decimal(value, locale=self.locale)
        return str(value)


def _instant(value: object) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def zone(name: object) -> ZoneInfo:
    """The named time zone, or UTC when the name is missing or unknown."""
    try:
        return ZoneInfo(str(name)) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@dataclass(frozen=True, slots=True)
class Body:
    """What a kind says: a subject, paragraphs, optional items (or grouped items) and a link."""

    subject: str
    paragraphs: Sequence[str]
    items: Sequence[str] = ()
    link: str = ""
    groups: Sequence[tuple[str, Sequence[str]]] = ()
    """Items under headings (a digest's days), after ``items``."""


def _str(ctx: Mapping[str, object], *names: str, default: str = "") -> str:
    for name in names:
        value = ctx.get(name)
        if value not in (None, ""):
            return str(value)
    return default


def _remaining(n: Notification, tx: Text) -> str:
    due = _instant(n.context.get("due"))
    if due is None:
        return ""
    return tx.span(max(due - n.due_at, timedelta(0)))


def _late(n: Notification, tx: Text) -> str:
    due = _instant(n.context.get("due"))
    if due is None:
        return ""
    return tx.span(max(n.due_at - due, _HOUR))


def _request(n: Notification, tx: Text) -> Body:  # noqa: PLR0911 - one branch per kind
    c = n.context
    ref = _str(c, "reference", default=n.subject_id)
    title = _str(c, "title", "summary")
    due = tx.when(c.get("due", n.due_at.isoformat()))
    lead = [title] if title else []
    link = _str(c, "link")
    if n.kind == "request.reminder":
        left = _remaining(n, tx)
        return Body(
            tx._("Reminder: {reference} is due in {remaining}", reference=ref, remaining=left),
            [*lead, tx._("Request {reference} is due on {due}.", reference=ref, due=due)],
            link=link,
        )
    if n.kind == "request.due":
        return Body(
            tx._("Due now: {reference}", reference=ref),
            [*lead, tx._("Request {reference} is due now ({due}).", reference=ref, due=due)],
            link=link,
        )
    if n.kind == "request.overdue":
        late = _late(n, tx)
        return Body(
            tx._("Overdue: {reference} is {late} late", reference=ref, late=late),
            [*lead, tx._("Request {reference} was due on {due}.", reference=ref, due=due)],
            link=link,
        )
    if n.kind == "request.escalation":
        late = _late(n, tx)
        assignee = _str(c, "assignee", default=tx._("nobody"))
        return Body(
            tx._("Escalation: {reference} is overdue by {late}", reference=ref, late=late),
            [
                *lead,
                tx._("Request {reference} was due on {due}.", reference=ref, due=due),
                tx._("Assigned to: {assignee}", assignee=assignee),
            ],
            link=link,
        )
    if n.kind == "request.ack_due":
        return Body(
            tx._("Acknowledge receipt of {reference} by {due}", reference=ref, due=due),
            [*lead, tx._("The authority must receive an acknowledgement by {due}.", due=due)],
            link=link,
        )
    if n.kind == "request.extension_notice_due":
        return Body(
            tx._("Extension notice for {reference} is due by {due}", reference=ref, due=due),
            [*lead, tx._("To extend the deadline, notify the authority by {due}.", due=due)],
            link=link,
        )
    return Body(  # request.nondisclosure_ends
        tx._("Non-disclosure for {reference} ends on {due}", reference=ref, due=due),
        [*lead, tx._("From {due} on, the user may be told about this request.", due=due)],
        link=link,
    )


def _hold(n: Notification, tx: Text) -> Body:
    c = n.context
    matter = _str(c, "matter", "reference", default=n.subject_id)
    title = _str(c, "title")
    lead = [title] if title else []
    link = _str(c, "link")
    notice = _str(c, "notice_text")
    if n.kind == "hold.notice":
        text = tx._(
            "You must preserve all documents and data relevant to matter {matter}. "
            "Do not delete, alter or discard them until you are told the hold is released.",
            matter=matter,
        )
        ack = tx._("Please confirm that you have read this notice:")
        paragraphs = [*lead, text, *([notice] if notice else []), ack]
        return Body(tx._("Legal hold: {matter}", matter=matter), paragraphs, link=link)
    if n.kind == "hold.reminder":
        text = tx._("You have not yet acknowledged the legal hold on {matter}.", matter=matter)
        return Body(
            tx._("Reminder: please acknowledge the legal hold on {matter}", matter=matter),
            [*lead, text],
            link=link,
        )
    if n.kind == "hold.escalation":
        who = _str(c, "custodian", "custodian_email", default="?")
        return Body(
            tx._("Escalation: legal hold {matter} not acknowledged", matter=matter),
            [*lead, tx._("{custodian} has not acknowledged the legal hold.", custodian=who)],
            link=link,
        )
    if n.kind == "hold.reaffirmation":
        text = tx._("The legal hold on {matter} is still in force.", matter=matter)
        return Body(
            tx._("Legal hold still in force: {matter}", matter=matter), [*lead, text], link=link
        )
    if n.kind == "hold.release":
        text = tx._("You no longer need to preserve data for matter {matter}.", matter=matter)
        return Body(tx._("Legal hold released: {matter}", matter=matter), [*lead, text], link=link)
    left = _remaining(n, tx)  # hold.preservation_expiry
    due = tx.when(c.get("due", n.due_at.isoformat()))
    return Body(
        tx._("Preservation for {matter} ends in {remaining}", matter=matter, remaining=left),
        [*lead, tx._("The preservation period ends on {due}. Renew it in time.", due=due)],
        link=link,
    )


def _day_group(due: object, today: date, tz: ZoneInfo) -> int:
    """0 overdue, 1 today, 2 tomorrow, 3 later: by the reader's local date."""
    if isinstance(due, str) and len(due) == _ISO_DATE_LENGTH:
        day: date | None = date.fromisoformat(due)
    else:
        moment = _instant(due)
        day = None if moment is None else moment.astimezone(tz).date()
    if day is None:
        return 3
    return min(max((day - today).days + 1, 0), 3)


def _digest_groups(n: Notification, tx: Text) -> list[tuple[str, list[str]]]:
    raw = n.context.get("items")
    entries = raw if isinstance(raw, list | tuple) else []
    today = n.due_at.astimezone(tx.tz).date()  # the digest's day where the reader is
    grouped: dict[int, list[str]] = {}
    for entry in entries:
        if isinstance(entry, Mapping):
            ref = _str(entry, "reference", "matter", default="?")
            due = tx.when(entry.get("due", ""))
            title = _str(entry, "title")
            text = f"{ref}: {due}" + (f" ({title})" if title else "")
            grouped.setdefault(_day_group(entry.get("due"), today, tx.tz), []).append(text)
        else:
            grouped.setdefault(3, []).append(str(entry))
    titles = (tx._("Overdue"), tx._("Today"), tx._("Tomorrow"), tx._("Later"))
    return [(titles[g], grouped[g]) for g in sorted(grouped)]


def _digest(n: Notification, tx: Text) -> Body:
    groups = _digest_groups(n, tx)
    count = sum(len(items) for _, items in groups)
    if not count:
        paragraphs = [tx._("Nothing is due in the next 7 days.")]
    else:
        paragraphs = [
            tx.ngettext(
                "{count} deadline in the next 7 days:",
                "{count} deadlines in the next 7 days:",
                count,
            )
        ]
    subject = tx.ngettext(
        "Your deadlines: {count} item in the next 7 days",
        "Your deadlines: {count} items in the next 7 days",
        count,
    )
    return Body(subject, paragraphs, groups=groups, link=_str(n.context, "link"))


def _spike(n: Notification, tx: Text) -> Body:
    c = n.context
    source = _str(c, "source", "authority", "jurisdiction", default=n.subject_id)
    count = c.get("count", c.get("last_week", 0))  # the sweep records ``last_week``
    count_n = count if isinstance(count, int) else 0
    return Body(
        tx.ngettext(
            "Spike: {count} request from {source} in 7 days",
            "Spike: {count} requests from {source} in 7 days",
            count_n,
            source=source,
        ),
        [
            tx._(
                "The weekly average over the previous 8 weeks was {average}.",
                average=tx.number(c.get("average", c.get("weekly_average", "?"))),
            )
        ],
        link=_str(c, "link"),
    )


BUILDERS: Final[Mapping[str, Callable[[Notification, Text], Body]]] = {
    **dict.fromkeys(
        (
            "request.reminder",
            "request.due",
            "request.overdue",
            "request.escalation",
            "request.ack_due",
            "request.extension_notice_due",
            "request.nondisclosure_ends",
        ),
        _request,
    ),
    **dict.fromkeys(
        (
            "hold.notice",
            "hold.reminder",
            "hold.escalation",
            "hold.reaffirmation",
            "hold.release",
            "hold.preservation_expiry",
        ),
        _hold,
    ),
    "digest.daily": _digest,
    "alert.spike": _spike,
}
KINDS: Final = frozenset(BUILDERS)
