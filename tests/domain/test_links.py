"""The URLs handed out to people: pages, not API URLs (the holds' until they have pages)."""

from __future__ import annotations

import uuid

import pytest

from domain.shared import links

RID = uuid.UUID("3f2b8c1e-9a4d-4e2f-8b7a-1c2d3e4f5a6b")


@pytest.mark.parametrize("base", ["https://docket.example", "https://docket.example/"])
def test_a_request_link_is_its_page(base: str) -> None:
    assert links.request_page(base, RID) == f"https://docket.example/requests/{RID}"
    assert links.queue_page(base) == "https://docket.example/queue?tab=mine"
    assert links.calendar_feed(base, "dcal_x") == (
        "https://docket.example/api/v1/calendar.ics?token=dcal_x"
    )
    assert links.hold_link(base, RID) == f"https://docket.example/api/v1/holds/{RID}"


@pytest.mark.parametrize(
    ("link", "path"),
    [
        (f"https://docket.example/requests/{RID}", f"/requests/{RID}"),
        (f"https://docket.example/api/v1/requests/{RID}", f"/requests/{RID}"),  # the old shape
        (f"/api/v1/requests/{RID}", f"/requests/{RID}"),
        ("https://docket.example/ack/abc.def", "/ack/abc.def"),
        (
            f"https://docket.example/api/v1/requests/{RID}/reminders",
            f"/api/v1/requests/{RID}/reminders",
        ),
        ("https://elsewhere.example/requests/1", "https://elsewhere.example/requests/1"),
        ("https://docket.example.evil/requests/1", "https://docket.example.evil/requests/1"),
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("", ""),
    ],
    ids=[
        "page",
        "old-api",
        "old-api-path",
        "ack",
        "other-api",
        "elsewhere",
        "lookalike",
        "js",
        "none",
    ],
)
def test_a_link_on_this_site_becomes_a_path(link: str, path: str) -> None:
    assert links.page_path(link, "https://docket.example") == path
