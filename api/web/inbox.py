"""The inbox page: the signed-in user's notifications, unread first, marked read one or all.

Marking one read is a plain POST form that redirects back; htmx improves it into an in-place
update: the answer is the message's row and, out of band, the unread counts (the page's and
the header's) and a status line for screen readers. The CSRF token travels in the form and,
for htmx, in the ``hx-headers`` of the page's ``<body>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any, Final
from urllib.parse import urlencode
from uuid import UUID

from babel.dates import format_timedelta
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from api.guards import needs
from api.settings import ServerSettings, WebSettings
from api.web.i18n import N_
from api.web.pages import page, zone_of
from api.web.templating import LOCALE, Clockface
from domain.identity.sessions import SessionUser
from domain.notifications import inbox
from domain.notifications.model import InboxMessage
from domain.shared import links
from domain.shared.clock import Clock
from domain.shared.errors import ValidationError
from domain.shared.permissions import Permission

PAGE_SIZE: Final = 50
FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
QUERY_NAMES: Final = frozenset({"after", "before", "done"})

KIND_LABELS: Final = {
    "request.reminder": N_("Reminder"),
    "request.due": N_("Due now"),
    "request.overdue": N_("Overdue"),
    "request.escalation": N_("Escalation"),
    "request.ack_due": N_("Acknowledgement due"),
    "request.extension_notice_due": N_("Extension notice due"),
    "request.nondisclosure_ends": N_("Non-disclosure ends"),
    "digest.daily": N_("Daily digest"),
    "alert.spike": N_("Spike alert"),
    "hold.notice": N_("Legal hold notice"),
    "hold.reminder": N_("Legal hold reminder"),
    "hold.escalation": N_("Legal hold escalation"),
    "hold.reaffirmation": N_("Legal hold re-affirmation"),
    "hold.release": N_("Legal hold released"),
}
"""The kinds of message in words (translated where shown, through ``_()``)."""


def kind_label(kind: str) -> str:
    """What kind of message it is, in words (a kind added later: its own name)."""
    return KIND_LABELS.get(kind) or kind.replace("_", " ").replace(".", ": ")


def ago(face: Clockface, instant: datetime) -> str:
    """``3 hours ago``; "" within a minute of now.

    (``face.relative`` reads a past instant as overdue, which a message is not.)
    """
    delta = instant - face.now
    if abs(delta) < timedelta(minutes=1):
        return ""
    return format_timedelta(delta, threshold=1.1, add_direction=True, locale=LOCALE)


@dataclass(frozen=True, slots=True)
class Row:
    """One message as the inbox shows it."""

    message: InboxMessage
    href: str
    """Where its link leads, as a path when it is on this site ("" when it has none)."""
    kind: str


def href_of(link: str, base_url: str) -> str:
    """Where a message's link leads: a path on this site, a web address, or "" (no link)."""
    path = links.page_path(link, base_url)
    return path if path.startswith(("/", "https://", "http://")) else ""


def rows_of(messages: list[InboxMessage], base_url: str) -> list[Row]:
    """The rows of ``messages``."""
    return [Row(m, href_of(m.link, base_url), kind_label(m.kind)) for m in messages]


def inbox_link(**params: str | None) -> str:
    """The inbox URL with these parameters (None leaves one out)."""
    kept = {k: v for k, v in params.items() if v}
    return "/inbox" + (f"?{urlencode(kept)}" if kept else "")


def safe_back(value: object) -> str:
    """Where a form came from, if it is the inbox (else the inbox's first page)."""
    back = str(value or "")
    if (back == "/inbox" or back.startswith("/inbox?")) and not {"\r", "\n"} & set(back):
        return back
    return "/inbox"


def _with_done(back: str, outcome: str) -> str:
    base, _, query = back.partition("?")
    kept = [p for p in query.split("&") if p and not p.startswith("done=")]
    return base + "?" + "&".join([*kept, urlencode({"done": outcome})])


def done_outcome(outcome: str) -> tuple[str, int] | None:
    """What the last action did: ("read", 1) for one message, ("all", n) for all of them."""
    if outcome == "read":
        return "read", 1
    count = outcome.removeprefix("all-")
    if outcome.startswith("all-") and count.isdigit() and len(count) < 7:  # noqa: PLR2004
        return "all", int(count)
    return None


class InboxPageController(Controller):
    """The signed-in user's inbox."""

    path = "/inbox"
    include_in_schema = False

    @get("/", opt=needs(Permission.INBOX_READ))
    async def inbox(
        self,
        request: Request[object, object, State],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        server_settings: NamedDependency[ServerSettings],
    ) -> Template:
        """The inbox page: unread messages first, newest first, a page at a time."""
        values = {k: v.strip() for k, v in request.query_params.items() if v.strip()}
        errors = {k: f"{k!r} is not a parameter of the inbox" for k in set(values) - QUERY_NAMES}
        found = None
        if not errors:
            try:
                found = await inbox.list_unread_first(
                    actor=viewer.actor,
                    limit=PAGE_SIZE,
                    after=values.get("after"),
                    before=values.get("before"),
                )
            except ValidationError as exc:
                errors[exc.field] = f"{exc.message}: start again from the first page"
        return await page(
            "inbox.html",
            viewer=viewer,
            clock=clock,
            default_zone=web_settings.time_zone,
            active="inbox",
            status_code=422 if errors else 200,
            errors=errors,
            found=found,
            rows=rows_of(found.items if found else [], server_settings.base_url),
            here=inbox_link(after=values.get("after"), before=values.get("before")),
            inbox_link=inbox_link,
            ago=ago,
            done=done_outcome(values.get("done", "")),
            shown_at=clock.now().isoformat(),
        )

    @post(
        "/{message_id:uuid}/read",
        opt=needs(Permission.INBOX_READ),
        status_code=HTTP_303_SEE_OTHER,
    )
    async def mark_read(
        self,
        *,
        request: Request[object, object, State],
        message_id: FromPath[UUID],
        data: Annotated[dict[str, str], FORM],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        server_settings: NamedDependency[ServerSettings],
    ) -> Response[Any]:
        """Mark one message read: back to the inbox, or (htmx) its row and the new counts."""
        message = await inbox.mark_read(message_id, actor=viewer.actor, now=clock.now())
        if request.headers.get("hx-request") != "true":
            back = safe_back(data.get("back"))
            return Redirect(path=_with_done(back, "read"), status_code=HTTP_303_SEE_OTHER)
        face = Clockface(zone_of(viewer, web_settings.time_zone), clock.now())
        return Template(
            template_name="inbox_marked.html",
            status_code=200,
            context={
                "row": rows_of([message], server_settings.base_url)[0],
                "face": face,
                "ago": ago,
                "unread": await inbox.unread_count(actor=viewer.actor),
                "oob": True,
                "focus": True,
                "back": safe_back(data.get("back")),
            },
        )

    @post("/read-all", opt=needs(Permission.INBOX_READ), status_code=HTTP_303_SEE_OTHER)
    async def mark_all_read(
        self,
        data: Annotated[dict[str, str], FORM],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
    ) -> Redirect:
        """Mark read every message that was in the inbox when the page was shown."""
        now = clock.now()
        count = await inbox.mark_all_read(actor=viewer.actor, now=now, up_to=_instant(data, now))
        # back to the first page: what was on the page the form came from has moved
        return Redirect(path=_with_done("/inbox", f"all-{count}"), status_code=HTTP_303_SEE_OTHER)


def _instant(data: Mapping[str, str], default: datetime) -> datetime:
    """The form's ``up_to`` (when the page was shown), or ``default`` when it has none."""
    try:
        instant = datetime.fromisoformat(data.get("up_to", ""))
    except ValueError:
        return default
    return instant if instant.tzinfo is not None else default
