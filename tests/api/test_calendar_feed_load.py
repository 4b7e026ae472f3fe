"""The calendar feed under polling: ETag/Last-Modified revalidation (304), a limit per token (429).

Over HTTP through the ASGI app, with the app's fake clock moved between fetches.
"""

from __future__ import annotations

import hashlib
from email.utils import parsedate_to_datetime
from typing import Any

from domain.shared.model import Role
from tests.api.helpers import assert_problem, bearer
from tests.api.test_calendar_api import FEED, assign, feed_token, log_request, login
from tests.conftest import T0, FixedClock, make_user

IMS_BEFORE = "Sun, 01 Mar 2026 00:00:00 GMT"


async def _get(client: Any, token: str, **headers: str) -> Any:
    return await client.get(FEED, params={"token": token}, headers=headers)


async def test_an_unchanged_feed_costs_a_304_and_a_change_a_new_etag(
    client: Any, clock: FixedClock
) -> None:
    admin = await bearer(Role.ADMIN)
    me, other = await make_user(Role.SPECIALIST), await make_user(Role.SPECIALIST)
    mine = await log_request(client, admin)
    await assign(client, admin, mine, me)
    token = await feed_token(client, await login(client, me))
    clock.advance(minutes=5)

    first = await _get(client, token)
    assert first.status_code == 200, first.text
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag == f'"{hashlib.sha256(first.content).hexdigest()}"'  # strong: not W/
    assert parsedate_to_datetime(modified) == T0  # the request's last change
    clock.advance(minutes=10)
    assert (await _get(client, token)).content == first.content  # the same bytes later on

    for header in ({"If-None-Match": etag}, {"If-None-Match": f'"x", W/{etag}'}):
        same = await _get(client, token, **header)
        assert same.status_code == 304, header
        assert same.content == b""
        assert same.headers["etag"] == etag
        assert same.headers["last-modified"] == modified
    assert (await _get(client, token, **{"If-Modified-Since": modified})).status_code == 304
    assert (await _get(client, token, **{"If-Modified-Since": IMS_BEFORE})).status_code == 200
    assert (await _get(client, token, **{"If-Modified-Since": "yesterday"})).status_code == 200
    # If-None-Match decides when both are sent (RFC 9110 §13.2.2)
    stale = {"If-None-Match": '"0000"', "If-Modified-Since": modified}
    assert (await _get(client, token, **stale)).status_code == 200

    # the request leaves my feed: a new tag, a later date, and both old validators miss
    await assign(client, admin, mine, other)
    clock.advance(minutes=5)
    changed = await _get(client, token, **{"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert mine["id"] not in changed.text
    assert (await _get(client, token, **{"If-Modified-Since": modified})).status_code == 200


async def test_a_change_in_the_current_second_sends_no_date_to_compare(
    client: Any, clock: FixedClock
) -> None:
    me = await make_user(Role.SPECIALIST)
    mine = await log_request(client, await bearer(Role.ADMIN))
    await assign(client, await bearer(Role.ADMIN), mine, me)
    token = await feed_token(client, await login(client, me))
    answer = await _get(client, token)  # the clock has not moved since the change
    assert answer.status_code == 200
    assert "last-modified" not in answer.headers
    assert "etag" in answer.headers


async def test_a_token_fetched_too_often_gets_429_with_retry_after(
    client: Any, clock: FixedClock
) -> None:
    me, you = await make_user(Role.SPECIALIST), await make_user(Role.SPECIALIST)
    mine = await feed_token(client, await login(client, me))
    yours = await feed_token(client, await login(client, you))

    answers = [(await _get(client, mine)).status_code for _ in range(12)]
    assert answers == [200] * 12  # the default: 12 a minute
    refused = await _get(client, mine)
    body = assert_problem(refused, 429, "too-many-requests")
    assert refused.headers["retry-after"] == "5"  # one more every 60 / 12 seconds
    assert body["detail"] == "This calendar feed was fetched too often; try again in 5 seconds."
    assert (await _get(client, yours)).status_code == 200  # counted per token

    clock.advance(seconds=4)
    assert (await _get(client, mine)).headers["retry-after"] == "1"
    clock.advance(seconds=1)
    assert (await _get(client, mine)).status_code == 200
    assert (await _get(client, mine)).status_code == 429
    clock.advance(minutes=1)
    assert [(await _get(client, mine)).status_code for _ in range(12)] == [200] * 12


async def test_unknown_tokens_are_limited_before_any_lookup(client: Any) -> None:
    answers = [(await _get(client, "dcal_guess")).status_code for _ in range(13)]
    assert answers == [404] * 12 + [429]


async def test_a_released_hold_leaves_legals_feed_with_a_new_tag_and_date(
    client: Any, clock: FixedClock
) -> None:
    legal = await bearer(Role.LEGAL)
    created = await client.post(
        "/api/v1/holds",
        json={"matter": "MAT-9", "custodians": [{"email": "jo@example.com", "name": "Jo"}]},
        headers=legal,
    )
    assert created.status_code == 201, created.text
    actions = f"/api/v1/holds/{created.json()['id']}/actions"
    issued = await client.post(f"{actions}/issue", json={"expected_version": 1}, headers=legal)
    assert issued.status_code == 200, issued.text
    token = await feed_token(client, await login(client, await make_user(Role.LEGAL)))
    clock.advance(hours=1)
    first = await _get(client, token)
    assert "MAT-9" in first.text
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert (await _get(client, token, **{"If-None-Match": etag})).status_code == 304

    released = await client.post(f"{actions}/release", json={"expected_version": 2}, headers=legal)
    assert released.status_code == 200, released.text
    clock.advance(seconds=1)

    after = await _get(client, token, **{"If-None-Match": etag})
    assert after.status_code == 200
    assert "MAT-9" not in after.text
    assert parsedate_to_datetime(after.headers["last-modified"]) > parsedate_to_datetime(modified)
    assert (await _get(client, token, **{"If-Modified-Since": modified})).status_code == 200


async def test_a_change_that_the_feed_does_not_show_still_answers_304(
    client: Any, clock: FixedClock
) -> None:
    admin = await bearer(Role.ADMIN)
    me, other = await make_user(Role.SPECIALIST), await make_user(Role.SPECIALIST)
    await assign(client, admin, await log_request(client, admin), me)
    token = await feed_token(client, await login(client, me))
    clock.advance(minutes=5)
    etag = (await _get(client, token)).headers["etag"]

    await assign(client, admin, await log_request(client, admin), other)  # not in my feed
    clock.advance(minutes=5)

    again = await _get(client, token, **{"If-None-Match": etag})
    assert again.status_code == 304  # rebuilt (the data moved), the same bytes, the same tag
    assert again.headers["etag"] == etag
