"""The request page's clock: events shown and recorded, a date set by the authority, the
deadline in force after an extension, and implausible dates refused beside their field."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from audit import store
from domain.requests import queries
from domain.requests.clock_fields import AuthorityDue
from domain.shared.model import USER_ROLES, Role
from domain.shared.permissions import Permission, has_permission
from tests.conftest import ROOT, T0
from tests.factories import given_request
from tests.web.helpers import post_form, signed_in

pytestmark = pytest.mark.usefixtures("db")
GB_RIGHTS = "GB/uk-gdpr.rights-request"
BREACH = "DE/gdpr.breach-notification"
ART9 = "EU/dsa.art9-order"


def page_of(reg) -> str:
    return f"/requests/{reg.id}"


async def test_the_page_shows_the_events_and_a_specialist_records_one(client, rulebook) -> None:
    reg = await given_request(rulebook, received_at=T0 - timedelta(days=4))
    await signed_in(client, Role.SPECIALIST)
    html = (await client.get(page_of(reg))).text
    assert "No event recorded yet" in html
    assert '<option value="identity_verified">Identity verified at</option>' in html
    done = await post_form(
        client,
        f"{page_of(reg)}/events",
        {
            "version": reg.version,
            "event": "identity_verified",
            "event_at": "2026-03-01T10:00",
            "event_zone": "Europe/London",
        },
        page=page_of(reg),
    )
    assert done.status_code == 303, done.text
    entries = await store.entries(subject=("request", str(reg.id)))
    assert [e.action for e in entries] == ["request.logged", "request.clock_events_recorded"]
    assert f"entry={entries[-1].index}" in done.headers["location"]
    moved = await queries.get_request(reg.id, actor=ROOT)
    assert moved.due_at is not None
    assert reg.due_at is not None
    assert moved.due_at > reg.due_at
    html = (await client.get(done.headers["location"])).text
    assert "<dt>Identity verified at</dt>" in html
    assert "1 Mar 2026, 10:00 UTC" in html
    assert "clock runs from the later identity_verified" in html  # the explanation


async def test_a_refused_event_sits_beside_the_time_and_changes_nothing(client, rulebook) -> None:
    reg = await given_request(rulebook)
    await signed_in(client, Role.SPECIALIST)
    refused = await post_form(
        client,
        f"{page_of(reg)}/events",
        {
            "version": reg.version,
            "event": "identity_verified",
            "event_at": "2026-03-09T10:00",
            "event_zone": "Europe/London",
        },
        page=page_of(reg),
    )
    assert refused.status_code == 422
    assert re.search(r'<small id="error-event_at" class="field-error">[^<]*future', refused.text)
    assert 'value="2026-03-09T10:00"' in refused.text  # kept as typed
    assert (await queries.get_request(reg.id, actor=ROOT)).version == reg.version


async def test_roles_that_only_read_see_the_events_but_no_form(client, rulebook) -> None:
    reg = await given_request(rulebook, rule_id=BREACH, events={"aware": T0})
    await signed_in(client, Role.AUDITOR)
    html = (await client.get(page_of(reg))).text
    assert "<dt>Became aware at</dt>" in html
    assert 'action="' + page_of(reg) + '/events"' not in html
    refused = await post_form(
        client,
        f"{page_of(reg)}/events",
        {"version": reg.version, "event": "aware", "event_at": "2026-03-01T10:00"},
        page=page_of(reg),
    )
    assert refused.status_code == 403


async def test_a_date_set_by_the_authority_says_by_whom_and_in_which_document(
    client, rulebook
) -> None:
    set_by = AuthorityDue(due_at=T0 + timedelta(days=2), source="order 2026/117, para. 3")
    reg = await given_request(rulebook, rule_id=ART9, due_set_by_authority=set_by)
    await signed_in(client, Role.SPECIALIST)
    html = (await client.get(page_of(reg))).text
    assert "Set by Ofcom in order 2026/117, para. 3." in html
    assert "due as set by Ofcom in order 2026/117, para. 3" in html  # the counting steps
    assert "4 Mar 2026, 09:30 UTC" in html


async def test_after_an_extension_the_statutory_date_is_shown_as_replaced(client, rulebook) -> None:
    reg = await given_request(rulebook)
    await signed_in(client, Role.SPECIALIST)
    await post_form(
        client,
        f"{page_of(reg)}/extension",
        {"version": reg.version, "reason": "complex", "notified_on": "2026-03-02"},
        page=page_of(reg),
    )
    html = (await client.get(page_of(reg))).text
    replaced = html.split("(replaced by the extension)")[1].split("</dd>")[0]
    assert "2 Apr 2026, 22:59 UTC" in replaced  # the statutory date, not the extended one


async def test_an_extension_notice_before_receipt_is_refused_beside_the_day(
    client, rulebook
) -> None:
    reg = await given_request(rulebook)
    await signed_in(client, Role.SPECIALIST)
    refused = await post_form(
        client,
        f"{page_of(reg)}/extension",
        {"version": reg.version, "reason": "complex", "notified_on": "2026-02-20"},
        page=page_of(reg),
    )
    assert refused.status_code == 422
    assert "before the request was received" in refused.text
    assert (await queries.get_request(reg.id, actor=ROOT)).extension_taken is False


@pytest.mark.parametrize("role", sorted(USER_ROLES), ids=lambda r: r.value)
async def test_each_role_records_an_event_exactly_when_its_permissions_allow(
    client, rulebook, role: Role
) -> None:
    reg = await given_request(rulebook, received_at=T0 - timedelta(days=4))
    await signed_in(client, role)
    response = await post_form(
        client,
        f"{page_of(reg)}/events",
        {
            "version": reg.version,
            "event": "identity_verified",
            "event_at": "2026-03-01T10:00",
            "event_zone": "UTC",
        },
        page=page_of(reg),
    )
    expected = 303 if has_permission(role, Permission.REQUESTS_WRITE) else 403
    assert response.status_code == expected, response.text[:300]
    version = (await queries.get_request(reg.id, actor=ROOT)).version
    assert version == (2 if expected == 303 else 1)
