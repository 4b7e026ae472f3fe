"""The inbox page over HTTP: unread first, links to pages, times in the reader's zone, mark read
(a plain form and htmx), mark all read, paging both ways, strict parameters."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

import pytest

from api.web import inbox as inbox_page
from audit import store
from domain.identity import sessions
from domain.identity.model import User
from domain.notifications import inbox
from domain.notifications.model import DeliveryKey
from domain.shared.model import Role
from tests.conftest import T0, make_user
from tests.web.helpers import csrf_of, signed_in

pytestmark = pytest.mark.usefixtures("db")
ROWS = re.compile(
    r'<th scope="row"[^>]*>\s*<span class="message-state[^"]*">.*?(?:Unread|Read)</span>\s*'
    r'(?:<a href="([^"]*)">)?([^<]+)'
)
IDS = re.compile(r'<tr id="message-([0-9a-f-]+)"')


async def deliver(
    user: User, subject: str, *, at: datetime, link: str = "", kind: str = "request.reminder"
) -> uuid.UUID:
    key = DeliveryKey(
        subject=f"request:{uuid.uuid4()}",
        kind=kind,
        due_at=at,
        recipient=user.email,
        channel="inbox",
    )
    text = f"{subject}.\n\nOpen in Docket: {link}"
    assert await inbox.deliver(
        user_id=user.id, key=key, kind=kind, subject=subject, text=text, link=link, now=at
    )
    page = await inbox.list_inbox(actor=user.as_actor(), limit=200)
    return next(m.id for m in page.items if m.subject == subject)


def shown(html: str) -> list[str]:
    """The subjects of the message rows, in order."""
    return [subject.strip() for _, subject in ROWS.findall(html)]


def links_of(html: str) -> dict[str, str]:
    return {subject.strip(): href for href, subject in ROWS.findall(html)}


def header_count(html: str) -> str:
    found = re.search(r'<span id="unread-count"[^>]*>(.*?)</span></a>', html, re.S)
    assert found is not None, html[:2000]
    return re.sub(r"<[^>]+>", " ", found.group(1)).strip()


async def test_unread_messages_come_first_newest_first_each_linking_to_its_page(client) -> None:
    me = await signed_in(client, Role.SPECIALIST)
    rid = uuid.uuid4()
    await deliver(
        me, "Old, read", at=T0 - timedelta(days=1), link=f"http://docket.test/requests/{rid}"
    )
    await inbox.mark_read(
        (await inbox.list_inbox(actor=me.as_actor())).items[0].id, actor=me.as_actor(), now=T0
    )
    await deliver(
        me, "Oldest unread", at=T0 - timedelta(days=3), link="javascript:x", kind="alert.spike"
    )
    old_link = f"http://docket.test/api/v1/requests/{rid}"  # delivered before the pages existed
    await deliver(me, "Old API link", at=T0 - timedelta(days=2), link=old_link)
    await deliver(me, "Elsewhere", at=T0 - timedelta(hours=5), link="https://example.org/x")

    page = await client.get("/inbox")

    assert page.status_code == 200, page.text
    assert shown(page.text) == ["Elsewhere", "Old API link", "Oldest unread", "Old, read"]
    assert links_of(page.text) == {
        "Elsewhere": "https://example.org/x",
        "Old API link": f"/requests/{rid}",
        "Oldest unread": "",
        "Old, read": f"/requests/{rid}",
    }
    assert page.text.count(">Unread</span>") == 3
    assert page.text.count(">Read</span>") == 1
    assert "Spike alert" in page.text
    assert '<time datetime="2026-03-02T04:30+00:00">2 Mar 2026, 04:30 UTC</time>' in page.text
    assert "5 hours ago" in page.text
    assert "3 unread messages." in page.text
    assert header_count(page.text) == "3  3 unread"


async def test_times_are_shown_in_the_readers_own_zone(client) -> None:
    me = await signed_in(client, Role.LEGAL)
    await deliver(me, "Due soon", at=T0)
    await sessions.set_time_zone("Asia/Tokyo", actor=me.as_actor(), now=T0)
    page = await client.get("/inbox")
    assert '<time datetime="2026-03-02T18:30+09:00">2 Mar 2026, 18:30 JST</time>' in page.text
    assert "Times are shown in Asia/Tokyo" in page.text


async def test_an_empty_inbox_says_what_arrives_there(client) -> None:
    await signed_in(client, Role.AUDITOR)
    page = await client.get("/inbox")
    assert page.status_code == 200
    assert "Your inbox is empty" in page.text
    assert "Mark all read" not in page.text
    assert header_count(page.text) == ""


async def test_marking_read_without_javascript_goes_back_and_lowers_the_header_count(
    client,
) -> None:
    me = await signed_in(client, Role.SPECIALIST)
    first = await deliver(me, "First", at=T0 - timedelta(hours=2))
    await deliver(me, "Second", at=T0 - timedelta(hours=1))
    page = await client.get("/inbox")
    assert header_count(page.text) == "2  2 unread"

    answer = await client.post(
        f"/inbox/{first}/read", data={"_csrf_token": csrf_of(page), "back": "/inbox"}
    )

    assert answer.status_code == 303
    assert answer.headers["location"] == "/inbox?done=read"
    after = await client.get(answer.headers["location"])
    assert header_count(after.text) == "1  1 unread"
    assert "Marked the message read." in after.text
    assert shown(after.text) == ["Second", "First"]
    trail = await store.entries(subject=("inbox_message", str(first)))
    assert [e.action for e in trail] == ["inbox_message.read"]


@pytest.mark.parametrize(
    ("back", "location"),
    [
        ("/inbox?after=u.abc&done=all-3", "/inbox?after=u.abc&done=read"),
        ("https://evil.example/inbox", "/inbox?done=read"),
        ("/queue", "/inbox?done=read"),
        ("/inbox?x\r\nSet-Cookie: a=b", "/inbox?done=read"),
    ],
    ids=["same-page", "elsewhere", "another-page", "header-injection"],
)
async def test_a_mark_read_form_goes_back_only_to_the_inbox(client, back, location) -> None:
    me = await signed_in(client, Role.SPECIALIST)
    message = await deliver(me, "First", at=T0)
    page = await client.get("/inbox")
    answer = await client.post(
        f"/inbox/{message}/read", data={"_csrf_token": csrf_of(page), "back": back}
    )
    assert answer.headers["location"] == location


async def test_marking_read_through_htmx_answers_the_row_and_the_counts_out_of_band(
    client,
) -> None:
    me = await signed_in(client, Role.SPECIALIST)
    rid = uuid.uuid4()
    message = await deliver(me, "Reminder: REQ-1", at=T0, link=f"http://docket.test/requests/{rid}")
    await deliver(me, "Another", at=T0 - timedelta(hours=1))
    page = await client.get("/inbox")
    token = re.search(r'"x-csrftoken": "([^"]+)"', page.text)
    assert token is not None  # the token htmx sends from <body hx-headers>

    answer = await client.post(
        f"/inbox/{message}/read",
        data={"back": "/inbox"},
        headers={"hx-request": "true", "x-csrftoken": token.group(1)},
    )

    assert answer.status_code == 200, answer.text
    assert answer.text.lstrip().startswith(f'<tr id="message-{message}" class="message-read">')
    assert f'<a href="/requests/{rid}">Reminder: REQ-1</a>' in answer.text
    assert "Mark read" not in answer.text
    assert "autofocus" in answer.text  # keyboard focus stays on the row, not lost to <body>
    assert '<span id="unread-count" hx-swap-oob="innerHTML">' in answer.text
    assert "1 unread" in answer.text
    assert '<span id="inbox-unread" hx-swap-oob="innerHTML">1 unread message.' in answer.text
    assert (
        '<p id="inbox-status" hx-swap-oob="innerHTML">Marked read: Reminder: REQ-1' in answer.text
    )
    assert header_count((await client.get("/inbox")).text) == "1  1 unread"


async def test_a_post_without_the_csrf_token_is_refused(client) -> None:
    me = await signed_in(client, Role.SPECIALIST)
    message = await deliver(me, "Reminder", at=T0)
    answer = await client.post(f"/inbox/{message}/read", headers={"hx-request": "true"})
    assert answer.status_code == 403
    assert (await inbox.list_inbox(actor=me.as_actor(), unread=True)).items


async def test_nobody_marks_another_users_message_read(client) -> None:
    other = await make_user(Role.SPECIALIST, "other@docket.example")
    theirs = await deliver(other, "Not yours", at=T0)
    await signed_in(client, Role.SPECIALIST)
    page = await client.get("/inbox")
    answer = await client.post(f"/inbox/{theirs}/read", data={"_csrf_token": csrf_of(page)})
    assert answer.status_code == 404
    assert "text/html" in answer.headers["content-type"]
    assert (await inbox.list_inbox(actor=other.as_actor(), unread=True)).items


async def test_mark_all_read_leaves_what_arrived_after_the_page_was_shown(client, clock) -> None:
    me = await signed_in(client, Role.SPECIALIST)
    seen = [await deliver(me, f"Seen {n}", at=T0 - timedelta(hours=n)) for n in (1, 2)]
    page = await client.get("/inbox")
    assert 'name="up_to" value="2026-03-02T09:30:00+00:00"' in page.text
    clock.advance(minutes=5)
    await deliver(me, "Came later", at=T0 + timedelta(minutes=2))

    answer = await client.post(
        "/inbox/read-all",
        data={"_csrf_token": csrf_of(page), "up_to": T0.isoformat()},
    )

    assert answer.status_code == 303
    after = await client.get(answer.headers["location"])
    assert "Marked 2 messages read." in after.text
    assert shown(after.text)[0] == "Came later"
    assert header_count(after.text) == "1  1 unread"
    for message in seen:
        trail = await store.entries(subject=("inbox_message", str(message)))
        assert [e.action for e in trail] == ["inbox_message.read"]
    again = await client.post(
        "/inbox/read-all", data={"_csrf_token": csrf_of(page), "up_to": "not a time"}
    )
    assert "Marked 1 message read." in (await client.get(again.headers["location"])).text
    assert header_count((await client.get("/inbox")).text) == ""


async def test_the_inbox_pages_forward_and_back_across_read_and_unread(client, monkeypatch) -> None:
    monkeypatch.setattr(inbox_page, "PAGE_SIZE", 2)
    me = await signed_in(client, Role.SPECIALIST)
    ids = [await deliver(me, f"M{n}", at=T0 - timedelta(hours=n)) for n in range(5)]
    for read in (ids[0], ids[3]):
        await inbox.mark_read(read, actor=me.as_actor(), now=T0)
    order = ["M1", "M2", "M4", "M0", "M3"]

    first = await client.get("/inbox")
    assert shown(first.text) == order[:2]
    assert 'rel="prev"' not in first.text
    second = await client.get(_href(first.text, "next"))
    assert shown(second.text) == order[2:4]
    third = await client.get(_href(second.text, "next"))
    assert shown(third.text) == order[4:]
    assert 'rel="next"' not in third.text
    back = await client.get(_href(third.text, "prev"))
    assert shown(back.text) == order[2:4]
    start = await client.get(_href(back.text, "prev"))
    assert shown(start.text) == order[:2]
    assert 'rel="prev"' not in start.text


def _href(html: str, rel: str) -> str:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', html)
    assert found is not None, html
    return found.group(1).replace("&amp;", "&")


async def test_an_unknown_parameter_or_a_cursor_not_handed_out_is_reported(client) -> None:
    await signed_in(client, Role.SPECIALIST)
    unknown = await client.get("/inbox?unred=true")
    assert unknown.status_code == 422
    assert "&#39;unred&#39; is not a parameter of the inbox" in unknown.text
    bad = await client.get("/inbox?after=u.garbage")
    assert bad.status_code == 422
    assert "not a cursor this list handed out" in bad.text
    assert '<a href="/inbox">Open the first page of the inbox</a>' in bad.text
