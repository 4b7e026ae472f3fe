"""The in-app inbox (``/api/v1/inbox``) and a request's own reminder offsets."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import Body, FromPath, FromQuery, QueryParameter
from litestar.status_codes import HTTP_200_OK

from api.clock import Clock
from api.guards import needs
from api.openapi_docs import protected
from api.query_params import Cursor
from api.schemas.inbox import (
    InboxList,
    InboxMessageRead,
    ReminderOffsetsRead,
    ReminderOffsetsUpdate,
)
from domain.deadlines import RuleBook
from domain.notifications import inbox, reminder_settings
from domain.shared.model import Actor
from domain.shared.permissions import Permission


class InboxController(Controller):
    """Reminders, digests and alerts for the caller, in the app."""

    path = "/api/v1/inbox"
    tags = ["Inbox"]

    @get(operation_id="ListInbox", opt=needs(Permission.INBOX_READ), responses=protected(422))
    async def list_inbox(
        self,
        actor: NamedDependency[Actor],
        unread: FromQuery[bool] = False,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        cursor: Cursor = None,
    ) -> InboxList:
        """The caller's own messages, newest first; ``unread=true`` leaves out those read."""
        page = await inbox.list_inbox(actor=actor, unread=unread, limit=limit, cursor=cursor)
        return InboxList(
            items=[InboxMessageRead.from_domain(m) for m in page.items],
            next_cursor=page.next_cursor,
        )

    @post(
        "/{message_id:uuid}/read",
        operation_id="MarkInboxMessageRead",
        opt=needs(Permission.INBOX_READ),
        status_code=HTTP_200_OK,
        responses=protected(404),
    )
    async def mark_read(
        self,
        message_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> InboxMessageRead:
        """Mark one of the caller's own messages read."""
        message = await inbox.mark_read(message_id, actor=actor, now=clock.now())
        return InboxMessageRead.from_domain(message)


class RequestReminderController(Controller):
    """When a request's assignee is reminded before its deadlines."""

    path = "/api/v1/requests/{request_id:uuid}/reminders"
    tags = ["Requests"]

    @get(
        operation_id="GetRequestReminders",
        opt=needs(Permission.REQUESTS_READ),
        responses=protected(404),
    )
    async def get_reminders(
        self,
        request_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        rulebook: NamedDependency[RuleBook],
    ) -> ReminderOffsetsRead:
        """The request's reminder offsets: its own, or its rule's defaults."""
        found = await reminder_settings.get_offsets(request_id, rulebook, actor=actor)
        return ReminderOffsetsRead.from_domain(found)

    @put(
        operation_id="SetRequestReminders",
        opt=needs(Permission.REQUESTS_WRITE),
        responses=protected(404, 422),
    )
    async def set_reminders(
        self,
        request_id: FromPath[UUID],
        data: Annotated[ReminderOffsetsUpdate, Body(title="Reminder offsets")],
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
    ) -> ReminderOffsetsRead:
        """Give the request its own reminder offsets (``[]``: none before its deadlines)."""
        found = await reminder_settings.set_offsets(
            request_id, data.offsets, actor=actor, now=clock.now()
        )
        return ReminderOffsetsRead.from_domain(found)
