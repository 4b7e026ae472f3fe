"""What goes wrong with response packages (pure)."""

from __future__ import annotations

from uuid import UUID

from domain.packages.model import describe_fields
from domain.shared.errors import (
    ConflictError,
    NotFoundError,
    PolicyError,
)


class PackageVersionNotFoundError(NotFoundError):
    """No version with this number in the request's response package."""

    def __init__(self, request_id: UUID, number: int) -> None:
        self.request_id, self.number = request_id, number
        super().__init__("package version", f"{request_id}/{number}")


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


class RequestChangedSinceBuildError(ConflictError):
    """The letter of this version prints request data that has changed since it was built."""

    def __init__(self, number: int, fields: tuple[str, ...]) -> None:
        self.number, self.fields = number, fields
        named = describe_fields(fields)
        super().__init__(
            f"version {number} was built before the request's {named} changed, so its letter "
            "no longer matches the request; build a new version and have it approved"
        )

    def public_fields(self) -> dict[str, str | int]:
        """The version and the changed fields (comma-separated names, no values)."""
        return {"version": self.number, "stale_fields": ",".join(self.fields)}


class RequestChangedWhileBuildingError(ConflictError):
    """What the letter prints of the request changed while the version was being rendered."""

    def __init__(self, request_id: UUID, fields: tuple[str, ...]) -> None:
        self.request_id, self.fields = request_id, fields
        super().__init__(
            f"the request's {describe_fields(fields)} changed while its package was being built; "
            "build it again"
        )

    def public_fields(self) -> dict[str, str | int]:
        """The request and the changed fields (comma-separated names, no values)."""
        return {"request_id": str(self.request_id), "stale_fields": ",".join(self.fields)}
