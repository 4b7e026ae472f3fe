"""The calendar feed: a per-user iCalendar URL, and the token in it (create, revoke)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Final

from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.exceptions import TooManyRequestsException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_304_NOT_MODIFIED

from api import conditional
from api.clock import Clock
from api.errors import PROBLEM_JSON
from api.feed_validators import FeedValidators, Validators
from api.guards import PUBLIC, needs
from api.openapi_docs import problems, protected
from api.openapi_limits import PublicOperation
from api.rate_limit import RateLimiter
from api.schemas.auth import ProblemRead
from api.schemas.outbox import CalendarTokenCreated, CalendarTokenRead
from api.settings import ServerSettings
from domain.notifications import calendar as calendar_feed
from domain.shared import links
from domain.shared.model import Actor
from domain.shared.permissions import Permission

ICS_MEDIA_TYPE: Final = "text/calendar"  # Litestar adds "; charset=utf-8" to text/*
FEED_HEADERS: Final = {
    "Cache-Control": "private, max-age=300",
    "Content-Disposition": 'inline; filename="docket.ics"',
    "Referrer-Policy": "no-referrer",
}
NOT_MODIFIED: Final = "Your copy (its ETag or Last-Modified) is still the current feed"
TOO_MANY: Final = "This feed URL was fetched too often: wait Retry-After seconds"


def _headers(served: Validators, now: datetime) -> dict[str, str]:
    headers = {"ETag": conditional.quoted(served.etag), **FEED_HEADERS}
    modified = conditional.last_modified(served.last_modified, now)
    if modified is not None:
        headers["Last-Modified"] = conditional.http_date(modified)
    return headers


def _not_modified(
    request: Request[object, object, State], served: Validators, now: datetime
) -> Response[bytes] | None:
    """A 304 when the client's copy is ``served``, else None."""
    modified = conditional.last_modified(served.last_modified, now)
    if not conditional.is_not_modified(request.headers, etag=served.etag, modified=modified):
        return None
    return Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=_headers(served, now))


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
        responses={
            **problems(400, 404),
            304: ResponseSpec(None, description=NOT_MODIFIED, generate_examples=False),
            429: ResponseSpec(
                ProblemRead,
                description=TOO_MANY,
                media_type=PROBLEM_JSON,
                generate_examples=False,
            ),
        },
    )
    async def feed(
        self,
        *,
        request: Request[object, object, State],
        server_settings: NamedDependency[ServerSettings],
        calendar_limiter: NamedDependency[RateLimiter],
        feed_validators: NamedDependency[FeedValidators],
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
        """Your deadlines as iCalendar (RFC 5545); the token in the URL is the only credential.

        Send back the ``ETag`` (``If-None-Match``) or ``Last-Modified`` (``If-Modified-Since``)
        of your copy: an unchanged feed answers ``304`` without a body. A token fetched more
        often than the limit answers ``429`` with ``Retry-After``.
        """
        now = clock.now()
        wait = calendar_limiter.retry_after(token, now)
        if wait is not None:
            raise TooManyRequestsException(
                detail=f"This calendar feed was fetched too often; try again in {wait} seconds.",
                headers={"Retry-After": str(wait)},
            )
        version = await calendar_feed.feed_version(token)
        known = feed_validators.current(token, version)
        if known is not None and (unchanged := _not_modified(request, known, now)):
            return unchanged  # the data has not moved since this feed was built: build nothing
        found = await calendar_feed.feed(token, base_url=server_settings.base_url, now=now)
        served = Validators(version=version, etag=found.etag, last_modified=found.last_modified)
        feed_validators.remember(token, served)
        return _not_modified(request, served, now) or Response(
            found.body, media_type=ICS_MEDIA_TYPE, headers=_headers(served, now)
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
