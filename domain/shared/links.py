"""The URLs Docket hands out to people: the one place that knows their shapes (pure).

Mail, inbox messages, webhook payloads and calendar events link to the web pages, never to the
JSON API: a browser that opens an API URL gets a 401 problem, not the request. ``base_url`` is
the public URL of the installation (``DOCKET_BASE_URL``), with or without a trailing slash.
"""

from __future__ import annotations

import re
from typing import Final
from uuid import UUID

CALENDAR_FEED_PATH: Final = "/api/v1/calendar.ics"
"""The feed is for calendar clients, not browsers: its URL is the API's on purpose."""

# Messages delivered before the request pages existed link to the API's URL of the request.
_OLD_REQUEST_LINK: Final = re.compile(r"/api/v1/requests/([0-9a-fA-F-]{36})")


def _base(base_url: str) -> str:
    return base_url.rstrip("/")


def request_page(base_url: str, request_id: UUID | str) -> str:
    """The page of a request: ``{base_url}/requests/{id}``."""
    return f"{_base(base_url)}/requests/{request_id}"


def queue_page(base_url: str, tab: str = "mine") -> str:
    """The queue, on one of its tabs."""
    return f"{_base(base_url)}/queue?tab={tab}"


def hold_link(base_url: str, hold_id: UUID | str) -> str:
    """Where a legal hold is shown.

    The holds have no pages yet, so this is still the API's URL of the hold; when the holds
    pages exist, this becomes ``{base_url}/holds/{id}`` and every link follows.
    """
    return f"{_base(base_url)}/api/v1/holds/{hold_id}"


def calendar_feed(base_url: str, secret: str) -> str:
    """The secret URL of a person's calendar feed."""
    return f"{_base(base_url)}{CALENDAR_FEED_PATH}?token={secret}"


def page_path(link: str, base_url: str) -> str:
    """``link`` as a path on this site when it points here, else as it is ("" stays "").

    A path keeps working when the site is opened under another name than ``base_url``; a
    request link of the old shape (the API's URL) becomes the request's page.
    """
    base = _base(base_url)
    path = link[len(base) :] if base and link.startswith(base + "/") else link
    if not path.startswith("/"):
        return link
    old = _OLD_REQUEST_LINK.fullmatch(path)
    return f"/requests/{old.group(1)}" if old else path
