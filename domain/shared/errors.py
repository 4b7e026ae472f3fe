"""The base of Docket's error hierarchy and the errors every aggregate shares (pure)."""

from __future__ import annotations

from typing import Final
from uuid import UUID

from audit.errors import AuditError
from domain.shared.model import role_noun
from jurisdictions.errors import JurisdictionError


def _words(name: str) -> str:
    """A vocabulary value as words: ``request_clarification`` → ``request clarification``."""
    return name.replace("_", " ")


class DocketError(Exception):
    """Base of every error the domain raises on purpose."""

    def public_fields(self) -> dict[str, str | int]:
        """Identifiers that are safe to show a client (no personal data, no secrets)."""
        return {}


class NotFoundError(DocketError):
    """A thing that was asked for does not exist."""

    def __init__(self, kind: str, ident: UUID | str) -> None:
        self.kind, self.ident = kind, ident
        super().__init__(f"{kind} {ident} does not exist")

    def public_fields(self) -> dict[str, str | int]:
        """The kind and identifier asked for."""
        return {"kind": self.kind, "id": str(self.ident)}


class BlobMissingError(NotFoundError):
    """The database names a stored file whose bytes are not in the blob store (lost or unrestored).

    The record exists and its bytes are gone: over HTTP that is 410, never a server error.
    """

    def __init__(self, sha256: str) -> None:
        self.sha256 = sha256
        DocketError.__init__(
            self,
            f"the stored file {sha256} is missing from Docket's file store;"
            " an administrator can restore it from a backup",
        )
        self.kind, self.ident = "blob", sha256


class AuthenticationError(DocketError):
    """The caller could not be identified."""


class PolicyError(DocketError):
    """The caller is known but may not do this."""


class PermissionDeniedError(PolicyError):
    """The caller's role does not grant the permission an operation needs."""

    def __init__(self, role: str, permission: str, action: str = "do this") -> None:
        self.role, self.permission = str(role), str(permission)
        super().__init__(f"{role_noun(role)} may not {action}.")

    def public_fields(self) -> dict[str, str | int]:
        """The role and the missing permission."""
        return {"role": self.role, "permission": self.permission}


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


class InvalidTransitionError(ConflictError):
    """An action that a workflow does not allow in the subject's current state.

    ``kind`` names the subject: ``request``, ``legal hold`` or ``package version``.
    """

    def __init__(self, kind: str, state: str, action: str) -> None:
        self.kind, self.state, self.action = kind, str(state), str(action)
        super().__init__(f"cannot {_words(self.action)} a {kind} that is {_words(self.state)}")

    def public_fields(self) -> dict[str, str | int]:
        """The kind of subject, its state and the refused action."""
        return {"kind": self.kind, "state": self.state, "action": self.action}


class TransitionNotPermittedError(PolicyError):
    """The action is possible in this state, but not for the caller's role."""

    def __init__(self, kind: str, state: str, action: str, role: str) -> None:
        self.kind, self.state, self.action, self.role = kind, str(state), str(action), str(role)
        super().__init__(
            f"{role_noun(role)} may not {_words(self.action)} a {kind}"
            f" that is {_words(self.state)}."
        )

    def public_fields(self) -> dict[str, str | int]:
        """The kind of subject, its state, the action and the role."""
        return {"kind": self.kind, "state": self.state, "action": self.action, "role": self.role}


class StaleVersionError(ConflictError):
    """The caller changed a subject on the strength of a version that is no longer current.

    ``kind`` names the subject (``request``, ``legal hold``); the problem names its id as
    ``request_id`` or ``legal_hold_id``.
    """

    def __init__(
        self, subject_id: UUID, expected: int, actual: int, *, kind: str = "request"
    ) -> None:
        self.subject_id, self.expected, self.actual, self.kind = subject_id, expected, actual, kind
        super().__init__(
            f"{kind} {subject_id} is at version {actual}, not {expected}; reload and retry"
        )

    def public_fields(self) -> dict[str, str | int]:
        """The subject, the version the caller read, and the current one."""
        return {
            f"{self.kind.replace(' ', '_')}_id": str(self.subject_id),
            "expected_version": self.expected,
            "version": self.actual,
        }


class NotReadyError(DocketError):
    """The database is unreachable or its migrations are not all applied."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"not ready: {reason}")


class AuditRangeError(ValidationError):
    """An index, tree size or page that is out of the log's range."""

    def __init__(self, message: str) -> None:
        super().__init__("range", message)


class DeadlineInputError(ValidationError):
    """An input of a deadline computation is unusable; ``field`` names it.

    A naive time, an unknown time zone or subdivision, a missing event the clock starts on, or a
    pause that is reversed, overlapping or not allowed for the rule.
    """


class AttachmentTooLargeError(ValidationError):
    """An uploaded file is larger than the configured limit; none of it was kept."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        super().__init__("file", f"larger than the limit of {max_bytes} bytes")

    def public_fields(self) -> dict[str, str | int]:
        """The field and the limit."""
        return {"field": self.field, "max_bytes": self.max_bytes}


EXPECTED_ERRORS: Final = (DocketError, JurisdictionError, AuditError)
"""Every error raised on purpose: the domain's, and those of the deadline engine and the audit
core below it, which cannot subclass ``DocketError`` (they import nothing of Docket's). Anything
else that escapes is a bug."""
