"""The calendar feed: a per-user iCalendar URL, and the token in it (create, revoke)."""

from __future__ import annotations

from typing import Annotated, Final

from litestar import Controller, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from api.clock import Clock
from api.guards import PUBLIC, needs
from api.openapi_docs import problems, protected
from api.openapi_limits import PublicOperation
from api.schemas.outbox import CalendarTokenCreated, CalendarTokenRead
from api.settings import ServerSettings
from domain.notifications import calendar as calendar_feed
from domain.shared import links
from domain.shared.model import Actor
from domain.shared.permissions import Permission

ICS_MEDIA_TYPE: Final = "text/calendar"  # Litestar adds "; charset=utf-8" to text/*


class CalendarController(Controller):
    """Subscribe to your deadlines in Outlook, Google Calendar or any iCalendar client."""

    path = "/api/v1"
    tags = ["Calendar"]

    @get(
        "/calendar.ics",
        operation_id="GetCalendarFeed",
        opt=PUBLIC,
        security=[],
        operation_class=PublicOperation,
        media_type=ICS_MEDIA_TYPE,
        responses=problems(400, 404),
    )
    async def feed(
        self,
        server_settings: NamedDependency[ServerSettings],
        clock: NamedDependency[Clock],
        token: Annotated[
            str,
            QueryParameter(
                min_length=1,
                max_length=200,
                pattern=r"^[A-Za-z0-9_-]+$",
                description="The feed token",
            ),
        ],
    ) -> Response[bytes]:
        """Your deadlines as iCalendar (RFC 5545); the token in the URL is the only credential."""
        body = await calendar_feed.feed(token, base_url=server_settings.base_url, now=clock.now())
        return Response(
            body,
            media_type=ICS_MEDIA_TYPE,
            headers={
                "Cache-Control": "private, max-age=300",
                "Content-Disposition": 'inline; filename="docket.ics"',
                "Referrer-Policy": "no-referrer",
            },
        )

    @post(
        "/me/calendar-token",
        operation_id="CreateCalendarToken",
        opt=needs(Permission.CALENDAR_FEED),
        status_code=HTTP_201_CREATED,
        responses=protected(422),
    )
    async def create_token(
        self,
        server_settings: NamedDependency[ServerSettings],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> CalendarTokenCreated:
        """A new feed URL (shown once); the previous one, if any, stops working."""
        issued = await calendar_feed.create_feed_token(actor=actor, now=clock.now())
        return CalendarTokenCreated(
            feed_url=links.calendar_feed(server_settings.base_url, issued.secret),
            prefix=issued.token.prefix,
            created_at=issued.token.created_at,
        )

    @delete(
        "/me/calendar-token",
        operation_id="RevokeCalendarToken",
        opt=needs(Permission.CALENDAR_FEED),
        status_code=HTTP_200_OK,
        responses=protected(404, 422),
    )
    async def revoke_token(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> CalendarTokenRead:
        """Revoke your feed URL: it answers 404 from now on."""
        token = await calendar_feed.revoke_feed_token(actor=actor, now=clock.now())
        return CalendarTokenRead.from_domain(token)
