"""Releasing a hold from the pages, over HTTP: as a whole, one custodian or one data source,
with a reason; the warnings (a preservation period that still runs, other holds that still
cover an item) shown before anything happens, and read before the release is taken."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import pytest

from audit import store
from domain.holds import queries as hold_queries
from domain.holds.model import HoldState
from domain.holds.release_check import release_warnings
from domain.shared.model import Role
from tests.conftest import ROOT, T0
from tests.web.helpers import csrf_of, signed_in
from tests.web.holds_helpers import JANE, OMAR, given_hold
from tests.web.test_hold_pages import given_preservation_request

pytestmark = pytest.mark.usefixtures("db")


async def release_page(client, hold, **item: str):
    query = "&".join(f"{k}={quote(v)}" for k, v in item.items())
    return await client.get(f"/holds/{hold.id}/release" + (f"?{query}" if query else ""))


async def post_release(client, hold, page, **fields: str):
    data = {"_csrf_token": csrf_of(page), "version": hold.version, "confirmed": "yes", **fields}
    return await client.post(f"/holds/{hold.id}/release", data=data)


async def last_change(hold) -> tuple[str, dict]:
    """The action of the hold's last audit entry and what it recorded after the change."""
    entries = await store.entries(subject=("legal_hold", str(hold.id)))
    record = await store.changes_for(entries[-1].index)
    assert record is not None
    change = record.change()
    assert isinstance(change, dict)
    return entries[-1].action, change["after"]


async def test_releasing_a_hold_nobody_else_covers_says_so_and_records_the_reason(client) -> None:
    hold = await given_hold()
    await signed_in(client, Role.LEGAL)
    page = await release_page(client, hold)
    assert page.status_code == 200
    assert f"Release {hold.title}?" in page.text
    assert "<code>custodian:jane.roe@example.com</code>" in page.text
    assert "<code>exchange:jane.roe@example.com</code>" in page.text
    assert "nothing keeps them preserved" in page.text
    assert 'name="understood"' not in page.text  # nothing to warn of, nothing to tick
    done = await post_release(client, hold, page, reason="Matter settled.")
    assert done.status_code == 303
    assert done.headers["location"].startswith(f"/holds/{hold.id}?entry=")
    assert (await hold_queries.get_hold(hold.id, actor=ROOT)).state is HoldState.RELEASED
    action, after = await last_change(hold)
    assert action == "hold.released"
    assert after["reason"] == "Matter settled."


async def test_an_item_covered_by_another_hold_is_named_before_release(client) -> None:
    hold = await given_hold("MAT-A")
    other = await given_hold("MAT-B", custodians=(OMAR,), sources=())
    await signed_in(client, Role.LEGAL)
    page = await release_page(client, hold, custodian=OMAR.email)
    assert page.status_code == 200
    assert "Still preserved by other holds:" in page.text
    assert f'<a href="/holds/{other.id}">MAT-B</a>' in page.text
    assert "<code>custodian:omar.haddad@example.com</code>" in page.text
    unread = await post_release(client, hold, page, custodian=OMAR.email, reason="Left")
    assert unread.status_code == 422  # the warning was not ticked as read: nothing happened
    assert 'id="error-understood"' in unread.text
    assert 'href="#field-understood"' in unread.text
    assert (await hold_queries.get_hold(hold.id, actor=ROOT)).version == hold.version
    done = await post_release(
        client, hold, page, custodian=OMAR.email, reason="Left the company", understood="yes"
    )
    assert done.status_code == 303
    released = await hold_queries.get_hold(hold.id, actor=ROOT)
    assert released.state is HoldState.PARTIALLY_RELEASED
    assert [c.email for c in released.custodians if not c.is_held] == [OMAR.email]
    action, after = await last_change(hold)
    assert action == "hold.custodian_released"
    assert after["reason"] == "Left the company"
    assert after["still_covered_by"] == [{"id": str(other.id), "matter": "MAT-B"}]


async def test_a_running_preservation_period_is_warned_of_before_release(client, rulebook) -> None:
    reg = await given_preservation_request(rulebook)
    hold = await given_hold("MAT-P", custodians=(JANE,), sources=(), preservation_request_id=reg.id)
    await signed_in(client, Role.LEGAL)
    page = await release_page(client, hold, data_source="account:@user7781")
    assert page.status_code == 200
    assert "A preservation period still runs." in page.text
    assert f'href="/requests/{reg.id}"' in page.text
    warned = await release_warnings(hold.id, actor=ROOT, now=T0, data_source="ACCOUNT:@user7781")
    assert warned.preservation_until == hold.expires_at
    assert warned.items == ("account:@user7781",)
    after = await release_warnings(hold.id, actor=ROOT, now=hold.expires_at + timedelta(1))
    assert after.preservation_until is None  # the period is over: nothing to warn of
    done = await post_release(
        client,
        hold,
        page,
        data_source="account:@user7781",
        reason="Court lifted it",
        understood="yes",
    )
    assert done.status_code == 303
    action, after = await last_change(hold)
    assert action == "hold.data_source_released"
    assert after["reason"] == "Court lifted it"


async def test_an_unconfirmed_post_goes_back_to_the_page(client) -> None:
    hold = await given_hold()
    await signed_in(client, Role.LEGAL)
    page = await release_page(client, hold)
    data = {"_csrf_token": csrf_of(page), "version": hold.version, "custodian": JANE.email}
    response = await client.post(f"/holds/{hold.id}/release", data=data)
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/holds/{hold.id}/release?custodian=jane.roe%40example.com"
    )
    assert (await hold_queries.get_hold(hold.id, actor=ROOT)).state is HoldState.ISSUED


@pytest.mark.parametrize(
    ("item", "status", "words"),
    [
        ({"custodian": "nobody@example.com"}, 404, ""),
        ({"data_source": "no-colon"}, 422, "must be SYSTEM:IDENTIFIER"),
    ],
)
async def test_an_item_the_hold_does_not_hold_is_refused(client, item, status, words) -> None:
    hold = await given_hold()
    await signed_in(client, Role.LEGAL)
    page = await release_page(client, hold, **item)
    assert page.status_code == status
    assert words in page.text
    assert 'name="confirmed"' not in page.text


async def test_a_draft_or_released_hold_offers_no_release(client) -> None:
    draft = await given_hold(issued=False)
    await signed_in(client, Role.LEGAL)
    page = await release_page(client, draft)
    assert page.status_code == 409
    assert "This release is not open to you while the hold is draft." in page.text


async def test_a_stale_release_changes_nothing(client) -> None:
    hold = await given_hold()
    await signed_in(client, Role.LEGAL)
    page = await release_page(client, hold, custodian=JANE.email)
    data = {
        "_csrf_token": csrf_of(page),
        "version": hold.version - 1,
        "confirmed": "yes",
        "custodian": JANE.email,
        "reason": "Old page",
    }
    response = await client.post(f"/holds/{hold.id}/release", data=data)
    assert response.status_code == 409
    assert 'id="field-release"' in response.text
    assert (await hold_queries.get_hold(hold.id, actor=ROOT)).version == hold.version


async def test_a_too_long_reason_is_shown_beside_it(client) -> None:
    hold = await given_hold()
    await signed_in(client, Role.LEGAL)
    page = await release_page(client, hold)
    response = await post_release(client, hold, page, reason="x" * 2001)
    assert response.status_code == 422
    assert 'id="error-reason"' in response.text
    assert "At most 2000 characters" in response.text or "at most 2000 characters" in response.text
