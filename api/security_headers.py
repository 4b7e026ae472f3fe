"""Headers every answer carries: no content sniffing, and no page shown inside another site's frame.

An ASGI wrapper rather than Litestar's ``response_headers`` so that nothing escapes it: static
files, error answers, Litestar's own 404 and 405, the API documentation and streamed files.
"""

from __future__ import annotations

from typing import Final

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

NO_FRAMES: Final = "frame-ancestors 'none'"


class SecurityHeadersMiddleware:
    """Add ``X-Content-Type-Options: nosniff`` to every answer, and frame protection to pages.

    A page (any HTML answer) gets ``X-Frame-Options: DENY`` and ``frame-ancestors 'none'``,
    added to its own Content-Security-Policy if it has one, so that no other site can frame a
    form and trick a click (an acknowledgement, an approval). Other answers keep their policy:
    a PDF shown inline by the browser's viewer must not be refused by frame rules.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the start of its answer."""
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                message = {**message, "headers": with_security_headers(headers)}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def with_security_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` with nosniff, and for an HTML answer, frame protection."""
    names = {name.lower() for name, _ in headers}
    added = [] if b"x-content-type-options" in names else [(b"x-content-type-options", b"nosniff")]
    content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
    if not content_type.lower().startswith(b"text/html"):
        return headers + added
    if b"x-frame-options" not in names:
        added.append((b"x-frame-options", b"DENY"))
    if b"content-security-policy" not in names:
        return [*headers, *added, (b"content-security-policy", NO_FRAMES.encode())]
    return [*(_no_frames(name, value) for name, value in headers), *added]


def _no_frames(name: bytes, value: bytes) -> tuple[bytes, bytes]:
    if name.lower() != b"content-security-policy" or b"frame-ancestors" in value:
        return name, value
    return name, value.rstrip(b"; ") + b"; " + NO_FRAMES.encode()
