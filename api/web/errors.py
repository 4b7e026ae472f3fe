"""Errors on the web pages: a page that says what happened, or a trip to the sign-in page.

The status, title and detail come from the same problem mapping as the API (``api/errors.py``);
only the form differs. A page that needs a session and has none redirects to sign-in and back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.datastructures import State
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

SIGN_IN: str = "/sign-in"


def sign_in_redirect(request: Request[object, object, State]) -> Response[Any]:
    """Send the browser to sign in, and back to this page afterwards (GET pages only)."""
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = SIGN_IN if request.method != "GET" else f"{SIGN_IN}?next={quote(back, safe='')}"
    if request.headers.get("hx-request") == "true":
        # htmx swaps nothing on a redirect; it follows HX-Redirect with a full page load
        return Response(b"", status_code=200, headers={"HX-Redirect": target})
    return Redirect(path=target, status_code=HTTP_303_SEE_OTHER)


def error_page(
    request: Request[object, object, State],
    *,
    status: int,
    title: str,
    detail: str,
    headers: Mapping[str, str] | None = None,
) -> Response[Any]:
    """The error as a page (or, for htmx, as the fragment that replaces the target)."""
    context = {
        "status": status,
        "title": title,
        "detail": detail,
        "correlation_id": request.scope["state"].get("correlation_id", ""),
        "fragment": request.headers.get("hx-request") == "true",
    }
    return Template(
        template_name="error.html",
        context=context,
        status_code=status,
        headers=dict(headers or {}),
    )
