"""One structured log line per HTTP request, and a correlation id on every answer."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Final

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from domain.shared import audit_trail
from domain.shared.model import Actor

log = logging.getLogger("docket.requests")
CORRELATION_HEADER: Final = "x-correlation-id"
_SAFE_ID: Final = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestLogMiddleware:
    """Outermost ASGI wrapper: sees every request, routed or not, and every status sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Tag the request with a correlation id, pass it on, then log one line."""
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        correlation_id = _correlation_id(scope)
        scope.setdefault("state", {})["correlation_id"] = correlation_id
        context_token = audit_trail.correlation_id.set(correlation_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((CORRELATION_HEADER.encode(), correlation_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            audit_trail.correlation_id.reset(context_token)
            actor = scope.get("user")
            line = {
                "method": scope.get("method", ""),
                "path": scope["path"],
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "user_id": str(actor.id) if isinstance(actor, Actor) and actor.id else None,
                "correlation_id": correlation_id,
            }
            log.info(json.dumps(line, separators=(",", ":")))


def _correlation_id(scope: Scope) -> str:
    """The caller's ``X-Correlation-ID`` when it is a plain token, else a fresh one."""
    for name, value in scope.get("headers", []):
        if name == CORRELATION_HEADER.encode():
            candidate = value.decode("latin-1")
            if _SAFE_ID.fullmatch(candidate):
                return candidate
    return uuid.uuid4().hex
