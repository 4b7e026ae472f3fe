"""What "open in Docket" leads to: the request's page in reminders (mail, inbox, webhook
context), the queue in the daily digest; never the JSON API, which answers a browser with 401."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain import deadlines
from domain.notifications import inbox
from scheduler import sweep_plan
from tests.conftest import T0
from tests.scheduler.sweep_support import POLICY, cast, given_request, sweep_at

pytestmark = pytest.mark.usefixtures("db")


async def test_a_reminder_links_to_the_page_of_its_request(rulebook: deadlines.RuleBook) -> None:
    people = await cast()
    reg = await given_request(rulebook, assignee=people.assignee)
    assert reg.due_at is not None
    await sweep_at(T0, rulebook)
    await sweep_at(reg.due_at - timedelta(days=3, hours=-1), rulebook)

    found = (await inbox.list_inbox(actor=people.assignee.as_actor())).items
    messages = [m for m in found if m.kind == "request.reminder"]

    assert len(messages) == 1
    assert messages[0].link == f"http://docket.test/requests/{reg.id}"
    assert f"http://docket.test/requests/{reg.id}" in messages[0].text
    assert "/api/" not in messages[0].text


async def test_the_digest_links_to_the_queue_and_each_item_to_its_request(
    rulebook: deadlines.RuleBook,
) -> None:
    people = await cast()
    reg = await given_request(rulebook, assignee=people.assignee)
    assert reg.due_at is not None
    day = (reg.due_at - timedelta(days=5)).replace(hour=8, minute=0)
    policy = sweep_plan.SweepPolicy(base_url=POLICY.base_url, digest_hour=7)

    events = await sweep_plan.digest_events(day, None, policy, sweep_plan.People())

    (digest,) = events
    assert digest.context["link"] == "http://docket.test/queue?tab=mine"
    items = digest.context["items"]
    assert isinstance(items, list)
    assert [i["link"] for i in items if isinstance(i, dict)] == [
        f"http://docket.test/requests/{reg.id}"
    ]
