"""The inbox endpoints (own messages only, unread filter, cursor pages, mark read) and a
request's own reminder offsets."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta

from litestar.testing import AsyncTestClient

from api.app import create_app
from api.settings import Settings
from audit import store
from domain import deadlines
from domain.identity.model import User
from domain.shared.model import Role
from tests.api.helpers import assert_problem, bearer
from tests.conftest import PASSWORD, T0, FixedClock
from tests.scheduler.sweep_support import cast, given_request, sweep_at

INBOX = "/api/v1/inbox"


async def _headers(client, user: User) -> dict[str, str]:
    answer = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def _three_reminders(rulebook: deadlines.RuleBook, user: User) -> None:
    reg = await given_request(rulebook, assignee=user)
    assert reg.due_at is not None
    await sweep_at(T0, rulebook)
    for days in (7, 3, 1):
        await sweep_at(reg.due_at - timedelta(days=days, hours=-1), rulebook)


async def test_a_user_reads_their_inbox_page_by_page_and_marks_a_message_read(
    client, rulebook: deadlines.RuleBook
) -> None:
    people = await cast()
    await _three_reminders(rulebook, people.assignee)
    headers = await _headers(client, people.assignee)
    first = await client.get(INBOX, params={"limit": 2}, headers=headers)
    assert first.status_code == 200, first.text
    body = first.json()
    assert len(body["items"]) == 2
    assert body["next_cursor"]
    rest = await client.get(INBOX, params={"cursor": body["next_cursor"]}, headers=headers)
    items = body["items"] + rest.json()["items"]
    assert rest.json()["next_cursor"] is None
    reminders = [m for m in items if m["kind"] == "request.reminder"]
    assert len(reminders) == 3
    assert all(m["link"].startswith("http://docket.test/requests/") for m in reminders)
    assert [m["created_at"] for m in items] == sorted(
        (m["created_at"] for m in items), reverse=True
    )

    target = reminders[0]["id"]
    read = await client.post(f"{INBOX}/{target}/read", headers=headers)
    assert read.status_code == 200, read.text
    assert read.json()["read_at"] is not None
    again = await client.post(f"{INBOX}/{target}/read", headers=headers)
    assert again.json()["read_at"] == read.json()["read_at"]
    unread = await client.get(INBOX, params={"unread": "true"}, headers=headers)
    assert target not in [m["id"] for m in unread.json()["items"]]
    assert len(unread.json()["items"]) == len(items) - 1
    trail = await store.entries(subject=("inbox_message", target))
    assert [e.action for e in trail] == ["inbox_message.read"]  # once, not on the re-read


async def test_nobody_reads_or_marks_another_users_messages(client, rulebook) -> None:
    people = await cast()
    await _three_reminders(rulebook, people.assignee)
    mine = (await client.get(INBOX, headers=await _headers(client, people.assignee))).json()
    theirs = await _headers(client, people.lawyer)
    assert (await client.get(INBOX, headers=theirs)).json()["items"] == []
    target = mine["items"][0]["id"]
    assert_problem(await client.post(f"{INBOX}/{target}/read", headers=theirs), 404, "not-found")


async def test_an_api_token_has_an_empty_inbox_and_a_bad_cursor_is_a_problem(client) -> None:
    headers = await bearer(Role.SPECIALIST)
    answer = await client.get(INBOX, headers=headers)
    assert answer.json() == {"items": [], "next_cursor": None}
    user = (await cast()).assignee
    bad = await client.get(INBOX, params={"cursor": "nope"}, headers=await _headers(client, user))
    assert_problem(bad, 422, "invalid-field")
    assert_problem(await client.get(INBOX), 401, "missing-credentials")


async def test_a_request_gets_its_own_reminder_offsets(client, rulebook) -> None:
    people = await cast()
    reg = await given_request(rulebook, assignee=people.assignee)
    path = f"/api/v1/requests/{reg.id}/reminders"
    headers = await bearer(Role.SPECIALIST)
    before = await client.get(path, headers=headers)
    assert before.json() == {
        "request_id": str(reg.id),
        "offsets": ["7d", "3d", "1d"],
        "source": "rule",
    }
    put = await client.put(path, json={"offsets": ["4h", "7d", "1d", "4h"]}, headers=headers)
    assert put.status_code == 200, put.text
    assert put.json() == {
        "request_id": str(reg.id),
        "offsets": ["7d", "1d", "4h"],
        "source": "request",
    }
    assert (await client.get(path, headers=headers)).json()["source"] == "request"
    trail = [e.action for e in await store.entries(subject=("request", str(reg.id)))]
    assert trail[-1] == "request.reminders_set"
    assert (await client.put(path, json={"offsets": ["7y"]}, headers=headers)).status_code == 400
    assert_problem(
        await client.put(path, json={"offsets": ["0d"]}, headers=headers), 422, "invalid-field"
    )
    auditor = await bearer(Role.AUDITOR)
    assert_problem(
        await client.put(path, json={"offsets": []}, headers=auditor), 403, "permission-denied"
    )


async def test_the_api_process_runs_the_sweep_on_its_interval(
    settings: Settings, clock: FixedClock, rulebook: deadlines.RuleBook, db: str
) -> None:
    people = await cast()
    reg = await given_request(rulebook, assignee=people.assignee)
    assert reg.due_at is not None
    clock.current = reg.due_at + timedelta(minutes=1)
    every_second = dataclasses.replace(settings.reminders, sweep_interval=1)
    app = create_app(
        dataclasses.replace(settings, reminders=every_second),
        clock=clock,
        pool=False,
        rulebook=rulebook,
    )
    kinds: list[str] = []
    async with AsyncTestClient(app=app) as client:
        headers = await _headers(client, people.assignee)
        for _ in range(150):  # the job runs every second; wait for it (up to ~30 s)
            kinds = [m["kind"] for m in (await client.get(INBOX, headers=headers)).json()["items"]]
            if "request.due" in kinds:
                break
            await asyncio.sleep(0.2)
        await asyncio.sleep(2.5)  # two more sweeps: they must not send it again
        kinds = [m["kind"] for m in (await client.get(INBOX, headers=headers)).json()["items"]]
    assert kinds.count("request.due") == 1
