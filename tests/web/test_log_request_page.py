"""The "Log a request" page over HTTP: the form, saving, errors by field, the deadline preview,
the authority search and adding an authority without leaving the form."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from uuid import UUID

import pytest

from audit import store
from domain import deadlines
from domain.requests import authorities, queries
from domain.requests.fields import DataScope, Identifier, IdentifierType
from domain.requests.model import Channel, Instrument, Priority, RequestKind
from domain.requests.repo import RequestFilters
from domain.shared.model import Role
from tests.conftest import ROOT, T0
from tests.factories import GB_RIGHTS, given_authority
from tests.web.helpers import Client, csrf, signed_in

pytestmark = pytest.mark.usefixtures("db")
BREACH = "DE/gdpr.breach-notification"  # the clock starts when the controller became aware
PATH = "/requests/new"


async def filled(client: Client, authority_id: UUID, /, **changes: object) -> dict[str, object]:
    """A complete form as a browser posts it from the page, with ``changes``."""
    form: dict[str, object] = {
        "_csrf_token": await csrf(client, PATH),
        "action": "save",
        "authority_q": "",
        "authority_id": str(authority_id),
        "received_at": "2026-03-02T09:00",  # 09:00 in London is 09:00 UTC, before T0
        "zone": "Europe/London",
        "jurisdiction": "",
        "rule": GB_RIGHTS,
        "subdivision": "",
        "tz": "",
        "instrument": "information_request",
        "kind": "user_data",
        "channel": "portal",
        "dsa_basis": "none",
        "priority": "high",
        "confidentiality": "standard",
        "summary": "Subscriber data for two accounts",
        "authority_reference": "OF-2026-17",
        "tags": "press, Follow-up",
        "assignee": "",
        "response_language": "en",
        "legal_basis": "",
        "identifier_type": ["account", "email", "account"],
        "identifier_value": ["@example", "jane@example.org", ""],
        "service": "Photos",
        "data_scope": "non_content",
        "content_ref": [""],
        "content_description": [""],
        "content_action": [""],
        "content_basis": [""],
    }
    form.update(changes)
    return form


async def logged_requests() -> list[object]:
    page = await queries.list_requests(RequestFilters(), actor=ROOT, now=T0, limit=10)
    return list(page.items)


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.ADMIN, Role.LEGAL], ids=lambda r: r.value)
async def test_the_form_opens_for_those_who_log_requests(client, role: Role) -> None:
    await given_authority()
    await signed_in(client, role)
    page = await client.get(PATH)
    assert page.status_code == 200
    assert "<h1>Log a request</h1>" in page.text
    assert 'aria-current="page">Log a request</a>' in page.text
    assert "Ofcom (GB, regulator)" in page.text
    assert 'name="_csrf_token"' in page.text
    # without JavaScript every rule is offered, grouped by jurisdiction, with its citation
    assert '<optgroup label="DE · Germany">' in page.text
    assert "Act on a data subject rights request (GDPR Arts 15-22) — GDPR Art 12(3)" in page.text
    adds = "Not in the directory? Add the authority" in page.text
    assert adds is (role is not Role.LEGAL)  # legal may not add to the directory


async def test_the_form_is_refused_to_auditors(client) -> None:
    await signed_in(client, Role.AUDITOR)
    page = await client.get(PATH)
    assert page.status_code == 403
    assert "text/html" in page.headers["content-type"]


async def test_times_are_read_in_the_viewers_zone_by_default(client) -> None:
    user = await signed_in(client, Role.SPECIALIST)
    assert user.time_zone == ""
    page = await client.get(PATH)
    assert re.search(r'id="field-zone" name="zone" type="text" value="UTC"', page.text)


async def test_a_valid_form_logs_one_request_with_one_audit_entry_and_opens_it(client) -> None:
    authority = await given_authority()
    await signed_in(client, Role.SPECIALIST)
    before = await store.size()
    response = await client.post(PATH, data=await filled(client, authority.id))
    assert response.status_code == 303, response.text[:2000]
    [reg] = await logged_requests()
    assert response.headers["location"] == f"/requests/{reg.id}"
    assert reg.reference in (await client.get(response.headers["location"])).text
    entries = await store.entries(before, None)
    assert [(e.action, e.subject_id) for e in entries] == [("request.logged", str(reg.id))]
    logged = await queries.get_request(reg.id, actor=ROOT)
    assert logged.received_at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert logged.rule_id == GB_RIGHTS
    assert logged.tz == "Europe/London"  # the rule's zone: the form's zone only reads the times
    assert (logged.kind, logged.channel) == (RequestKind.USER_DATA, Channel.PORTAL)
    assert (logged.instrument, logged.priority) == (Instrument.INFORMATION_REQUEST, Priority.HIGH)
    assert logged.tags == ("follow-up", "press")
    assert logged.authority_reference == "OF-2026-17"
    assert logged.assignee is None
    assert logged.record.identifiers == (
        Identifier(IdentifierType.ACCOUNT, "@example"),
        Identifier(IdentifierType.EMAIL, "jane@example.org"),
    )
    assert (logged.record.service, logged.record.data_scope) == ("Photos", DataScope.NON_CONTENT)
    assert logged.due_at is not None


async def test_the_time_of_receipt_is_read_in_the_zone_given(client) -> None:
    authority = await given_authority()
    await signed_in(client, Role.SPECIALIST)
    form = await filled(
        client, authority.id, received_at="2026-03-01T23:30", zone="America/New_York"
    )
    assert (await client.post(PATH, data=form)).status_code == 303
    [reg] = await logged_requests()
    assert reg.received_at == datetime(2026, 3, 2, 4, 30, tzinfo=UTC)


BAD_INPUT = [
    pytest.param(
        {"received_at": "2026-03-03T09:00"}, "received_at", "is in the future", id="future"
    ),
    pytest.param({"received_at": ""}, "received_at", "is required", id="no-receipt"),
    pytest.param({"received_at": "yesterday"}, "received_at", "is not a date", id="not-a-time"),
    pytest.param(
        {"received_at": "2025-03-30T01:30"}, "received_at", "clocks were put forward", id="dst-gap"
    ),
    pytest.param({"zone": "Mars/Olympus"}, "zone", "is not an IANA time zone", id="zone"),
    pytest.param({"rule": "GB/nothing"}, "rule", "no deadline rule", id="rule"),
    pytest.param({"rule": ""}, "rule", "is required", id="no-rule"),
    pytest.param({"authority_id": ""}, "authority_id", "is required", id="no-authority"),
    pytest.param({"kind": "letter"}, "kind", "is not one of", id="kind"),
    pytest.param({"tags": "ok, not/ok"}, "tags", "is not a-z", id="tags"),
    pytest.param({"tz": "Nowhere/Special"}, "tz", "Nowhere/Special", id="deadline-zone"),
    pytest.param({"response_language": "English!"}, "response_language", "BCP 47", id="language"),
    pytest.param(
        {"notice_decision": "delay"}, "notice_delay_order", "name the order", id="report-pair"
    ),
    pytest.param(
        {"content_ref": ["https://example.org/p/1"], "content_action": ["removed"]},
        "content_items",
        "no action on content for a user_data request",
        id="content-item",
    ),
    pytest.param(
        {"events.identity_verified": "2026-03-02T09:40"},
        "events.identity_verified",
        "is in the future",
        id="event-in-the-future",
    ),
    pytest.param(
        {"received_at": "1996-03-02T09:00"},
        "received_at",
        "more than 20 years ago",
        id="decades-back",
    ),
    pytest.param(
        {"nondisclosure_order": "true", "nondisclosure_expires_on": "2026-02-01"},
        "nondisclosure_expires_on",
        "before the request was received",
        id="nondisclosure-before-receipt",
    ),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_INPUT)
async def test_bad_input_keeps_what_was_typed_and_names_its_field(
    client, changes: dict[str, object], field: str, message: str
) -> None:
    authority = await given_authority()
    await signed_in(client, Role.SPECIALIST)
    before = await store.size()
    form = await filled(client, authority.id, **changes)
    page = await client.post(PATH, data=form)
    assert page.status_code == 422, page.text[:2000]
    assert await store.size() == before
    assert await logged_requests() == []
    text = html.unescape(page.text)
    summary = re.search(r'class="error-summary".*?</article>', text, re.S)
    assert summary is not None
    assert f'href="#field-{field}"' in summary.group(0)
    assert message in summary.group(0)
    assert re.search(rf'id="error-{re.escape(field)}" class="field-error">[^<]*{message}', text)
    assert re.search(rf'id="field-{re.escape(field)}"[^>]*aria-invalid="true"', text)
    assert 'value="Subscriber data for two accounts"' not in text  # a textarea keeps it inside
    assert ">Subscriber data for two accounts</textarea>" in text
    assert 'value="jane@example.org"' in text
    assert 'value="OF-2026-17"' in text


async def test_a_rule_whose_clock_starts_on_an_event_asks_for_it_and_keeps_it(client) -> None:
    authority = await given_authority(name="Bundesbeauftragte", country="DE")
    await signed_in(client, Role.SPECIALIST)
    form = await filled(
        client,
        authority.id,
        rule=BREACH,
        zone="Europe/Berlin",
        received_at="2026-03-02T10:00",
    )
    page = await client.post(PATH, data=form)
    assert page.status_code == 422
    text = html.unescape(page.text)
    assert 'id="field-events.aware"' in text
    assert "Became aware at" in text
    assert re.search(r'id="error-events.aware" class="field-error">[^<]*which is missing', text)
    assert await logged_requests() == []
    form["events.aware"] = "2026-03-01T08:00"
    form["events.identity_verified"] = "2026-03-01T08:00"  # typed for the rule chosen before
    assert (await client.post(PATH, data=form)).status_code == 303
    [reg] = await logged_requests()
    assert reg.events == {"aware": datetime(2026, 3, 1, 7, tzinfo=UTC)}
    assert reg.due_at == datetime(2026, 3, 4, 7, tzinfo=UTC)  # 72 hours, GDPR Art 33(1)


async def test_an_order_is_logged_with_the_date_it_sets_and_the_document(client) -> None:
    authority = await given_authority(name="Arcom", country="FR")
    await signed_in(client, Role.SPECIALIST)
    form = await filled(
        client,
        authority.id,
        rule="EU/dsa.art9-order",
        kind="content_action",
        data_scope="",
        **{"events.specified_due": "2026-03-05T12:00"},
    )
    page = await client.post(PATH, data=form)
    assert page.status_code == 422
    assert re.search(r'id="error-due_source" class="field-error">[^<]*name the document', page.text)
    form["due_source"] = "Arcom order 2026-17"
    assert (await client.post(PATH, data=form)).status_code == 303
    [reg] = await logged_requests()
    assert reg.due_at == datetime(2026, 3, 5, 12, tzinfo=UTC)
    assert reg.due_set_by_authority is not None
    assert reg.due_set_by_authority.source == "Arcom order 2026-17"


async def test_the_preview_shows_the_due_time_and_the_steps_with_their_citations(client, rulebook):
    await signed_in(client, Role.SPECIALIST)
    form = {
        "_csrf_token": await csrf(client, PATH),
        "rule": GB_RIGHTS,
        "received_at": "2026-03-02T09:00",
        "zone": "Europe/London",
    }
    fragment = await client.post(f"{PATH}/preview", data=form)
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    expected = deadlines.preview_deadline(
        rulebook, GB_RIGHTS, received_at=datetime(2026, 3, 2, 9, tzinfo=UTC), actor=ROOT
    )
    assert expected.due_at is not None
    text = html.unescape(fragment.text)
    assert f'<time datetime="{expected.due_at.isoformat(timespec="minutes")}' in text
    assert "2 Apr 2026, 22:59 UTC" in text  # the viewer reads UTC
    assert "Local due time: 2 Apr 2026, 23:59 BST" in text
    assert "in 5 weeks" in text
    for step in expected.steps:
        assert f"<li>{step.text} <cite>{step.citation}</cite></li>" in text
    # the same preview, without JavaScript: the form comes back with it, and nothing is saved
    page = await client.post(PATH, data={**form, "action": "preview"})
    assert page.status_code == 200  # a preview checks only what the deadline needs
    assert "2 Apr 2026, 22:59 UTC" in html.unescape(page.text)
    assert await logged_requests() == []


async def test_the_preview_names_what_it_still_needs(client) -> None:
    await signed_in(client, Role.SPECIALIST)
    token = await csrf(client, PATH)
    empty = await client.post(f"{PATH}/preview", data={"_csrf_token": token})
    assert "Choose a rule and give the time" in empty.text
    form = {"_csrf_token": token, "rule": BREACH, "received_at": "2026-03-02T10:00", "zone": "UTC"}
    missing = html.unescape((await client.post(f"{PATH}/preview", data=form)).text)
    assert 'href="#field-events.aware">Became aware at:' in missing
    form["events.aware"] = "2026-03-02T08:00"
    found = html.unescape((await client.post(f"{PATH}/preview", data=form)).text)
    assert "5 Mar 2026, 08:00 UTC" in found
    assert "GDPR Art 33(1)" in found


async def test_the_authority_search_finds_by_name_without_case_or_accents(client) -> None:
    await given_authority("Ofcom", "GB")
    irish = await given_authority("Coimisiún na Meán", "IE")
    await given_authority("Bundeskriminalamt", "DE")
    await signed_in(client, Role.SPECIALIST)
    found = await client.get(f"{PATH}/authorities", params={"authority_q": "coimisiun"})
    assert found.status_code == 200
    text = html.unescape(found.text)
    assert "Coimisiún na Meán (IE, regulator)" in text
    assert "Ofcom" not in text
    assert f'<option value="{irish.id}" selected>' in text  # the one match is chosen
    assert "1 authority matches “coimisiun”." in text
    everyone = html.unescape((await client.get(f"{PATH}/authorities")).text)
    assert re.findall(r'<optgroup label="(\w+)">', everyone) == ["DE", "GB", "IE"]
    nothing = html.unescape(
        (await client.get(f"{PATH}/authorities", params={"authority_q": "zzz"})).text
    )
    assert "No authority matches “zzz”: add it below." in nothing


async def test_the_authority_search_works_without_javascript(client) -> None:
    authority = await given_authority("Ofcom", "GB")
    await given_authority("Arcom", "FR")
    await signed_in(client, Role.SPECIALIST)
    form = await filled(client, authority.id, action="find_authority", authority_q="arc")
    form["authority_id"] = ""
    page = html.unescape((await client.post(PATH, data=form)).text)
    assert "Arcom (FR, regulator)" in page
    assert "Ofcom (GB" not in page
    assert ">Subscriber data for two accounts</textarea>" in page


async def test_an_authority_added_in_the_form_is_chosen_and_the_rest_is_kept(client) -> None:
    await signed_in(client, Role.SPECIALIST)
    before = await store.size()
    form = await filled(
        client,
        UUID(int=0),
        action="add_authority",
        authority_id="",
        new_authority_name="Garda Síochána",
        new_authority_country="ie",
        new_authority_type="police",
    )
    page = await client.post(PATH, data=form)
    assert page.status_code == 200
    [added] = await authorities.search_authorities("garda", actor=ROOT)
    assert added.country == "IE"
    entries = await store.entries(before, None)
    assert [(e.action, e.subject_id) for e in entries] == [("authority.created", str(added.id))]
    text = html.unescape(page.text)
    assert f'<option value="{added.id}" selected>Garda Síochána (IE, police)</option>' in text
    assert "Added Garda Síochána (IE) to the directory and chose it." in text
    assert ">Subscriber data for two accounts</textarea>" in text
    assert 'value="2026-03-02T09:00"' in text
    saved = await client.post(PATH, data={**form, "action": "save", "authority_id": str(added.id)})
    assert saved.status_code == 303


async def test_an_authority_added_in_place_comes_back_as_a_fragment(client) -> None:
    await signed_in(client, Role.SPECIALIST)
    token = await csrf(client, PATH)
    bad = {"_csrf_token": token, "new_authority_name": "CNIL", "new_authority_country": "France"}
    refused = html.unescape((await client.post(f"{PATH}/authority", data=bad)).text)
    assert 'id="error-new_authority_type"' in refused
    bad["new_authority_type"] = "regulator"
    refused = html.unescape((await client.post(f"{PATH}/authority", data=bad)).text)
    assert re.search(r'id="error-new_authority_country" class="field-error">[^<]*ISO 3166', refused)
    assert re.search(r'id="field-new_authority_country"[^>]*autofocus', refused)
    assert await authorities.search_authorities("cnil", actor=ROOT) == []
    fragment = await client.post(f"{PATH}/authority", data={**bad, "new_authority_country": "FR"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    [added] = await authorities.search_authorities("cnil", actor=ROOT)
    text = html.unescape(fragment.text)
    assert re.search(rf'<option value="{added.id}" selected>CNIL \(FR, regulator\)', text)
    assert 'id="field-authority_id" name="authority_id" required autofocus' in text
    assert '<div id="authority-status" hx-swap-oob="innerHTML">Added CNIL (FR)' in text


async def test_legal_may_log_requests_but_not_add_authorities(client) -> None:
    await signed_in(client, Role.LEGAL)
    token = await csrf(client, PATH)
    form = {
        "_csrf_token": token,
        "new_authority_name": "CNIL",
        "new_authority_country": "FR",
        "new_authority_type": "regulator",
    }
    assert (await client.post(f"{PATH}/authority", data=form)).status_code == 403
    assert await authorities.search_authorities("cnil", actor=ROOT) == []


async def test_choosing_a_jurisdiction_narrows_the_rules(client) -> None:
    await signed_in(client, Role.SPECIALIST)
    fragment = await client.get(f"{PATH}/rules", params={"jurisdiction": "de", "rule": GB_RIGHTS})
    assert fragment.status_code == 200
    text = html.unescape(fragment.text)
    assert '<optgroup label="DE · Germany">' in text
    assert text.count("<optgroup") == 1
    assert f'value="{GB_RIGHTS}"' not in text  # a rule of another jurisdiction is dropped
    assert '<option value="DE" selected>' in text
    assert 'hx-trigger="load"' in text  # and the preview is asked for again
    chosen = html.unescape(
        (await client.get(f"{PATH}/rules", params={"jurisdiction": "DE", "rule": BREACH})).text
    )
    assert f'<option value="{BREACH}" selected>' in chosen
    assert 'id="field-events.aware"' in chosen
    assert "GDPR Art 33(1): the clock runs from awareness of the breach" in chosen
    unknown = html.unescape((await client.get(f"{PATH}/rules", params={"jurisdiction": "XX"})).text)
    assert "no rule pack has the code 'XX'" in unknown


async def test_more_rows_for_identifiers_keep_those_typed(client) -> None:
    authority = await given_authority()
    await signed_in(client, Role.SPECIALIST)
    page = await client.post(PATH, data=await filled(client, authority.id, action="more_rows"))
    assert page.status_code == 200
    assert page.text.count('name="identifier_value"') == 2 + 2 + 3  # typed, blank, more
    assert 'value="jane@example.org"' in page.text
    assert await logged_requests() == []


async def test_the_preview_of_an_order_names_the_document_that_sets_its_date(client) -> None:
    await signed_in(client, Role.SPECIALIST)
    form = {
        "_csrf_token": await csrf(client, PATH),
        "rule": "EU/dsa.art9-order",
        "received_at": "2026-03-02T09:00",
        "zone": "UTC",
        "events.specified_due": "2026-03-05T12:00",
        "due_source": "order 2026/117",
    }
    text = html.unescape((await client.post(f"{PATH}/preview", data=form)).text)
    assert "due as set by the authority in order 2026/117" in text
    assert "5 Mar 2026, 12:00 UTC" in text
