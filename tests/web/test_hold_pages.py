"""The hold page over HTTP: everything about one hold, each custodian's notices and
acknowledgement, the links between a hold and the preservation request it was created from."""

from __future__ import annotations

import uuid

import pytest

from domain.holds.ack_links import ack_key
from domain.requests.fields import Identifier, IdentifierType, RequestRecord
from domain.requests.model import Instrument, RequestKind
from domain.shared.model import Role
from tests.factories import given_authority, given_request
from tests.web.helpers import signed_in
from tests.web.holds_helpers import JANE, OMAR, acknowledged, given_hold

pytestmark = pytest.mark.usefixtures("db")
PRESERVATION_RULE = "US/sca-2703f.preservation"


@pytest.fixture
def key(settings) -> bytes:
    return ack_key(settings.auth.secret_key.value)


async def given_preservation_request(rulebook):
    return await given_request(
        rulebook,
        authority=await given_authority("FBI", "US"),
        rule_id=PRESERVATION_RULE,
        kind=RequestKind.PRESERVATION,
        instrument=Instrument.PRESERVATION_REQUEST,
        record=RequestRecord(identifiers=(Identifier(IdentifierType.ACCOUNT, "@user7781"),)),
    )


def custodian_part(html: str, name: str) -> str:
    start = html.index(f">{name}</h3>")
    return html[start : html.index("</article>", start)]


async def test_the_page_shows_each_custodians_notices_and_acknowledgement(client, key) -> None:
    hold = await given_hold()
    await acknowledged(hold, JANE.email, key, answer="Only on my laptop.")
    await signed_in(client, Role.AUDITOR)
    page = await client.get(f"/holds/{hold.id}")
    assert page.status_code == 200
    html = page.text
    assert f"<h1>{hold.title}</h1>" in html
    assert "MAT-1 Acme v. Roe" in html
    assert "version 3" in html
    assert "1 of 2 acknowledged" in html
    assert "Keep everything about the merger." in html
    assert "<code>exchange:jane.roe@example.com</code>" in html
    jane = custodian_part(html, "Jane Roe")
    assert "boss@example.com" in jane
    assert "<code>192.0.2.7</code>" in jane
    assert "Test mail client" in jane
    assert "<dt>Where else do you keep files?</dt><dd>Only on my laptop.</dd>" in jane
    assert "Hold notice" in jane
    assert "link used" in jane
    assert "Escalation to the manager" in jane
    assert "cancelled" in jane
    omar = custodian_part(html, "Omar Haddad")
    assert "not acknowledged yet" in omar
    assert "Reminder" in omar
    assert "waiting to be sent" in omar
    assert "Drafted" in html
    assert "Issued" in html
    assert "Acknowledged by a custodian" in html
    # an auditor reads; no step is offered
    assert "/release" not in html
    assert "/issue" not in html


async def test_legal_is_offered_the_steps_the_workflow_allows_now(client) -> None:
    draft = await given_hold("MAT-D", issued=False)
    issued = await given_hold("MAT-I")
    await signed_in(client, Role.LEGAL)
    html = (await client.get(f"/holds/{draft.id}")).text
    assert f'href="/holds/{draft.id}/issue"' in html
    assert f'href="/holds/{draft.id}/edit"' in html
    assert "/release" not in html
    assert "not asked yet: the hold is a draft" in html
    html = (await client.get(f"/holds/{issued.id}")).text
    assert f'href="/holds/{issued.id}/release"' in html
    assert f"/holds/{issued.id}/release?custodian=omar.haddad%40example.com" in html
    assert f"/holds/{issued.id}/release?data_source=exchange%3Ajane.roe%40example.com" in html
    assert "/issue" not in html


async def test_the_hold_and_its_preservation_request_link_to_each_other(client, rulebook) -> None:
    reg = await given_preservation_request(rulebook)
    hold = await given_hold("MAT-P", custodians=(OMAR,), sources=(), preservation_request_id=reg.id)
    other = await given_request(rulebook)
    await signed_in(client, Role.SPECIALIST)
    html = (await client.get(f"/holds/{hold.id}")).text
    assert "Created from the preservation request" in html
    assert f'<a href="/requests/{reg.id}">{reg.reference}</a>' in html
    assert "its period ends" in html
    assert "<code>account:@user7781</code>" in html  # its identifier became the data source
    back = (await client.get(f"/requests/{reg.id}")).text
    assert f'<a href="/holds/{hold.id}">{hold.title}</a>' in back
    none = (await client.get(f"/requests/{other.id}")).text
    assert "No hold was created from this request." in none


async def test_an_unknown_hold_is_a_404_page(client) -> None:
    await signed_in(client, Role.LEGAL)
    page = await client.get(f"/holds/{uuid.uuid4()}")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
