"""The base of Docket's error hierarchy and the errors every aggregate shares (pure)."""

from __future__ import annotations

from uuid import UUID


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


class AuthenticationError(DocketError):
    """The caller could not be identified."""


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


class NotReadyError(DocketError):
    """The database is unreachable or its migrations are not all applied."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"not ready: {reason}")


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


class AttachmentTooLargeError(ValidationError):
    """An uploaded file is larger than the configured limit; none of it was kept."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        super().__init__("file", f"larger than the limit of {max_bytes} bytes")

    def public_fields(self) -> dict[str, str | int]:
        """The field and the limit."""
        return {"field": self.field, "max_bytes": self.max_bytes}
