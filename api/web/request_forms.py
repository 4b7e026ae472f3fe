"""The request page's forms as posted, read strictly, and the way back to the page.

Fields arrive as text; each is read here into what the service takes, and a value it cannot
take is a ``ValidationError`` on its field, shown beside it like the service's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final
from urllib.parse import urlencode
from uuid import UUID

from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body
from litestar.response import Redirect
from litestar.status_codes import HTTP_303_SEE_OTHER

from api.web import request_view as view
from domain.identity.sessions import SessionUser
from domain.requests.trail import request_trail
from domain.requests.workflow import RequestAction
from domain.shared.errors import NotFoundError, PermissionDeniedError, ValidationError

FORM: Final = Body(media_type=RequestEncodingType.URL_ENCODED)
PASS_THROUGH: Final = (NotFoundError, PermissionDeniedError)
"""Refusals that are pages of their own (404, 403), not messages beside a control."""


@dataclass
class StepForm:
    """A workflow step: the version the page showed, an optional note, the confirmation."""

    version: str = ""
    note: str = ""
    confirmed: str = ""


@dataclass
class ExtensionForm:
    """Taking the rule's extension."""

    version: str = ""
    reason: str = ""
    notified_on: str = ""


@dataclass
class AssignForm:
    """Who works on the request ("" for nobody)."""

    version: str = ""
    assignee: str = ""


@dataclass
class RemindersForm:
    """The request's own reminder offsets, as typed (``7d, 3d, 1d, 4h``)."""

    offsets: str = ""


def read_version(raw: str) -> int:
    """The version of the request the page showed."""
    if not raw.strip().isdigit():
        raise ValidationError("version", "the form was not complete; reload the page")
    return int(raw)


def read_action(raw: str) -> RequestAction:
    """The step named in the URL; an unknown one is a 404 page."""
    try:
        return RequestAction(raw)
    except ValueError:
        raise NotFoundException(f"no step {raw!r}") from None


def back_to(request_id: UUID, entries: list[int]) -> Redirect:
    """Redirect-after-POST to the page, naming the audit entries just written."""
    query = urlencode([("entry", str(i)) for i in entries])
    return Redirect(
        path=f"/requests/{request_id}" + (f"?{query}" if query else ""),
        status_code=HTTP_303_SEE_OTHER,
    )


async def recorded(request_id: UUID, viewer: SessionUser, version: int) -> list[int]:
    """The index of the entry that left the request at ``version``."""
    trail = await request_trail(request_id, actor=viewer.actor, after_version=version - 1)
    found = view.entry_for(trail, version=version)
    return [] if found is None else [found.index]


def read_date(name: str, raw: str) -> date:
    """A day as a date input sends it (``2026-03-20``)."""
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ValidationError(name, "give a date (YYYY-MM-DD)") from None


def read_uuid(name: str, raw: str) -> UUID | None:
    """A person chosen from a list ("" for nobody)."""
    if not raw.strip():
        return None
    try:
        return UUID(raw.strip())
    except ValueError:
        raise ValidationError(name, "choose someone from the list") from None
