"""Who acts in Docket and what the audit trail calls each change (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID


class Role(StrEnum):
    """What a person or system is trusted to do (see ``domain.shared.permissions``)."""

    ADMIN = "admin"
    SPECIALIST = "specialist"
    LEGAL = "legal"
    AUDITOR = "auditor"
    SYSTEM = "system"
    """Only for API tokens of other systems (the preservation check); no person has it."""


USER_ROLES: frozenset[Role] = frozenset(Role) - {Role.SYSTEM}

_ROLE_NOUNS: dict[str, str] = {
    Role.ADMIN: "An admin",
    Role.SPECIALIST: "A specialist",
    Role.LEGAL: "Someone in Legal",
    Role.AUDITOR: "An auditor",
    Role.SYSTEM: "A system token",
}


def role_noun(role: str) -> str:
    """Who holds ``role``, as the subject of a sentence ("A specialist")."""
    return _ROLE_NOUNS.get(str(role), "Someone who is not signed in")


class ActorKind(StrEnum):
    """How the caller proved who they are."""

    USER = "user"
    TOKEN = "token"  # noqa: S105 - a kind of actor, not a password
    CLI = "cli"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor:
    """Who is doing something: recorded with every change."""

    kind: ActorKind
    id: UUID | None
    role: Role
    name: str


class AuditAction(StrEnum):
    """What an audit entry records, as ``noun.verb_past``."""

    USER_CREATED = "user.created"
    USER_DISABLED = "user.disabled"
    USER_PASSWORD_RESET = "user.password_reset"  # noqa: S105 - an action name
    USER_SIGNED_IN = "user.signed_in"
    USER_SIGNED_OUT = "user.signed_out"
    USER_PREFERENCES_UPDATED = "user.preferences_updated"
    USER_ROLE_CHANGED = "user.role_changed"
    TOKEN_CREATED = "api_token.created"  # noqa: S105 - an action name
    TOKEN_REVOKED = "api_token.revoked"  # noqa: S105
    CHANGE_ERASED = "audit.change_erased"
    AUTHORITY_CREATED = "authority.created"
    AUTHORITY_UPDATED = "authority.updated"
    AUTHORITY_MERGED = "authority.merged"
    REQUEST_LOGGED = "request.logged"
    REQUEST_TRIAGED = "request.triaged"
    REQUEST_STARTED = "request.started"
    REQUEST_CLOCK_PAUSED = "request.clock_paused"
    REQUEST_CLOCK_RESUMED = "request.clock_resumed"
    REQUEST_DRAFTING_STARTED = "request.drafting_started"
    REQUEST_SUBMITTED_FOR_REVIEW = "request.submitted_for_review"
    REQUEST_APPROVED = "request.approved"
    REQUEST_SENT_BACK = "request.sent_back"
    REQUEST_REVISED = "request.revised"
    REQUEST_SENT = "request.sent"
    REQUEST_CLOSED = "request.closed"
    REQUEST_REJECTED = "request.rejected"
    REQUEST_WITHDRAWN = "request.withdrawn"
    REQUEST_REOPENED = "request.reopened"
    REQUEST_EXTENDED = "request.extended"
    REQUEST_CLOCK_EVENTS_RECORDED = "request.clock_events_recorded"
    REQUEST_ASSIGNED = "request.assigned"
    REQUEST_UPDATED = "request.updated"
    REQUEST_COMMENTED = "request.commented"
    REQUEST_DOCUMENT_ATTACHED = "request.document_attached"
    HOLD_CREATED = "hold.created"
    HOLD_DRAFT_UPDATED = "hold.draft_updated"
    HOLD_ISSUED = "hold.issued"
    HOLD_RELEASED = "hold.released"
    HOLD_CUSTODIAN_RELEASED = "hold.custodian_released"
    HOLD_DATA_SOURCE_RELEASED = "hold.data_source_released"
    HOLD_ACKNOWLEDGED = "hold.acknowledged"
    # reminder sweep and inbox
    NOTIFICATION_SENT = "notification.sent"
    NOTIFICATION_FAILED = "notification.failed"
    INBOX_MESSAGE_READ = "inbox_message.read"
    REQUEST_REMINDERS_SET = "request.reminders_set"
    # calendar feed
    CALENDAR_TOKEN_CREATED = "calendar_token.created"  # noqa: S105 - an action name
    CALENDAR_TOKEN_REVOKED = "calendar_token.revoked"  # noqa: S105
    # response packages
    PACKAGE_DRAFT_UPDATED = "package.draft_updated"
    PACKAGE_BUILT = "package.built"
    PACKAGE_SUBMITTED = "package.submitted"
    PACKAGE_APPROVED = "package.approved"
    PACKAGE_SENT_BACK = "package.sent_back"
    PACKAGE_SENT = "package.sent"
    LETTER_TEMPLATE_CHANGED = "letter_template.changed"
