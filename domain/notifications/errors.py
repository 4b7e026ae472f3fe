"""What goes wrong with the inbox and calendar feeds (pure)."""

from __future__ import annotations

from uuid import UUID

from domain.shared.errors import (
    NotFoundError,
)


class CalendarTokenNotFoundError(NotFoundError):
    """No live calendar feed token: unknown, revoked, or its user is disabled."""

    def __init__(self, ident: str = "feed") -> None:
        super().__init__("calendar feed token", ident)

    def public_fields(self) -> dict[str, str | int]:
        """Only the kind: the token asked for is a secret."""
        return {"kind": self.kind}


class InboxMessageNotFoundError(NotFoundError):
    """No inbox message with this id for this user."""

    def __init__(self, ident: UUID | str) -> None:
        super().__init__("inbox message", ident)
