"""The calendar feed over HTTP: token create/rotate/revoke, and the feed parsed back (RFC 5545)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from icalendar import Calendar

from audit import store
from domain.identity.model import User
from domain.shared.model import Role
from tests.api.helpers import assert_problem, bearer
from tests.api.test_requests_api import new_authority, request_body
from tests.conftest import PASSWORD, T0, make_user

FEED = "/api/v1/calendar.ics"
TOKEN = "/api/v1/me/calendar-token"


async def login(client: Any, user: User) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def log_request(client: Any, headers: dict[str, str], **overrides: object) -> dict[str, Any]:
    authority = await new_authority(client, headers)
    response = await client.post(
        "/api/v1/requests", json=request_body(authority, **overrides), headers=headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def assign(client: Any, headers: dict[str, str], request: dict[str, Any], user: User) -> None:
    response = await client.post(
        f"/api/v1/requests/{request['id']}/assign",
        json={"expected_version": request["version"], "assignee": str(user.id)},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    request["version"] = response.json()["version"]


async def feed_token(client: Any, headers: dict[str, str]) -> str:
    response = await client.post(TOKEN, headers=headers)
    assert response.status_code == 201, response.text
    url = response.json()["feed_url"]
    assert url.startswith("http://docket.test/api/v1/calendar.ics?token=dcal_")
    assert response.json()["prefix"] == parse_qs(urlsplit(url).query)["token"][0][:11]
    return str(parse_qs(urlsplit(url).query)["token"][0])


async def fetch(client: Any, token: str) -> Calendar:
    response = await client.get(FEED, params={"token": token})  # no Authorization header
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    return calendar


def events(calendar: Calendar) -> dict[str, Any]:
    found = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    for event in found.values():
        assert event["DTSTAMP"].dt == T0
        assert event["DTSTAMP"].dt.tzinfo is not None
    return found


async def test_the_feed_shows_my_open_deadlines_and_nobody_elses(client: Any) -> None:
    admin = await bearer(Role.ADMIN)
    me, other = await make_user(Role.SPECIALIST), await make_user(Role.SPECIALIST)
    mine = await log_request(client, admin)  # GB rights request: due 2026-04-01 (all day)
    await assign(client, admin, mine, me)
    theirs = await log_request(client, admin)
    await assign(client, admin, theirs, other)
    withdrawn = await log_request(client, admin)
    await assign(client, admin, withdrawn, me)
    gone = await client.post(
        f"/api/v1/requests/{withdrawn['id']}/actions/withdraw",
        json={"expected_version": withdrawn["version"]},
        headers=admin,
    )
    assert gone.status_code == 200, gone.text
    breach = await log_request(  # 24 hours from receipt: a timed deadline
        client, admin, rule="AU/osa.removal-notice", received_at="2026-03-01T10:15:00Z"
    )
    await assign(client, admin, breach, me)

    token = await feed_token(client, await login(client, me))
    calendar = await fetch(client, token)
    found = events(calendar)
    assert set(found) == {
        f"request-{mine['id']}-due@docket.test",
        f"request-{mine['id']}-extension-notice@docket.test",
        f"request-{breach['id']}-due@docket.test",
    }
    notice = found[f"request-{mine['id']}-extension-notice@docket.test"]
    assert str(notice["SUMMARY"]) == f"Extension notice due: {mine['reference']}"
    due = found[f"request-{mine['id']}-due@docket.test"]
    assert str(due["SUMMARY"]) == f"Due: {mine['reference']}"
    assert due["DTSTART"].dt == date(2026, 4, 1)  # all-day: VALUE=DATE, no time, no zone
    assert due["DTEND"].dt == date(2026, 4, 2)
    assert b"DTSTART;VALUE=DATE:20260401" in calendar.to_ical()
    assert str(due["URL"]) == f"http://docket.test/requests/{mine['id']}"
    assert "Subscriber data" not in calendar.to_ical().decode()  # no summaries leave Docket
    alarm = due.walk("VALARM")[0]
    assert alarm["TRIGGER"].dt == timedelta(days=-1)

    timed = found[f"request-{breach['id']}-due@docket.test"]
    assert breach["due_at"] == "2026-03-02T10:15:00Z"
    assert timed["DTSTART"].dt == datetime(2026, 3, 2, 10, 15, tzinfo=UTC)
    assert timed["DTSTART"].to_ical() == b"20260302T101500Z"

    again = events(await fetch(client, token))
    assert set(again) == set(found)  # stable UIDs


async def test_legal_sees_hold_review_dates_and_specialists_do_not(client: Any) -> None:
    legal_token, admin = await bearer(Role.LEGAL), await bearer(Role.ADMIN)
    preservation = await log_request(
        client,
        admin,
        rule="US/sca-2703f.preservation",
        kind="preservation",
        instrument="preservation_request",
        received_at="2026-03-02T09:30:00+00:00",
    )
    hold = await client.post(
        "/api/v1/holds",
        json={
            "matter": "MAT-2026-017",
            "custodians": [{"email": "jane.roe@example.com", "name": "Jane Roe"}],
            "preservation_request_id": preservation["id"],
        },
        headers=legal_token,
    )
    assert hold.status_code == 201, hold.text
    hold_id = hold.json()["id"]
    issued = await client.post(
        f"/api/v1/holds/{hold_id}/actions/issue", json={"expected_version": 1}, headers=legal_token
    )
    assert issued.status_code == 200, issued.text

    lawyer = await make_user(Role.LEGAL)
    found = events(await fetch(client, await feed_token(client, await login(client, lawyer))))
    reaffirm = found[f"hold-{hold_id}-reaffirmation@docket.test"]
    assert reaffirm["DTSTART"].dt == T0.date() + timedelta(days=90)
    assert reaffirm["RRULE"]["FREQ"] == ["DAILY"]
    assert reaffirm["RRULE"]["INTERVAL"] == [90]
    expiry = found[f"hold-{hold_id}-preservation-expiry@docket.test"]
    assert str(expiry["SUMMARY"]) == "Preservation ends: MAT-2026-017"
    assert expiry["DTSTART"].dt == date.fromisoformat(preservation["due_date"])

    specialist = await make_user(Role.SPECIALIST)
    plain = events(await fetch(client, await feed_token(client, await login(client, specialist))))
    assert not any(uid.startswith("hold-") for uid in plain)


async def test_a_rotated_or_revoked_token_is_a_404_and_each_change_is_audited(
    client: Any,
) -> None:
    me = await make_user(Role.SPECIALIST)
    headers = await login(client, me)
    first = await feed_token(client, headers)
    second = await feed_token(client, headers)  # rotation: the first one stops working
    assert_problem(await client.get(FEED, params={"token": first}), 404, "not-found")
    await fetch(client, second)

    revoked = await client.delete(TOKEN, headers=headers)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["revoked_at"] is not None
    gone = await client.get(FEED, params={"token": second})
    body = assert_problem(gone, 404, "not-found")
    assert second not in gone.text
    assert "Traceback" not in str(body)
    assert_problem(await client.delete(TOKEN, headers=headers), 404, "not-found")

    created_id = revoked.json()["id"]
    entries = await store.entries(subject=("calendar_feed_token", created_id))
    assert [e.action for e in entries] == ["calendar_token.created", "calendar_token.revoked"]


async def test_unknown_tokens_and_callers_without_a_user_are_refused(client: Any) -> None:
    assert_problem(await client.get(FEED, params={"token": "dcal_nope"}), 404, "not-found")
    assert_problem(await client.get(FEED, params={"token": "x" * 40}), 404, "not-found")
    missing = await client.get(FEED)
    assert missing.status_code == 400
    api_token = await client.post(TOKEN, headers=await bearer(Role.ADMIN))
    assert_problem(api_token, 422, "invalid-field")
    system = await client.post(TOKEN, headers=await bearer(Role.SYSTEM))
    assert_problem(system, 403, "permission-denied")
    assert_problem(await client.post(TOKEN), 401, "missing-credentials")


async def test_an_extended_request_shows_both_deadlines(client: Any) -> None:
    admin = await bearer(Role.ADMIN)
    me = await make_user(Role.SPECIALIST)
    request = await log_request(client, admin)
    await assign(client, admin, request, me)
    extension = {
        "expected_version": request["version"],
        "reason": "complex",
        "notified_on": "2026-03-02",
    }
    extended = await client.post(
        f"/api/v1/requests/{request['id']}/extension", json=extension, headers=admin
    )
    assert extended.status_code == 200, extended.text
    new_date = extended.json()["extended_due_date"]

    found = events(await fetch(client, await feed_token(client, await login(client, me))))
    base = f"request-{request['id']}"
    assert set(found) == {f"{base}-due@docket.test", f"{base}-extended-due@docket.test"}
    assert str(found[f"{base}-due@docket.test"]["SUMMARY"]).endswith("(original deadline)")
    original = found[f"{base}-due@docket.test"]["DTSTART"].dt
    assert original == date.fromisoformat(str(request["due_date"]))  # the statutory day
    later = found[f"{base}-extended-due@docket.test"]
    assert later["DTSTART"].dt == date.fromisoformat(new_date)
