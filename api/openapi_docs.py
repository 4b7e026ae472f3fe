"""Error responses for the OpenAPI document (Litestar documents neither guards nor auth)."""

from __future__ import annotations

from typing import Final

from litestar.openapi.datastructures import ResponseSpec

from api.errors import PROBLEM_JSON
from api.schemas.auth import ProblemRead

_DESCRIPTIONS: Final = {
    400: "Malformed request (bad JSON, unknown field, wrong type)",
    401: "No, malformed, expired or revoked bearer token",
    403: "The caller's role does not grant this endpoint's permission",
    404: "No such resource",
    409: "Conflicts with the current state",
    410: "The record exists but its stored file is missing (restore it from a backup)",
    422: "A field breaks a domain rule",
    429: "Too many failed logins: locked for a while (see Retry-After)",
    503: "Not ready",
}


def problems(*codes: int) -> dict[int, ResponseSpec]:
    """Problem-details responses for ``codes`` (401 and 403 are added for protected endpoints)."""
    return {
        code: ResponseSpec(
            data_container=ProblemRead,
            description=_DESCRIPTIONS[code],
            media_type=PROBLEM_JSON,
            generate_examples=False,
        )
        for code in codes
    }


def protected(*codes: int) -> dict[int, ResponseSpec]:
    """Problems of an endpoint behind a bearer token and a permission, plus ``codes``."""
    return problems(400, 401, 403, *codes)
