"""The only place that knows how errors look over HTTP: RFC 9457 problem details.

Docket builds its own handlers rather than Litestar's ProblemDetailsPlugin because every problem
carries ``instance`` (the request path) and the correlation id, which the plugin's converters
(exception in, exception out) cannot see. One table maps every error raised on purpose — the
domain's, the deadline engine's and the audit core's — to its problem; an error of those that
is not in the table is treated as a bug (500).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Final

from litestar import Request, Response
from litestar.datastructures import State
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import ExceptionHandlersMap

from api.auth import is_page_path
from api.input_checks import InputRefusedError
from api.problem_text import http_detail, invalid_error, sentence
from api.web.errors import error_page, sign_in_redirect
from domain.audit_log import (
    ChangeAlreadyErasedError,
    EntryNotFoundError,
    TileError,
    TileNotFoundError,
)
from domain.backup.errors import BackupError
from domain.deadlines import JurisdictionNotFoundError, RuleNotFoundError
from domain.holds.errors import (
    AckLinkExpiredError,
    AckLinkInvalidError,
    AckLinkUsedError,
    HoldItemNotFoundError,
    HoldItemReleasedError,
    HoldNotFoundError,
)
from domain.identity.errors import (
    AlreadyDisabledError,
    DuplicateEmailError,
    InvalidAccessTokenError,
    InvalidCredentialsError,
    LoginLockedError,
    MissingCredentialsError,
    SelfLockoutError,
    SingleSignOnRefusedError,
)
from domain.notifications.errors import CalendarTokenNotFoundError, InboxMessageNotFoundError
from domain.packages.errors import (
    PackageHashMismatchError,
    PackageVersionNotFoundError,
    RequestChangedSinceBuildError,
    RequestChangedWhileBuildingError,
    ResponseDraftChangedError,
    SelfApprovalError,
    StalePackageError,
)
from domain.requests.errors import (
    AttachmentNotFoundError,
    AuthorityNotFoundError,
    ClockStopRefusedError,
    ExtensionAlreadyTakenError,
    ExtensionNoticeLateError,
    NoExtensionError,
    PackageStepRequiredError,
    RequestNotFoundError,
    SealedRequestError,
)
from domain.shared.errors import (
    EXPECTED_ERRORS,
    AttachmentTooLargeError,
    AuditRangeError,
    AuthenticationError,
    BlobMissingError,
    ConflictError,
    DeadlineInputError,
    DocketError,
    InvalidTransitionError,
    NotFoundError,
    NotReadyError,
    PermissionDeniedError,
    PolicyError,
    StaleVersionError,
    TransitionNotPermittedError,
    ValidationError,
)

PROBLEM_JSON: Final = "application/problem+json"
log = logging.getLogger("docket.errors")


@dataclass(frozen=True, slots=True)
class Problem:
    """How one kind of error looks over HTTP."""

    status: int
    slug: str
    title: str


PROBLEMS: Final[Mapping[type[Exception], Problem]] = {
    DocketError: Problem(400, "bad-request", "The request cannot be carried out"),
    NotFoundError: Problem(404, "not-found", "Resource not found"),
    AuthenticationError: Problem(401, "unauthenticated", "Authentication required"),
    MissingCredentialsError: Problem(401, "missing-credentials", "No bearer token was sent"),
    InvalidCredentialsError: Problem(401, "invalid-credentials", "Wrong e-mail or password"),
    InvalidAccessTokenError: Problem(401, "invalid-token", "The bearer token is not valid"),
    LoginLockedError: Problem(429, "login-locked", "Too many failed logins"),
    SingleSignOnRefusedError: Problem(401, "sso-refused", "Single sign-on refused"),
    PolicyError: Problem(403, "forbidden", "Not allowed"),
    PermissionDeniedError: Problem(403, "permission-denied", "Your role does not allow this"),
    SelfLockoutError: Problem(403, "self-lockout", "You cannot disable your own account"),
    ValidationError: Problem(422, "invalid-field", "A field breaks a rule"),
    ConflictError: Problem(409, "conflict", "Conflicts with the current state"),
    DuplicateEmailError: Problem(409, "duplicate-email", "E-mail address already in use"),
    AlreadyDisabledError: Problem(409, "already-disabled", "Already disabled or revoked"),
    NotReadyError: Problem(503, "not-ready", "Docket is not ready"),
    ChangeAlreadyErasedError: Problem(409, "already-erased", "The change was erased already"),
    EntryNotFoundError: Problem(404, "not-found", "Resource not found"),
    TileNotFoundError: Problem(404, "not-found", "Resource not found"),
    TileError: Problem(404, "not-found", "Resource not found"),
    AuditRangeError: Problem(422, "out-of-range", "Outside the log's range"),
    InvalidTransitionError: Problem(409, "invalid-transition", "Not allowed in the current state"),
    TransitionNotPermittedError: Problem(403, "transition-not-permitted", "Not for your role"),
    RuleNotFoundError: Problem(404, "no-deadline-rule", "No deadline rule with this id"),
    JurisdictionNotFoundError: Problem(404, "no-jurisdiction", "No rule pack for this code"),
    DeadlineInputError: Problem(422, "invalid-deadline-input", "A deadline input is unusable"),
    AuthorityNotFoundError: Problem(404, "not-found", "Resource not found"),
    RequestNotFoundError: Problem(404, "not-found", "Resource not found"),
    SealedRequestError: Problem(403, "request-sealed", "The request is sealed"),
    StaleVersionError: Problem(409, "stale-version", "Changed since you read it"),
    ClockStopRefusedError: Problem(409, "clock-stop-not-allowed", "This rule's clock cannot stop"),
    NoExtensionError: Problem(409, "no-extension", "This rule allows no extension"),
    ExtensionAlreadyTakenError: Problem(409, "extension-already-taken", "Extension taken already"),
    ExtensionNoticeLateError: Problem(422, "extension-notice-late", "Extension notice too late"),
    AttachmentNotFoundError: Problem(404, "not-found", "Resource not found"),
    AttachmentTooLargeError: Problem(413, "attachment-too-large", "The file is too large"),
    BlobMissingError: Problem(410, "stored-file-missing", "The stored file is missing"),
    HoldNotFoundError: Problem(404, "not-found", "Resource not found"),
    HoldItemNotFoundError: Problem(404, "not-found", "Resource not found"),
    HoldItemReleasedError: Problem(409, "already-released", "Released from this hold already"),
    PackageStepRequiredError: Problem(409, "package-step-required", "Use the package's steps"),
    AckLinkInvalidError: Problem(404, "ack-link-invalid", "Acknowledgement link not valid"),
    AckLinkExpiredError: Problem(410, "ack-link-expired", "Acknowledgement link expired"),
    AckLinkUsedError: Problem(410, "ack-link-used", "Acknowledgement link used already"),
    # calendar feed
    CalendarTokenNotFoundError: Problem(404, "not-found", "Resource not found"),
    # reminder sweep and inbox
    InboxMessageNotFoundError: Problem(404, "not-found", "Resource not found"),
    # response packages
    PackageVersionNotFoundError: Problem(404, "not-found", "Resource not found"),
    SelfApprovalError: Problem(403, "self-approval", "You cannot approve your own work"),
    PackageHashMismatchError: Problem(409, "hash-mismatch", "Not the bytes of this version"),
    StalePackageError: Problem(409, "stale-package", "The response changed since this build"),
    ResponseDraftChangedError: Problem(409, "draft-changed", "The response changed meanwhile"),
    # backups (command line only)
    BackupError: Problem(422, "unusable-backup", "The backup cannot be made or restored"),
    RequestChangedSinceBuildError: Problem(
        409, "request-changed", "The request changed since this build"
    ),
    RequestChangedWhileBuildingError: Problem(
        409, "request-changed", "The request changed since this build"
    ),
}

_HTTP_TITLES: Final[Mapping[int, tuple[str, str]]] = {
    400: ("bad-request", "The request is malformed"),
    401: ("unauthenticated", "Authentication required"),
    403: ("forbidden", "Not allowed"),
    404: ("not-found", "Resource not found"),
    405: ("method-not-allowed", "Method not allowed"),
    413: ("too-large", "The request body is too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    429: ("too-many-requests", "Too many requests"),
}


def problem_for(exc: Exception) -> Problem | None:
    """The most specific mapping entry for ``exc`` (walks its MRO); None if it has none."""
    return next((PROBLEMS[cls] for cls in type(exc).__mro__ if cls in PROBLEMS), None)


def problem_response(
    request: Request[object, object, State],
    *,
    base_uri: str,
    status: int,
    slug: str,
    title: str,
    detail: str,
    extra: Mapping[str, object] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response[Any]:
    """An ``application/problem+json`` answer for ``request``; on a web page, a page."""
    if is_page_path(request.url.path):
        if status == 401:  # noqa: PLR2004 - not signed in: sign in, then come back
            return sign_in_redirect(request)
        return error_page(request, status=status, title=title, detail=detail, headers=headers)
    body: dict[str, object] = {
        "type": f"{base_uri}/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "correlation_id": request.scope["state"].get("correlation_id", ""),
    }
    body.update(extra or {})
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=dict(headers or {}))


def handle_expected_error(
    request: Request[object, object, State], exc: Exception, *, base_uri: str
) -> Response[Any]:
    """An error raised on purpose, as its mapped problem."""
    problem = problem_for(exc)
    if problem is None:
        return handle_unexpected(request, exc, base_uri=base_uri)
    public_fields = getattr(exc, "public_fields", dict)
    headers: dict[str, str] = {}
    if problem.status == 401:  # noqa: PLR2004 - RFC 9110 §11.6.1 asks 401 to name the scheme
        headers["WWW-Authenticate"] = 'Bearer realm="docket"'
    if isinstance(exc, LoginLockedError):
        headers["Retry-After"] = str(exc.retry_after_seconds)
    return problem_response(
        request,
        base_uri=base_uri,
        status=problem.status,
        slug=problem.slug,
        title=problem.title,
        detail=_detail(exc),
        extra=public_fields(),
        headers=headers,
    )


def _detail(exc: Exception) -> str:
    """The error's message as a sentence; a field rule's names its field first."""
    if isinstance(exc, AuditRangeError):
        return sentence(exc.message)
    if isinstance(exc, ValidationError):
        return sentence(f"The field {exc.field}: {exc.message}")
    return sentence(str(exc))


def handle_http_exception(
    request: Request[object, object, State], exc: HTTPException, *, base_uri: str
) -> Response[Any]:
    """Litestar's own errors (validation, 404 route, 405 …) as problems; its 500s as ours."""
    if exc.status_code >= HTTP_500_INTERNAL_SERVER_ERROR:
        return handle_unexpected(request, exc, base_uri=base_uri)
    slug, title = _HTTP_TITLES.get(exc.status_code, ("http-error", "HTTP error"))
    detail = http_detail(exc)
    extra: dict[str, object] = {}
    if isinstance(exc, InputRefusedError):
        slug, title = exc.slug, exc.title
    if isinstance(exc, ValidationException):
        slug, title = "validation-failed", "The request does not match the schema"
        errors = [invalid_error(e) for e in (exc.extra if isinstance(exc.extra, list) else [])]
        extra["errors"] = errors
        if errors:
            more = len(errors) - 1
            detail = str(errors[0]["message"]) + (
                f" {more} more {'problem is' if more == 1 else 'problems are'} listed in errors."
                if more
                else ""
            )
    return problem_response(
        request,
        base_uri=base_uri,
        status=exc.status_code,
        slug=slug,
        title=title,
        detail=detail,
        extra=extra,
        headers=exc.headers,
    )


def handle_unexpected(
    request: Request[object, object, State], exc: Exception, *, base_uri: str
) -> Response[Any]:
    """Anything else: log the traceback, answer a generic 500 that leaks nothing."""
    log.error(
        "unhandled %s on %s %s (correlation id %s)",
        type(exc).__name__,
        request.method,
        request.url.path,
        request.scope["state"].get("correlation_id", ""),
        exc_info=exc,
    )
    return problem_response(
        request,
        base_uri=base_uri,
        status=HTTP_500_INTERNAL_SERVER_ERROR,
        slug="internal-error",
        title="Internal server error",
        detail="Something went wrong on our side; quote the correlation id when reporting it.",
    )


def exception_handlers(problem_base_uri: str) -> ExceptionHandlersMap:
    """The handlers, each answering problems whose ``type`` starts with ``problem_base_uri``."""
    expected = partial(handle_expected_error, base_uri=problem_base_uri)
    return {
        **dict.fromkeys(EXPECTED_ERRORS, expected),
        HTTPException: partial(handle_http_exception, base_uri=problem_base_uri),
        Exception: partial(handle_unexpected, base_uri=problem_base_uri),
    }
