"""What goes wrong with authorities and regulatory requests (pure)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.shared.errors import (
    ConflictError,
    NotFoundError,
    PolicyError,
    ValidationError,
)


class AuthorityNotFoundError(NotFoundError):
    """No authority with this id."""

    def __init__(self, ident: UUID | str) -> None:
        super().__init__("authority", ident)


class RequestNotFoundError(NotFoundError):
    """No regulatory request with this id."""

    def __init__(self, ident: UUID | str) -> None:
        super().__init__("request", ident)


class SealedRequestError(PolicyError):
    """The request is sealed and the caller is neither its assignee, Legal nor an admin."""

    def __init__(self, request_id: UUID, reference: str) -> None:
        self.request_id, self.reference = request_id, reference
        super().__init__(
            f"request {reference} is sealed: only its assignee, Legal and admins may read or "
            "change it"
        )

    def public_fields(self) -> dict[str, str | int]:
        """The request's id and reference (both shown in lists, so nothing new)."""
        return {"request_id": str(self.request_id), "reference": self.reference}


class ClockStopRefusedError(ConflictError):
    """Clarification was asked on a request whose rule does not let the clock stop."""

    def __init__(self, request_id: UUID, rule_id: str) -> None:
        self.request_id, self.rule_id = request_id, rule_id
        super().__init__(f"the clock of request {request_id} cannot stop: rule {rule_id} has none")

    def public_fields(self) -> dict[str, str | int]:
        """The request and its rule."""
        return {"request_id": str(self.request_id), "rule": self.rule_id}


class NoExtensionError(ConflictError):
    """An extension was asked for on a request whose rule has none."""

    def __init__(self, request_id: UUID, rule_id: str) -> None:
        self.request_id, self.rule_id = request_id, rule_id
        super().__init__(f"rule {rule_id} of request {request_id} allows no extension")

    def public_fields(self) -> dict[str, str | int]:
        """The request and its rule."""
        return {"request_id": str(self.request_id), "rule": self.rule_id}


class ExtensionAlreadyTakenError(ConflictError):
    """The extension of a request was taken before; there is only one."""

    def __init__(self, request_id: UUID) -> None:
        self.request_id = request_id
        super().__init__(f"request {request_id} has taken its extension already")

    def public_fields(self) -> dict[str, str | int]:
        """The request."""
        return {"request_id": str(self.request_id)}


class ExtensionNoticeLateError(ValidationError):
    """The authority was told of the extension after the notice deadline of the rule."""

    def __init__(self, notified_on: date, notice_due_on: date) -> None:
        self.notified_on, self.notice_due_on = notified_on, notice_due_on
        super().__init__(
            "notified_on",
            f"{notified_on.isoformat()} is after {notice_due_on.isoformat()}, the last day the "
            "rule allows notice of an extension",
        )

    def public_fields(self) -> dict[str, str | int]:
        """The field, the date given and the last day allowed."""
        return {
            "field": self.field,
            "notified_on": self.notified_on.isoformat(),
            "notice_due_on": self.notice_due_on.isoformat(),
        }


class AttachmentNotFoundError(NotFoundError):
    """No attachment with this id on this request."""

    def __init__(self, ident: UUID | str) -> None:
        super().__init__("attachment", ident)


class PackageStepRequiredError(ConflictError):
    """A request with a response package is reviewed, approved and sent through the package."""

    def __init__(self, action: str) -> None:
        self.action = action
        super().__init__(
            f"this request has a response package: {action} it through the package's own "
            "steps, so that Legal approves the exact version that is sent"
        )

    def public_fields(self) -> dict[str, str | int]:
        """The step asked for."""
        return {"action": self.action}
