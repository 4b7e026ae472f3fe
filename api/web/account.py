"""The account page: who you are, your zone and language, your calendar feed, signing out.

The zone, the language and the feed are changed through the same services as the API (one audit
entry each); the feed's secret URL is shown once, on the page that answers its creation, and
never again.
"""

from __future__ import annotations

from collections.abc import Coroutine, Iterable
from itertools import groupby
from typing import Annotated, Any, Final

from babel import Locale
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from api.guards import needs
from api.settings import ReminderSettings, ServerSettings, WebSettings
from api.web.i18n import N_
from api.web.pages import page
from domain.identity import sessions
from domain.identity.sessions import SessionUser
from domain.notifications import calendar
from domain.notifications.errors import CalendarTokenNotFoundError
from domain.shared import links
from domain.shared.clock import Clock
from domain.shared.errors import ValidationError
from domain.shared.permissions import Permission, has_permission

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
OUTCOMES: Final = frozenset({"time-zone", "locale", "calendar-revoked", "calendar-none"})


def language_names(tags: Iterable[str]) -> list[tuple[str, str]]:
    """Each language Docket writes in, named in itself (``Deutsch``, ``português (Brasil)``)."""
    return [(tag, Locale.parse(tag).get_display_name(tag) or tag) for tag in tags]


def zone_groups(zones: Iterable[str]) -> list[tuple[str, list[str]]]:
    """The zones grouped by their area (``Europe``, ``America``, …); names without one last."""

    def area(zone: str) -> str:
        return zone.split("/", 1)[0] if "/" in zone else "~"

    ordered = sorted(zones, key=lambda z: (area(z), z))
    return [
        (a if a != "~" else N_("Other"), list(group)) for a, group in groupby(ordered, key=area)
    ]


async def account_page(
    *,
    viewer: SessionUser,
    clock: Clock,
    web_settings: WebSettings,
    reminder_settings: ReminderSettings,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    chosen: str | None = None,
    chosen_locale: str | None = None,
    feed_url: str = "",
    done: str = "",
) -> Template:
    """The account page, with what the last action left to show."""
    may_feed = has_permission(viewer.user.role, Permission.CALENDAR_FEED)
    return await page(
        "account.html",
        viewer=viewer,
        clock=clock,
        default_zone=web_settings.time_zone,
        active="account",
        status_code=status_code,
        errors=errors or {},
        organisation_zone=web_settings.time_zone,
        chosen=viewer.user.time_zone if chosen is None else chosen,
        zone_groups=zone_groups(sessions.time_zones()),
        organisation_locale=dict(language_names([reminder_settings.locale]))[
            reminder_settings.locale
        ],
        chosen_locale=viewer.user.locale if chosen_locale is None else chosen_locale,
        languages=language_names(sessions.locales()),
        may_feed=may_feed,
        feed_token=await calendar.live_feed_token(actor=viewer.actor) if may_feed else None,
        feed_url=feed_url,
        session=viewer.session,
        done=done if done in OUTCOMES else "",
    )


async def _saved_or_refused(
    saving: Coroutine[Any, Any, object],
    *,
    done: str,
    chosen: str | None = None,
    chosen_locale: str | None = None,
    viewer: SessionUser,
    clock: Clock,
    web_settings: WebSettings,
    reminder_settings: ReminderSettings,
) -> Response[Any]:
    """Save one preference: back to the page saying so, or the page again with its error."""
    try:
        await saving
    except ValidationError as exc:
        return await account_page(
            viewer=viewer,
            clock=clock,
            web_settings=web_settings,
            reminder_settings=reminder_settings,
            status_code=422,
            errors={exc.field: exc.message},
            chosen=chosen,
            chosen_locale=chosen_locale,
        )
    return Redirect(path=f"/account?done={done}", status_code=HTTP_303_SEE_OTHER)


class AccountController(Controller):
    """The signed-in user's own settings."""

    path = "/account"
    include_in_schema = False

    @get("/", opt=needs(Permission.ME_READ))
    async def account(
        self,
        request: Request[object, object, State],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        reminder_settings: NamedDependency[ReminderSettings],
    ) -> Template:
        """The account page."""
        return await account_page(
            viewer=viewer,
            clock=clock,
            web_settings=web_settings,
            reminder_settings=reminder_settings,
            done=request.query_params.get("done", ""),
        )

    @post("/time-zone", opt=needs(Permission.ME_READ), status_code=HTTP_303_SEE_OTHER)
    async def set_time_zone(
        self,
        data: Annotated[dict[str, str], FORM],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        reminder_settings: NamedDependency[ReminderSettings],
    ) -> Response[Any]:
        """Show times in another zone (or the organisation's again)."""
        chosen = data.get("time_zone", "")
        return await _saved_or_refused(
            sessions.set_time_zone(chosen, actor=viewer.actor, now=clock.now()),
            done="time-zone",
            chosen=chosen,
            viewer=viewer,
            clock=clock,
            web_settings=web_settings,
            reminder_settings=reminder_settings,
        )

    @post("/locale", opt=needs(Permission.ME_READ), status_code=HTTP_303_SEE_OTHER)
    async def set_locale(
        self,
        data: Annotated[dict[str, str], FORM],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        reminder_settings: NamedDependency[ReminderSettings],
    ) -> Response[Any]:
        """Receive mail and inbox messages in another language (or the organisation's again)."""
        chosen = data.get("locale", "")
        return await _saved_or_refused(
            sessions.set_locale(chosen, actor=viewer.actor, now=clock.now()),
            done="locale",
            chosen_locale=chosen,
            viewer=viewer,
            clock=clock,
            web_settings=web_settings,
            reminder_settings=reminder_settings,
        )

    @post("/calendar", opt=needs(Permission.CALENDAR_FEED), status_code=200)
    async def create_feed(
        self,
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        reminder_settings: NamedDependency[ReminderSettings],
        server_settings: NamedDependency[ServerSettings],
    ) -> Template:
        """A new calendar feed URL, shown on this answer only; the previous one stops working."""
        issued = await calendar.create_feed_token(actor=viewer.actor, now=clock.now())
        answer = await account_page(
            viewer=viewer,
            clock=clock,
            web_settings=web_settings,
            reminder_settings=reminder_settings,
            feed_url=links.calendar_feed(server_settings.base_url, issued.secret),
        )
        answer.headers["Cache-Control"] = "no-store"  # the secret stays out of every cache
        return answer

    @post("/calendar/revoke", opt=needs(Permission.CALENDAR_FEED), status_code=HTTP_303_SEE_OTHER)
    async def revoke_feed(
        self, viewer: NamedDependency[SessionUser], clock: NamedDependency[Clock]
    ) -> Redirect:
        """Revoke the calendar feed URL: calendars that use it stop updating."""
        try:
            await calendar.revoke_feed_token(actor=viewer.actor, now=clock.now())
        except CalendarTokenNotFoundError:
            return Redirect(path="/account?done=calendar-none", status_code=HTTP_303_SEE_OTHER)
        return Redirect(path="/account?done=calendar-revoked", status_code=HTTP_303_SEE_OTHER)
