"""Bodies of the inbox and request-reminder endpoints (msgspec Structs with examples)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from api.schemas.auth import Strict
from domain.notifications.inbox import InboxMessage
from domain.notifications.reminder_settings import ReminderOffsets
from domain.notifications.reminders import format_offset


class InboxMessageRead(msgspec.Struct, kw_only=True):
    """A notification in the caller's inbox."""

    id: UUID
    kind: str
    subject: str
    text: str
    link: str
    created_at: datetime
    read_at: datetime | None

    @classmethod
    def from_domain(cls, message: InboxMessage) -> InboxMessageRead:
        """Shape an ``InboxMessage``."""
        return msgspec.convert(message, cls, from_attributes=True)


class InboxList(msgspec.Struct, kw_only=True):
    """A page of the caller's inbox, newest first."""

    items: list[InboxMessageRead]
    next_cursor: str | None


OFFSET = msgspec.Meta(min_length=2, max_length=6, pattern=r"^\d{1,4}[wdhm]$", examples=["7d"])


class ReminderOffsetsUpdate(Strict):
    """The request's own reminder offsets before each deadline, replacing its rule's."""

    offsets: Annotated[
        list[Annotated[str, OFFSET]],
        msgspec.Meta(max_length=10, examples=[["7d", "3d", "1d", "4h"]]),
    ]


class ReminderOffsetsRead(msgspec.Struct, kw_only=True):
    """When a request's assignee is reminded before its deadlines."""

    request_id: UUID
    offsets: list[str]
    source: str
    """``request`` (its own) or ``rule`` (its rule's defaults)."""

    @classmethod
    def from_domain(cls, found: ReminderOffsets) -> ReminderOffsetsRead:
        """Shape ``ReminderOffsets``."""
        return cls(
            request_id=found.request_id,
            offsets=[format_offset(o) for o in found.offsets],
            source="request" if found.own else "rule",
        )
