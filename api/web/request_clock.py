"""The request page's clock events: record when an event the rule's clock reads happened.

The form posts the event, its wall-clock time and zone, and the version the page showed; it
calls ``record_clock_events``, like ``POST /api/v1/requests/{id}/events``, under the same
permission. The deadlines move in the same change, and the page comes back naming its audit
entry, or with the refusal beside the time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Response, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from api.guards import needs
from api.settings import WebSettings
from api.web.request_forms import FORM, read_version, recorded
from api.web.request_page import changed_or_refused
from domain import deadlines
from domain.identity.sessions import SessionUser
from domain.requests import updates as request_edits
from domain.shared.clock import Clock
from domain.shared.errors import ValidationError
from domain.shared.permissions import Permission


@dataclass
class EventForm:
    """One clock event: which, when (a wall-clock time) and in which zone."""

    version: str = ""
    event: str = ""
    event_at: str = ""
    event_zone: str = ""


class RequestClockController(Controller):
    """Clock events recorded from the request page."""

    path = "/requests/{request_id:uuid}"
    include_in_schema = False

    @post("/events", opt=needs(Permission.REQUESTS_WRITE), status_code=303)
    async def record_event(
        self,
        *,
        request_id: FromPath[UUID],
        data: Annotated[EventForm, FORM],
        viewer: NamedDependency[SessionUser],
        clock: NamedDependency[Clock],
        web_settings: NamedDependency[WebSettings],
        rulebook: NamedDependency[deadlines.RuleBook],
    ) -> Response[Any]:
        """Record when a clock event happened; the deadlines move with it."""

        async def change() -> list[int]:
            if not data.event.strip():
                raise ValidationError("event", "choose the event")
            if not data.event_at.strip():
                raise ValidationError("event_at", "give the time it happened")
            at = deadlines.local_instant(
                data.event_at, data.event_zone, field="event_at", zone_field="event_zone"
            )
            changed = await request_edits.record_clock_events(
                rulebook,
                request_id,
                expected_version=read_version(data.version),
                events={data.event.strip(): at},
                actor=viewer.actor,
                now=clock.now(),
            )
            return await recorded(request_id, viewer, changed.version)

        return await changed_or_refused(
            request_id,
            change,
            key="event_at",
            values={"event": data.event, "event_at": data.event_at, "event_zone": data.event_zone},
            viewer=viewer,
            clock=clock,
            web_settings=web_settings,
            rulebook=rulebook,
        )
