"""The account page over HTTP: who you are, the time zone pages use, the calendar feed link
(shown once, revocable), signing out."""

from __future__ import annotations

import re

import pytest

from audit import store
from domain.identity import repo as identity_repo
from domain.shared.model import Role
from tests.web.helpers import csrf_of, signed_in

pytestmark = pytest.mark.usefixtures("db")
FEED_URL = re.compile(r'id="feed-url" type="text" readonly value="([^"]+)"')


async def test_the_account_page_shows_name_email_role_and_the_zone_choices(client) -> None:
    me = await signed_in(client, Role.LEGAL)
    page = await client.get("/account")
    assert page.status_code == 200, page.text
    assert me.display_name in page.text
    assert me.email in page.text
    assert "<dd>Legal</dd>" in page.text
    first = re.search(
        r'<select id="field-time_zone"[^>]*>\s*<option([^>]*)>([^<]+)</option>', page.text
    )
    assert first is not None
    assert first.groups() == (' value="" selected', "Organisation default (UTC)")
    assert "<option>Europe/Berlin</option>" in page.text
    assert '<optgroup label="Europe">' in page.text
    assert 'aria-current="page">' + me.display_name in page.text


async def test_choosing_a_time_zone_is_audited_once_and_the_pages_use_it(client) -> None:
    me = await signed_in(client, Role.SPECIALIST)
    page = await client.get("/account")

    answer = await client.post(
        "/account/time-zone",
        data={"_csrf_token": csrf_of(page), "time_zone": "America/New_York"},
    )

    assert answer.status_code == 303
    assert answer.headers["location"] == "/account?done=time-zone"
    saved = await client.get(answer.headers["location"])
    assert "Saved. Times are now shown in America/New_York." in saved.text
    assert "<option selected>America/New_York</option>" in saved.text
    assert "It is now 2 Mar 2026, 04:30 EST." in saved.text
    queue = await client.get("/queue")
    assert "Times are shown in America/New_York" in queue.text
    # the same zone again changes nothing and records nothing
    await client.post(
        "/account/time-zone",
        data={"_csrf_token": csrf_of(page), "time_zone": "America/New_York"},
    )
    trail = await store.entries(subject=("user", str(me.id)))
    changes = [e for e in trail if e.action == "user.preferences_updated"]
    assert len(changes) == 1
    assert (await identity_repo.get_user(me.id)).time_zone == "America/New_York"
    # back to the organisation's zone
    await client.post("/account/time-zone", data={"_csrf_token": csrf_of(page), "time_zone": ""})
    assert "Times are shown in UTC" in (await client.get("/queue")).text


async def test_an_unknown_zone_is_reported_next_to_the_field(client) -> None:
    me = await signed_in(client, Role.SPECIALIST)
    page = await client.get("/account")
    answer = await client.post(
        "/account/time-zone", data={"_csrf_token": csrf_of(page), "time_zone": "Mars/Olympus"}
    )
    assert answer.status_code == 422
    assert '<a href="#field-time_zone">&#39;Mars/Olympus&#39; is not an IANA time zone</a>' in (
        answer.text
    )
    assert 'aria-invalid="true" aria-describedby="error-time_zone"' in answer.text
    assert '<small id="error-time_zone" class="field-error">' in answer.text
    assert (await identity_repo.get_user(me.id)).time_zone == ""


async def test_choosing_a_language_is_audited_once_and_shown_as_chosen(client) -> None:
    me = await signed_in(client, Role.SPECIALIST)
    page = await client.get("/account")
    assert '<option value="" selected>Organisation default (English)</option>' in page.text
    assert '<option value="pt_BR" lang="pt-BR">português (Brasil)</option>' in page.text
    assert '<option value="ja" lang="ja">日本語</option>' in page.text

    answer = await client.post(
        "/account/locale", data={"_csrf_token": csrf_of(page), "locale": "pt_BR"}
    )

    assert answer.status_code == 303
    assert answer.headers["location"] == "/account?done=locale"
    saved = await client.get(answer.headers["location"])
    assert "Saved. Mail and inbox messages now reach you in the language" in saved.text
    assert '<option value="pt_BR" lang="pt-BR" selected>' in saved.text
    await client.post("/account/locale", data={"_csrf_token": csrf_of(page), "locale": "pt_BR"})
    trail = await store.entries(subject=("user", str(me.id)))
    changes = [e for e in trail if e.action == "user.preferences_updated"]
    assert len(changes) == 1
    assert (await identity_repo.get_user(me.id)).locale == "pt_BR"


async def test_a_language_without_texts_is_reported_next_to_the_field_and_nothing_changes(
    client,
) -> None:
    me = await signed_in(client, Role.SPECIALIST)
    page = await client.get("/account")
    answer = await client.post(
        "/account/locale", data={"_csrf_token": csrf_of(page), "locale": "tlh"}
    )
    assert answer.status_code == 422
    assert '<a href="#field-locale">Docket has no texts in &#39;tlh&#39;' in answer.text
    assert 'aria-invalid="true" aria-describedby="error-locale"' in answer.text
    assert '<small id="error-locale" class="field-error">' in answer.text
    forged = await client.post("/account/locale", data={"locale": "de"})
    assert forged.status_code == 403
    assert (await identity_repo.get_user(me.id)).locale == ""


async def test_the_calendar_link_is_shown_once_then_only_its_prefix_and_can_be_revoked(
    client,
) -> None:
    await signed_in(client, Role.SPECIALIST)
    page = await client.get("/account")
    assert "You have no calendar link." in page.text
    assert "Revoke the calendar link" not in page.text

    created = await client.post("/account/calendar", data={"_csrf_token": csrf_of(page)})

    assert created.status_code == 200, created.text
    assert created.headers["cache-control"] == "no-store"
    url = FEED_URL.search(created.text)
    assert url is not None
    assert url.group(1).startswith("http://docket.test/api/v1/calendar.ics?token=dcal_")
    feed = await client.get(url.group(1).removeprefix("http://docket.test"))
    assert feed.status_code == 200
    assert feed.text.startswith("BEGIN:VCALENDAR")
    later = await client.get("/account")
    secret = url.group(1).split("token=")[1]
    assert secret not in later.text
    assert f"it begins {secret[:11]}…" in later.text

    revoked = await client.post("/account/calendar/revoke", data={"_csrf_token": csrf_of(later)})

    assert revoked.headers["location"] == "/account?done=calendar-revoked"
    assert "The calendar link is revoked" in (await client.get(revoked.headers["location"])).text
    assert (await client.get(url.group(1).removeprefix("http://docket.test"))).status_code == 404
    again = await client.post("/account/calendar/revoke", data={"_csrf_token": csrf_of(later)})
    assert again.headers["location"] == "/account?done=calendar-none"


async def test_a_new_calendar_link_replaces_the_old_one(client) -> None:
    await signed_in(client, Role.LEGAL)
    page = await client.get("/account")
    first = FEED_URL.search(
        (await client.post("/account/calendar", data={"_csrf_token": csrf_of(page)})).text
    )
    second = FEED_URL.search(
        (await client.post("/account/calendar", data={"_csrf_token": csrf_of(page)})).text
    )
    assert first is not None
    assert second is not None
    assert (await client.get(first.group(1))).status_code == 404
    assert (await client.get(second.group(1))).status_code == 200


async def test_the_account_page_signs_out_this_browser(client) -> None:
    await signed_in(client, Role.AUDITOR)
    page = await client.get("/account")
    assert "You are signed in on this browser until 2 Mar 2026, 21:30 UTC." in page.text
    out = await client.post("/sign-out", data={"_csrf_token": csrf_of(page)})
    assert out.status_code == 303
    assert (await client.get("/account")).headers["location"] == "/sign-in?next=%2Faccount"
