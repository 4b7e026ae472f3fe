"""Who may do what: the role → permission table, denied by default (pure).

Every API endpoint names one ``Permission``; a role has it only if this table says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from domain.shared.errors import PermissionDeniedError
from domain.shared.model import Role


class Permission(StrEnum):
    """One thing an endpoint or a command may do."""

    ME_READ = "me.read"
    USERS_READ = "users.read"
    USERS_MANAGE = "users.manage"
    TOKENS_READ = "tokens.read"
    TOKENS_MANAGE = "tokens.manage"
    JURISDICTIONS_READ = "jurisdictions.read"
    DEADLINES_PREVIEW = "deadlines.preview"
    AUDIT_READ = "audit.read"
    AUDIT_ERASE = "audit.erase"
    AUTHORITIES_READ = "authorities.read"
    AUTHORITIES_WRITE = "authorities.write"
    AUTHORITIES_MERGE = "authorities.merge"
    REQUESTS_READ = "requests.read"
    REQUESTS_WRITE = "requests.write"
    HOLDS_READ = "holds.read"
    HOLDS_MANAGE = "holds.manage"
    HOLDS_CHECK = "holds.check"
    INBOX_READ = "inbox.read"  # reminder sweep and inbox: a user's own inbox
    # notification channels and calendar
    OUTBOX_READ = "outbox.read"
    CALENDAR_FEED = "calendar.feed"
    # response packages
    PACKAGES_READ = "packages.read"
    PACKAGES_WRITE = "packages.write"
    PACKAGES_APPROVE = "packages.approve"
    LETTER_TEMPLATES_MANAGE = "letter_templates.manage"
    SETTINGS_READ = "settings.read"


_EVERYONE: Final = frozenset(
    {
        Permission.ME_READ,
        Permission.JURISDICTIONS_READ,
        Permission.DEADLINES_PREVIEW,
        Permission.AUTHORITIES_READ,
        Permission.REQUESTS_READ,
        Permission.CALENDAR_FEED,  # a person's own deadline feed
        Permission.INBOX_READ,  # a person's own inbox
        Permission.PACKAGES_READ,  # everyone who reads requests reads their packages
    }
)
_CASEWORK: Final = frozenset({Permission.REQUESTS_WRITE, Permission.PACKAGES_WRITE})

ROLE_PERMISSIONS: Final[Mapping[Role, frozenset[Permission]]] = {
    Role.ADMIN: frozenset(Permission),
    Role.SPECIALIST: _EVERYONE | _CASEWORK | {Permission.AUTHORITIES_WRITE, Permission.HOLDS_READ},
    Role.LEGAL: _EVERYONE
    | _CASEWORK
    | {Permission.HOLDS_READ, Permission.HOLDS_MANAGE, Permission.HOLDS_CHECK}
    | {Permission.PACKAGES_APPROVE},  # the package workflow still refuses admins
    Role.AUDITOR: _EVERYONE
    | {
        Permission.USERS_READ,
        Permission.TOKENS_READ,
        Permission.AUDIT_READ,
        Permission.HOLDS_READ,
        Permission.HOLDS_CHECK,
    },
    Role.SYSTEM: frozenset(
        {Permission.ME_READ, Permission.JURISDICTIONS_READ, Permission.HOLDS_CHECK}
    ),
}


ACTIONS: Final[Mapping[Permission, str]] = {
    Permission.ME_READ: "see whose token or session this is",
    Permission.USERS_READ: "see the users",
    Permission.USERS_MANAGE: "manage users",
    Permission.TOKENS_READ: "see the API tokens",
    Permission.TOKENS_MANAGE: "manage API tokens",
    Permission.JURISDICTIONS_READ: "read the jurisdictions and their rules",
    Permission.DEADLINES_PREVIEW: "preview deadlines",
    Permission.AUDIT_READ: "read the audit log",
    Permission.AUDIT_ERASE: "erase a change from the audit log",
    Permission.AUTHORITIES_READ: "read the authorities",
    Permission.AUTHORITIES_WRITE: "add or change authorities",
    Permission.AUTHORITIES_MERGE: "merge duplicate authorities",
    Permission.REQUESTS_READ: "read requests",
    Permission.REQUESTS_WRITE: "log or change requests",
    Permission.HOLDS_READ: "read legal holds",
    Permission.HOLDS_MANAGE: "manage legal holds",
    Permission.HOLDS_CHECK: "check whether something is under a legal hold",
    Permission.INBOX_READ: "read an inbox",
    Permission.OUTBOX_READ: "read the mail outbox",
    Permission.CALENDAR_FEED: "use a calendar feed",
    Permission.PACKAGES_READ: "read response packages",
    Permission.PACKAGES_WRITE: "draft response packages",
    Permission.PACKAGES_APPROVE: "approve response packages",
    Permission.LETTER_TEMPLATES_MANAGE: "change the letter templates",
    Permission.SETTINGS_READ: "see the settings",
}
"""What each permission lets one do, as the end of "A specialist may not …"."""


def has_permission(role: Role, permission: Permission) -> bool:
    """Whether ``role`` grants ``permission``; an unknown role grants nothing."""
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def require(role: Role, permission: Permission) -> None:
    """Refuse unless ``role`` grants ``permission``.

    Raises:
        PermissionDeniedError: when it does not.
    """
    if not has_permission(role, permission):
        raise PermissionDeniedError(role, permission, ACTIONS[permission])
