"""Acknowledgement pages for hold notices: custodians answer a link without logging in.

``GET /ack/{token}`` shows the notice and changes nothing (mail scanners open links);
``POST /ack/{token}`` records the acknowledgement. Every outcome is a plain HTML page: an unknown,
altered, used or expired link gets a page that says so, never a trace or a JSON problem.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Final

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.enums import MediaType, RequestEncodingType
from litestar.params import Body, FromPath
from litestar.status_codes import (
    HTTP_200_OK,
    HTTP_404_NOT_FOUND,
    HTTP_410_GONE,
    HTTP_422_UNPROCESSABLE_ENTITY,
)

from api.clock import Clock
from api.guards import PUBLIC
from domain.holds import notices as hold_notices
from domain.holds.errors import (
    AckLinkExpiredError,
    AckLinkInvalidError,
    AckLinkUsedError,
    HoldNotFoundError,
)
from domain.holds.notices import AckStatus, AckView
from domain.shared.errors import DocketError, ValidationError

_PAGES: Final = Environment(
    loader=FileSystemLoader(Path(__file__).parent.parent / "templates"),
    autoescape=select_autoescape(default=True),
)
_HEADERS: Final = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    # no other site may frame the form and trick a custodian into a click
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex",
}
_MESSAGES: Final = {
    AckStatus.READY: ("Legal hold notice", ""),
    AckStatus.ACKNOWLEDGED: (
        "Acknowledged",
        "Thank you. Your acknowledgement is recorded; keep preserving the data described in "
        "the notice until you are told the hold is released.",
    ),
    AckStatus.USED: (
        "Link used already",
        "This link was used already. If you have not acknowledged the hold, contact Legal.",
    ),
    AckStatus.EXPIRED: (
        "Link expired",
        "This link has expired. A reminder with a new link will follow; or contact Legal.",
    ),
    AckStatus.RELEASED: (
        "Hold released",
        "This hold no longer applies to you: you have been released from it.",
    ),
}


def _page(
    status_code: int, heading: str, message: str, view: AckView | None = None, *, bad: bool = False
) -> Response[str]:
    ack = None if view is None else view.custodian.acknowledgement
    html = _PAGES.get_template("ack.html").render(
        heading=heading,
        message=message,
        bad=bad,
        hold=None if view is None else view.hold,
        custodian=None if view is None else view.custodian,
        acknowledged_at=None if ack is None else f"{ack.at:%Y-%m-%d %H:%M} UTC",
        show_notice=view is not None and view.status is AckStatus.READY,
    )
    return Response(html, status_code=status_code, media_type=MediaType.HTML, headers=_HEADERS)


def _view_page(view: AckView) -> Response[str]:
    heading, message = _MESSAGES[view.status]
    gone = view.status in {AckStatus.USED, AckStatus.EXPIRED, AckStatus.RELEASED}
    return _page(HTTP_410_GONE if gone else HTTP_200_OK, heading, message, view, bad=gone)


def _error_page(exc: DocketError) -> Response[str]:
    if isinstance(exc, AckLinkUsedError):
        return _page(HTTP_410_GONE, *_MESSAGES[AckStatus.USED], bad=True)
    if isinstance(exc, AckLinkExpiredError):
        return _page(HTTP_410_GONE, *_MESSAGES[AckStatus.EXPIRED], bad=True)
    if isinstance(exc, ValidationError):
        return _page(HTTP_422_UNPROCESSABLE_ENTITY, "Answer too long", str(exc), bad=True)
    return _page(
        HTTP_404_NOT_FOUND,
        "Link not valid",
        "This link is not valid. Check that it was copied whole from the notice, or contact Legal.",
        bad=True,
    )


class AckController(Controller):
    """Custodians acknowledge legal hold notices from the link in their mail."""

    path = "/ack"
    tags = ["Legal holds"]
    include_in_schema = False

    @get("/{token:str}", opt=PUBLIC, security=[], media_type=MediaType.HTML)
    async def show(
        self, token: FromPath[str], ack_key: NamedDependency[bytes], clock: NamedDependency[Clock]
    ) -> Response[str]:
        """The notice with its form; opening it changes nothing."""
        try:
            view = await hold_notices.open_ack_link(token, key=ack_key, now=clock.now())
        except (AckLinkInvalidError, HoldNotFoundError) as exc:
            return _error_page(exc)
        return _view_page(view)

    @post("/{token:str}", opt=PUBLIC, security=[], media_type=MediaType.HTML, status_code=200)
    async def acknowledge(
        self,
        token: FromPath[str],
        request: Request[object, object, State],
        ack_key: NamedDependency[bytes],
        clock: NamedDependency[Clock],
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[str]:
        """Record the acknowledgement, with when, from where, and the answers."""
        now: datetime = clock.now()
        try:
            view = await hold_notices.acknowledge(
                token,
                data,
                address=request.client.host if request.client else "",
                user_agent=request.headers.get("user-agent", ""),
                key=ack_key,
                now=now,
            )
        except (
            AckLinkInvalidError,
            AckLinkUsedError,
            AckLinkExpiredError,
            HoldNotFoundError,
            ValidationError,
        ) as exc:
            return _error_page(exc)
        return _view_page(view)
