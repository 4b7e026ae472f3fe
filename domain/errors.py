"""Docket's error hierarchy: what went wrong, in domain terms, with its evidence (pure)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID


class DocketError(Exception):
    """Base of every error the domain raises on purpose."""

    def public_fields(self) -> dict[str, str | int]:
        """Identifiers that are safe to show a client (no personal data, no secrets)."""
        return {}


# ---------------------------------------------------------------- not found
class NotFoundError(DocketError):
    """A thing that was asked for does not exist."""

    def __init__(self, kind: str, ident: UUID | str) -> None:
        self.kind, self.ident = kind, ident
        super().__init__(f"{kind} {ident} does not exist")

    def public_fields(self) -> dict[str, str | int]:
        """The kind and identifier asked for."""
        return {"kind": self.kind, "id": str(self.ident)}


class UserNotFoundError(NotFoundError):
    """No user with this id or e-mail."""

    def __init__(self, ident: UUID | str) -> None:
        super().__init__("user", ident)


class ApiTokenNotFoundError(NotFoundError):
    """No API token with this id."""

    def __init__(self, ident: UUID | str) -> None:
        super().__init__("API token", ident)


# ---------------------------------------------------------------- authentication
class AuthenticationError(DocketError):
    """The caller could not be identified."""


class InvalidCredentialsError(AuthenticationError):
    """Unknown e-mail or wrong password (deliberately indistinguishable)."""

    def __init__(self) -> None:
        super().__init__("the e-mail address or the password is wrong")


class InvalidAccessTokenError(AuthenticationError):
    """A bearer token is malformed, tampered with, expired or revoked, or its user is disabled."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"the bearer token is not valid: {reason}")


class MissingCredentialsError(AuthenticationError):
    """No ``Authorization: Bearer`` header was sent."""

    def __init__(self) -> None:
        super().__init__("this endpoint needs an 'Authorization: Bearer <token>' header")


class LoginLockedError(AuthenticationError):
    """Too many wrong passwords for this account or from this address."""

    def __init__(self, locked_until: datetime, retry_after_seconds: int) -> None:
        self.locked_until, self.retry_after_seconds = locked_until, retry_after_seconds
        super().__init__(
            "too many failed logins; try again after "
            f"{locked_until.isoformat(timespec='seconds')} ({retry_after_seconds} s)"
        )

    def public_fields(self) -> dict[str, str | int]:
        """When the lockout ends."""
        return {
            "locked_until": self.locked_until.isoformat(timespec="seconds"),
            "retry_after": self.retry_after_seconds,
        }


# ---------------------------------------------------------------- authorization / policy
class PolicyError(DocketError):
    """The caller is known but may not do this."""


class PermissionDeniedError(PolicyError):
    """The caller's role does not grant the permission an operation needs."""

    def __init__(self, role: str, permission: str) -> None:
        self.role, self.permission = role, permission
        super().__init__(f"role {role!r} does not have permission {permission!r}")

    def public_fields(self) -> dict[str, str | int]:
        """The role and the missing permission."""
        return {"role": self.role, "permission": self.permission}


class SelfLockoutError(PolicyError):
    """An admin tried to disable their own account."""

    def __init__(self, user_id: UUID) -> None:
        self.user_id = user_id
        super().__init__(f"user {user_id} cannot disable their own account")


# ---------------------------------------------------------------- invalid input / conflicts
class ValidationError(DocketError):
    """Input that is well-formed JSON but breaks a domain rule."""

    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")

    def public_fields(self) -> dict[str, str | int]:
        """The offending field."""
        return {"field": self.field}


class ConflictError(DocketError):
    """The change collides with the current state of the data."""


class DuplicateEmailError(ConflictError):
    """A user with this e-mail address already exists."""

    def __init__(self, email: str) -> None:
        self.email = email
        super().__init__(f"a user with e-mail {email} already exists")


class AlreadyDisabledError(ConflictError):
    """The user or token is already disabled or revoked."""

    def __init__(self, kind: str, ident: UUID) -> None:
        self.kind, self.ident = kind, ident
        super().__init__(f"{kind} {ident} is already disabled")

    def public_fields(self) -> dict[str, str | int]:
        """The kind and identifier."""
        return {"kind": self.kind, "id": str(self.ident)}


class InvalidTransitionError(ConflictError):
    """An action that the workflow does not allow in the current state."""

    def __init__(self, state: str, action: str) -> None:
        self.state, self.action = state, action
        super().__init__(f"cannot {action} a request that is {state}")

    def public_fields(self) -> dict[str, str | int]:
        """The state and the refused action."""
        return {"state": self.state, "action": self.action}


class TransitionNotPermittedError(PolicyError):
    """The action is possible in this state, but not for the caller's role."""

    def __init__(self, state: str, action: str, role: str) -> None:
        self.state, self.action, self.role = state, action, role
        super().__init__(f"role {role!r} may not {action} a request that is {state}")

    def public_fields(self) -> dict[str, str | int]:
        """The state, the action and the role."""
        return {"state": self.state, "action": self.action, "role": self.role}


class ChangeErasedAlreadyError(ConflictError):
    """The stored change of this audit entry was erased before."""

    def __init__(self, index: int, erased_by: int) -> None:
        self.index, self.erased_by = index, erased_by
        super().__init__(f"the change of entry {index} was already erased by entry {erased_by}")

    def public_fields(self) -> dict[str, str | int]:
        """The entry and the erasure that removed its change."""
        return {"index": self.index, "erased_by": self.erased_by}


class AuditEntryNotFoundError(NotFoundError):
    """No audit entry or tile at this index or path (yet)."""

    def __init__(self, ident: str) -> None:
        super().__init__("audit entry or tile", ident)


class AuditRangeError(ValidationError):
    """An index, tree size or page that is out of the log's range."""

    def __init__(self, message: str) -> None:
        super().__init__("range", message)


# ---------------------------------------------------------------- infrastructure
class NotReadyError(DocketError):
    """The database is unreachable or its migrations are not all applied."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"not ready: {reason}")


# ================================================================ deadlines
# Appended with the deadline service (domain/services/deadlines.py): the deadline engine's errors
# (jurisdictions/errors.py) in domain terms, so that api/ maps them without knowing the engine.
class RuleNotFoundError(NotFoundError):
    """No deadline rule has this id (``<JURISDICTION>/<slug>``)."""

    def __init__(self, rule_id: str) -> None:
        super().__init__("deadline rule", rule_id)


class JurisdictionNotFoundError(NotFoundError):
    """No rule pack exists for this jurisdiction code."""

    def __init__(self, code: str) -> None:
        super().__init__("jurisdiction", code)


class DeadlineInputError(ValidationError):
    """An input of a deadline computation is unusable; ``field`` names it.

    A naive time, an unknown time zone or subdivision, a missing event the clock starts on, or a
    pause that is reversed, overlapping or not allowed for the rule.
    """


# ================================================================ regulatory requests
# Appended with the request services (domain/services/requests.py, authorities.py).
class AuthorityNotFoundError(NotFoundError):
    """No authority with this id."""

    def __init__(self, ident: UUID | str) -> None:
        super().__init__("authority", ident)


class RequestNotFoundError(NotFoundError):
    """No regulatory request with this id."""

    def __init__(self, ident: UUID | str) -> None:
        super().__init__("request", ident)


class StaleVersionError(ConflictError):
    """The caller changed a request on the strength of a version that is no longer current."""

    def __init__(self, request_id: UUID, expected: int, actual: int) -> None:
        self.request_id, self.expected, self.actual = request_id, expected, actual
        super().__init__(
            f"request {request_id} is at version {actual}, not {expected}; reload and retry"
        )

    def public_fields(self) -> dict[str, str | int]:
        """The request, the version the caller read, and the current one."""
        return {
            "request_id": str(self.request_id),
            "expected_version": self.expected,
            "version": self.actual,
        }


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


# ================================================================ comments and attachments
# Appended with the request files (domain/services/request_files.py, domain/blobs.py).
class AttachmentNotFoundError(NotFoundError):
    """No attachment with this id on this request."""

    def __init__(self, ident: UUID | str) -> None:
        super().__init__("attachment", ident)


class AttachmentTooLargeError(ValidationError):
    """An uploaded file is larger than the configured limit; none of it was kept."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        super().__init__("file", f"larger than the limit of {max_bytes} bytes")

    def public_fields(self) -> dict[str, str | int]:
        """The field and the limit."""
        return {"field": self.field, "max_bytes": self.max_bytes}


# ================================================================ legal holds
# Appended with the legal holds (domain/services/holds.py, domain/hold_workflow.py).
class HoldNotFoundError(NotFoundError):
    """No legal hold with this id."""

    def __init__(self, ident: UUID | str) -> None:
        super().__init__("legal hold", ident)


class HoldItemNotFoundError(NotFoundError):
    """The hold names no such custodian or data source."""

    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(kind, ident)


class InvalidHoldTransitionError(ConflictError):
    """A step that the hold workflow does not allow in the hold's current state."""

    def __init__(self, state: str, action: str) -> None:
        self.state, self.action = state, action
        super().__init__(f"cannot {action} a legal hold that is {state}")

    def public_fields(self) -> dict[str, str | int]:
        """The state and the refused action."""
        return {"state": self.state, "action": self.action}


class HoldTransitionNotPermittedError(PolicyError):
    """The hold step is possible in this state, but not for the caller's role."""

    def __init__(self, state: str, action: str, role: str) -> None:
        self.state, self.action, self.role = state, action, role
        super().__init__(f"role {role!r} may not {action} a legal hold that is {state}")

    def public_fields(self) -> dict[str, str | int]:
        """The state, the action and the role."""
        return {"state": self.state, "action": self.action, "role": self.role}


class HoldItemReleasedError(ConflictError):
    """The custodian or data source was released from this hold already."""

    def __init__(self, kind: str, ident: str) -> None:
        self.kind = kind
        super().__init__(f"the {kind} was released from this hold already")

    def public_fields(self) -> dict[str, str | int]:
        """The kind of item (not the e-mail address: personal data)."""
        return {"kind": self.kind}


# Acknowledgement links of hold notices (domain/services/hold_notices.py).
class AckLinkInvalidError(NotFoundError):
    """An acknowledgement link that Docket did not hand out, or that was altered."""

    def __init__(self) -> None:
        self.kind, self.ident = "acknowledgement link", ""
        DocketError.__init__(self, "this acknowledgement link is not valid")

    def public_fields(self) -> dict[str, str | int]:
        """Nothing: the link itself is a credential."""
        return {}


class AckLinkExpiredError(ConflictError):
    """An acknowledgement link past its expiry."""

    def __init__(self) -> None:
        super().__init__("this acknowledgement link has expired")


class AckLinkUsedError(ConflictError):
    """An acknowledgement link that was used already (links are single-use)."""

    def __init__(self) -> None:
        super().__init__("this acknowledgement link was used already")


# ---------------------------------------------------------------- calendar feed (#8)
class CalendarTokenNotFoundError(NotFoundError):
    """No live calendar feed token: unknown, revoked, or its user is disabled."""

    def __init__(self, ident: str = "feed") -> None:
        super().__init__("calendar feed token", ident)

    def public_fields(self) -> dict[str, str | int]:
        """Only the kind: the token asked for is a secret."""
        return {"kind": self.kind}


# ================================================================ response packages
# Appended with the response packages (domain/services/packages.py, domain/package_workflow.py).
class PackageVersionNotFoundError(NotFoundError):
    """No version with this number in the request's response package."""

    def __init__(self, request_id: UUID, number: int) -> None:
        self.request_id, self.number = request_id, number
        super().__init__("package version", f"{request_id}/{number}")


class InvalidPackageTransitionError(ConflictError):
    """A step that the package workflow does not allow in the version's current state."""

    def __init__(self, state: str, action: str) -> None:
        self.state, self.action = state, action
        super().__init__(f"cannot {action} a package version that is {state}")

    def public_fields(self) -> dict[str, str | int]:
        """The state and the refused action."""
        return {"state": self.state, "action": self.action}


class PackageTransitionNotPermittedError(PolicyError):
    """The package step is possible in this state, but not for the caller's role."""

    def __init__(self, state: str, action: str, role: str) -> None:
        self.state, self.action, self.role = state, action, role
        super().__init__(f"role {role!r} may not {action} a package version that is {state}")

    def public_fields(self) -> dict[str, str | int]:
        """The state, the action and the role."""
        return {"state": self.state, "action": self.action, "role": self.role}


class SelfApprovalError(PolicyError):
    """Four-eyes: the person who drafted, last changed or built a version cannot approve it."""

    def __init__(self, request_id: UUID, number: int) -> None:
        self.request_id, self.number = request_id, number
        super().__init__(
            f"you drafted, last changed or built version {number} of this response package; "
            "another lawyer must approve it"
        )

    def public_fields(self) -> dict[str, str | int]:
        """The request and the version."""
        return {"request_id": str(self.request_id), "version": self.number}


class PackageHashMismatchError(ConflictError):
    """An approval named a SHA-256 that is not the version's: it approves other bytes."""

    def __init__(self, number: int, expected: str, given: str) -> None:
        self.number, self.expected, self.given = number, expected, given
        super().__init__(
            f"version {number} has SHA-256 {expected}, not {given}; download it again and "
            "approve what you have read"
        )

    def public_fields(self) -> dict[str, str | int]:
        """The version and both digests (digests of the package, not personal data)."""
        return {"version": self.number, "sha256": self.expected, "given": self.given}


class StalePackageError(ConflictError):
    """The response draft changed after this version was built; build and approve a new one."""

    def __init__(self, number: int, built_from: int, revision: int) -> None:
        self.number, self.built_from, self.revision = number, built_from, revision
        super().__init__(
            f"version {number} was built from revision {built_from} of the response, which is "
            f"now at revision {revision}; build a new version"
        )

    def public_fields(self) -> dict[str, str | int]:
        """The version, the revision it was built from and the current one."""
        return {"version": self.number, "built_from": self.built_from, "revision": self.revision}


class ResponseDraftChangedError(ConflictError):
    """The response draft is no longer at the revision the caller read (or built from)."""

    def __init__(self, request_id: UUID, expected: int, actual: int) -> None:
        self.request_id, self.expected, self.actual = request_id, expected, actual
        super().__init__(
            f"the response of request {request_id} is at revision {actual}, not {expected}"
        )

    def public_fields(self) -> dict[str, str | int]:
        """The request, the revision expected and the current one."""
        return {
            "request_id": str(self.request_id),
            "expected_revision": self.expected,
            "revision": self.actual,
        }


# ================================================================ reminder sweep and inbox (#8)
class InboxMessageNotFoundError(NotFoundError):
    """No inbox message with this id for this user."""

    def __init__(self, ident: UUID | str) -> None:
        super().__init__("inbox message", ident)


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
