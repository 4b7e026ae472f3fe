"""What goes wrong with people, tokens and logins (pure)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from domain.shared.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PolicyError,
)


class UserNotFoundError(NotFoundError):
    """No user with this id or e-mail."""

    def __init__(self, ident: UUID | str) -> None:
        super().__init__("user", ident)


class ApiTokenNotFoundError(NotFoundError):
    """No API token with this id."""

    def __init__(self, ident: UUID | str) -> None:
        super().__init__("API token", ident)


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


class SelfLockoutError(PolicyError):
    """An admin tried to disable their own account."""

    def __init__(self, user_id: UUID) -> None:
        self.user_id = user_id
        super().__init__(f"user {user_id} cannot disable their own account")


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


class InvalidSessionError(AuthenticationError):
    """A browser's session cookie is unknown, expired or signed out, or its user is disabled."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"the session is not valid: {reason}")


class SingleSignOnRefusedError(AuthenticationError):
    """An OpenID Connect sign-in was refused: a check on the provider's answer or the account."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"single sign-on refused: {reason}")


class SigningKeyNotFoundError(SingleSignOnRefusedError):
    """No key the provider publishes can check its ID token (perhaps it rotated its keys)."""

    def __init__(self, kid: str | None) -> None:
        self.kid = kid
        named = "no key" if kid is None else f"no key with kid {kid!r}"
        super().__init__(f"the identity provider publishes {named} that verifies the ID token")
