"""The request page over HTTP: deadlines and their steps, the viewer's workflow steps, the forms
(each a plain POST that redirects back naming its audit entry), stale edits, refusals beside
their fields, documents."""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
from litestar.testing import AsyncTestClient

from api.app import create_app
from audit import store
from domain.requests import queries
from domain.requests import service as requests
from domain.requests.workflow import RequestAction, RequestState
from domain.shared.model import USER_ROLES, Role
from tests.conftest import ROOT, T0, make_user
from tests.factories import given_request
from tests.web.helpers import csrf_of, post_form, signed_in

pytestmark = pytest.mark.usefixtures("db")
STEP_IDS = re.compile(r'id="field-action-([a-z_]+)"')
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def page_of(reg) -> str:
    return f"/requests/{reg.id}"


async def entries_about(reg) -> list[store.AuditEntry]:
    return await store.entries(subject=("request", str(reg.id)))


def entry_of(location: str) -> int:
    found = re.search(r"entry=(\d+)", location)
    assert found is not None, location
    return int(found.group(1))


async def test_the_page_shows_the_deadlines_in_force_with_the_counting_steps_and_citations(
    client, rulebook
) -> None:
    reg = await given_request(rulebook)
    await signed_in(client, Role.SPECIALIST)
    page = await client.get(page_of(reg))
    assert page.status_code == 200
    html = page.text
    assert f"<h1>{reg.reference}</h1>" in html
    assert "Respond to a data subject rights request" in html  # the rule's title
    assert "UK GDPR Art 12(3) and Art 12A" in html  # and its citation
    assert "2 Apr 2026, 22:59 UTC" in html  # due, in the viewer's zone
    assert "2 Apr 2026, 23:59 BST" in html  # and in the jurisdiction's
    assert "in 5 weeks" in html
    assert 'class="band band-normal"' in html
    assert html.count('class="in-force-mark"') == 1
    assert "(if the extension is taken)" in html
    explained = await queries.explain_deadline(rulebook, reg, actor=ROOT)
    for step in explained.steps:
        assert step.text in html.replace("&#39;", "'")
        assert f"<cite>{step.citation}</cite>" in html.replace("&#39;", "'")
    assert "Report fields" in html


async def test_a_rule_with_an_acknowledgement_duty_shows_when_receipt_is_due(
    client, rulebook
) -> None:
    reg = await given_request(rulebook, rule_id="US-CA/ccpa.request-to-know")
    assert reg.acknowledgement_due_at is not None
    await signed_in(client, Role.LEGAL)
    html = (await client.get(page_of(reg))).text
    assert "Acknowledge receipt by" in html
    assert f'datetime="{reg.acknowledgement_due_at.isoformat(timespec="minutes")}"' in html


@pytest.mark.parametrize("role", sorted(USER_ROLES), ids=lambda r: r.value)
async def test_each_role_sees_exactly_the_steps_it_may_take_now(client, rulebook, role) -> None:
    reg = await given_request(rulebook)
    await signed_in(client, role)
    html = (await client.get(page_of(reg))).text
    assert STEP_IDS.findall(html) == [
        a.value for a in queries.available_actions(rulebook, reg, role)
    ]
    writes = role in {Role.ADMIN, Role.SPECIALIST, Role.LEGAL}
    assert ('action="' + page_of(reg) + '/comments"' in html) is writes
    assert ('action="' + page_of(reg) + '/extension"' in html) is writes
    assert f"#{(await entries_about(reg))[0].index}" in html  # everyone reads the trail


async def test_the_clock_stops_only_under_a_rule_that_allows_it(client, rulebook) -> None:
    stoppable = await given_request(rulebook)
    fixed = await given_request(rulebook, rule_id="EU/dsa.art9-order")
    for reg in (stoppable, fixed):
        for version, action in enumerate((RequestAction.TRIAGE, RequestAction.START), start=1):
            await requests.transition(
                rulebook, reg.id, action, expected_version=version, actor=ROOT, now=T0
            )
    await signed_in(client, Role.SPECIALIST)
    assert "request_clarification" in STEP_IDS.findall((await client.get(page_of(stoppable))).text)
    assert "request_clarification" not in STEP_IDS.findall((await client.get(page_of(fixed))).text)


async def test_a_step_from_the_form_writes_one_entry_and_the_page_names_its_index(
    client, rulebook
) -> None:
    reg = await given_request(rulebook)
    await signed_in(client, Role.SPECIALIST)
    before = await entries_about(reg)
    done = await post_form(
        client,
        f"{page_of(reg)}/actions/triage",
        {"version": reg.version, "note": "scope is clear"},
        page=page_of(reg),
    )
    assert done.status_code == 303
    after = await entries_about(reg)
    assert len(after) == len(before) + 1
    assert after[-1].action == "request.triaged"
    assert entry_of(done.headers["location"]) == after[-1].index
    page = await client.get(done.headers["location"])
    assert 'role="status"' in page.text
    assert f'href="#entry-{after[-1].index}">#{after[-1].index}</a>' in page.text
    assert "Triaged." in page.text
    assert 'class="change-after">triaged</span>' in page.text
    assert (await queries.get_request(reg.id, actor=ROOT)).state is RequestState.TRIAGED


async def test_a_consequential_step_asks_again_on_a_page_that_names_the_request(
    client, rulebook
) -> None:
    reg = await given_request(rulebook)
    await signed_in(client, Role.SPECIALIST)
    unconfirmed = await post_form(
        client, f"{page_of(reg)}/actions/reject", {"version": reg.version}, page=page_of(reg)
    )
    assert unconfirmed.status_code == 303
    assert unconfirmed.headers["location"] == f"{page_of(reg)}/actions/reject/confirm?version=1"
    assert (await queries.get_request(reg.id, actor=ROOT)).state is RequestState.RECEIVED
    confirm = await client.get(unconfirmed.headers["location"])
    assert confirm.status_code == 200
    assert f"Reject {reg.reference}?" in confirm.text
    assert 'name="confirmed" value="yes"' in confirm.text
    done = await client.post(
        f"{page_of(reg)}/actions/reject",
        data={"_csrf_token": csrf_of(confirm), "version": "1", "confirmed": "yes"},
    )
    assert done.status_code == 303
    assert (await queries.get_request(reg.id, actor=ROOT)).state is RequestState.REJECTED
    page = await client.get(done.headers["location"])
    assert "Rejected." in page.text


async def test_a_step_not_open_now_is_refused_beside_its_button(client, rulebook) -> None:
    reg = await given_request(rulebook)
    await signed_in(client, Role.SPECIALIST)
    refused = await post_form(
        client, f"{page_of(reg)}/actions/start", {"version": reg.version}, page=page_of(reg)
    )
    assert refused.status_code == 409
    assert 'id="error-steps"' in refused.text  # the page offers no "start": beside the steps
    assert "cannot start a request that is received" in refused.text
    assert 'class="error-summary"' in refused.text
    assert (await queries.get_request(reg.id, actor=ROOT)).version == reg.version
    confirm = await client.get(f"{page_of(reg)}/actions/reopen/confirm?version=1")
    assert confirm.status_code == 409
    assert "not open to you" in confirm.text
    assert (await client.get(f"{page_of(reg)}/actions/dance/confirm")).status_code == 404


async def test_a_stale_edit_shows_who_changed_what_and_offers_a_reload(client, rulebook) -> None:
    reg = await given_request(rulebook)
    await signed_in(client, Role.SPECIALIST)
    page = await client.get(page_of(reg))
    colleague = await make_user(Role.LEGAL)
    await requests.assign(
        reg.id,
        expected_version=reg.version,
        assignee=colleague.id,
        actor=colleague.as_actor(),
        now=T0 + timedelta(minutes=5),
    )
    stale = await client.post(
        f"{page_of(reg)}/actions/triage", data={"_csrf_token": csrf_of(page), "version": "1"}
    )
    assert stale.status_code == 409
    assert f"{reg.reference} changed after you opened it" in stale.text
    assert "You were looking at version 1; it is now at version 2." in stale.text
    assert f"<strong>{colleague.display_name}</strong> · Assigned" in stale.text
    assert "2 Mar 2026, 09:35 UTC" in stale.text
    assert 'class="change-after">Test legal</span>' in stale.text
    assert f'href="{page_of(reg)}" role="button">Reload the request' in stale.text
    assert (await queries.get_request(reg.id, actor=ROOT)).state is RequestState.RECEIVED


async def test_taking_the_extension_moves_the_deadline_in_force(client, rulebook) -> None:
    reg = await given_request(rulebook)
    await signed_in(client, Role.SPECIALIST)
    done = await post_form(
        client,
        f"{page_of(reg)}/extension",
        {"version": reg.version, "reason": "complex request", "notified_on": "2026-03-02"},
        page=page_of(reg),
    )
    assert done.status_code == 303
    entries = await entries_about(reg)
    assert entries[-1].action == "request.extended"
    assert entry_of(done.headers["location"]) == entries[-1].index
    html = (await client.get(page_of(reg))).text
    assert "(replaced by the extension)" in html
    assert "Taken. The authority was told on 2026-03-02." in html
    assert 'action="' + page_of(reg) + '/extension"' not in html


async def test_extension_refusals_sit_beside_their_fields(client, rulebook) -> None:
    reg = await given_request(rulebook)
    await signed_in(client, Role.SPECIALIST)
    empty = await post_form(
        client,
        f"{page_of(reg)}/extension",
        {"version": reg.version, "reason": "  ", "notified_on": "2026-03-02"},
        page=page_of(reg),
    )
    assert empty.status_code == 422
    assert '<small id="error-reason" class="field-error">' in empty.text
    assert '<a href="#field-reason">' in empty.text
    late = await post_form(
        client,
        f"{page_of(reg)}/extension",
        {"version": reg.version, "reason": "complex", "notified_on": "2027-01-01"},
        page=page_of(reg),
    )
    assert late.status_code == 422
    assert '<small id="error-notified_on" class="field-error">is in the future' in late.text
    assert 'value="2027-01-01"' in late.text  # what was typed stays
    bad = await post_form(
        client,
        f"{page_of(reg)}/extension",
        {"version": reg.version, "reason": "complex", "notified_on": "soon"},
        page=page_of(reg),
    )
    assert '<small id="error-notified_on" class="field-error">give a date' in bad.text


async def test_a_rule_without_an_extension_offers_none(client, rulebook) -> None:
    reg = await given_request(rulebook, rule_id="EU/dsa.art9-order")
    await signed_in(client, Role.SPECIALIST)
    page = await client.get(page_of(reg))
    assert "The rule allows no extension." in page.text
    refused = await client.post(
        f"{page_of(reg)}/extension",
        data={
            "_csrf_token": csrf_of(page),
            "version": "1",
            "reason": "complex",
            "notified_on": "2026-03-02",
        },
    )
    assert refused.status_code == 409
    assert "allows no extension" in refused.text


async def test_assigning_from_the_page(client, rulebook) -> None:
    reg = await given_request(rulebook)
    me = await signed_in(client, Role.SPECIALIST)
    done = await post_form(
        client,
        f"{page_of(reg)}/assign",
        {"version": reg.version, "assignee": str(me.id)},
        page=page_of(reg),
    )
    assert done.status_code == 303
    assert (await queries.get_request(reg.id, actor=ROOT)).assignee == me.id
    html = (await client.get(done.headers["location"])).text
    assert f'<option value="{me.id}" selected>' in html
    auditor = await make_user(Role.AUDITOR)
    refused = await post_form(
        client,
        f"{page_of(reg)}/assign",
        {"version": 2, "assignee": str(auditor.id)},
        page=page_of(reg),
    )
    assert refused.status_code == 422
    assert '<small id="error-assignee" class="field-error">' in refused.text


async def test_a_comment_is_added_and_listed_and_an_empty_one_refused(client, rulebook) -> None:
    reg = await given_request(rulebook)
    me = await signed_in(client, Role.LEGAL)
    done = await post_form(
        client, f"{page_of(reg)}/comments", {"body": "Scope <b>agreed</b>"}, page=page_of(reg)
    )
    assert done.status_code == 303
    entries = await entries_about(reg)
    assert entries[-1].action == "request.commented"
    assert entry_of(done.headers["location"]) == entries[-1].index
    html = (await client.get(page_of(reg))).text
    assert "Scope &lt;b&gt;agreed&lt;/b&gt;" in html
    assert f"<strong>{me.display_name}</strong>" in html
    empty = await post_form(client, f"{page_of(reg)}/comments", {"body": " "}, page=page_of(reg))
    assert empty.status_code == 422
    assert '<small id="error-body" class="field-error">a comment needs some text' in empty.text


async def test_an_htmx_post_without_the_csrf_header_is_refused(client, rulebook) -> None:
    reg = await given_request(rulebook)
    await signed_in(client, Role.SPECIALIST)
    await client.get(page_of(reg))
    refused = await client.post(
        f"{page_of(reg)}/comments", data={"body": "hi"}, headers={"HX-Request": "true"}
    )
    assert refused.status_code == 403
    assert len(await entries_about(reg)) == 1


async def test_an_htmx_comment_answers_the_page_it_swaps_from(client, rulebook) -> None:
    reg = await given_request(rulebook)
    await signed_in(client, Role.SPECIALIST)
    token = csrf_of(await client.get(page_of(reg)))
    headers = {"HX-Request": "true", "x-csrftoken": token}
    client.follow_redirects = True  # as the browser's XMLHttpRequest does
    done = await client.post(f"{page_of(reg)}/comments", data={"body": "hi"}, headers=headers)
    assert done.status_code == 200
    assert 'id="comments"' in done.text
    assert 'id="outcome"' in done.text
    refused = await client.post(f"{page_of(reg)}/comments", data={"body": ""}, headers=headers)
    assert refused.status_code == 422
    assert 'id="error-body"' in refused.text


async def test_documents_upload_list_their_digest_and_download_under_their_name(
    client, rulebook
) -> None:
    reg = await given_request(rulebook)
    await signed_in(client, Role.SPECIALIST)
    token = csrf_of(await client.get(page_of(reg)))
    text = b"Name;Account\nA;@example\n"
    done = await client.post(
        f"{page_of(reg)}/attachments",
        data={"_csrf_token": token},
        files=[
            ("file", ("Order 2026-17 (signed).pdf", PDF, "application/pdf")),
            ("file", ("accounts.csv", text, "text/csv")),
        ],
    )
    assert done.status_code == 303, done.text[:500]
    entries = await entries_about(reg)
    assert [e.action for e in entries[-2:]] == ["request.document_attached"] * 2
    assert re.findall(r"entry=(\d+)", done.headers["location"]) == [
        str(e.index) for e in entries[-2:]
    ]
    html = (await client.get(page_of(reg))).text
    assert "Order 2026-17 (signed).pdf" in html
    assert hashlib.sha256(PDF).hexdigest() in html
    assert hashlib.sha256(text).hexdigest() in html
    assert "application/pdf" in html
    links = re.findall(r'href="(/requests/[^"]+/download)">([^<]+)</a>', html)
    by_name = {name: href for href, name in links}
    assert sorted(by_name) == ["Order 2026-17 (signed).pdf", "accounts.csv"]
    pdf = await client.get(by_name["Order 2026-17 (signed).pdf"])
    assert pdf.status_code == 200
    assert pdf.content == PDF
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("inline;")
    assert (
        "filename*=UTF-8''Order%202026-17%20%28signed%29.pdf" in pdf.headers["content-disposition"]
    )
    csv = await client.get(by_name["accounts.csv"])
    assert csv.content == text
    assert csv.headers["content-disposition"].startswith('attachment; filename="accounts.csv"')
    assert "sandbox" in csv.headers["content-security-policy"]


async def test_an_upload_without_a_file_is_refused_beside_the_file_field(client, rulebook) -> None:
    reg = await given_request(rulebook)
    await signed_in(client, Role.SPECIALIST)
    token = csrf_of(await client.get(page_of(reg)))
    refused = await client.post(
        f"{page_of(reg)}/attachments",
        data={"_csrf_token": token},
        files=[("file", ("", b"", "application/octet-stream"))],
    )
    assert refused.status_code == 422
    assert '<small id="error-file" class="field-error">choose or drop' in refused.text


async def test_reminder_offsets_are_shown_and_set(client, rulebook) -> None:
    reg = await given_request(rulebook)
    await signed_in(client, Role.SPECIALIST)
    html = (await client.get(page_of(reg))).text
    assert "7d, 3d, 1d" in html
    assert "(the rule's defaults)" in html.replace("&#39;", "'")
    done = await post_form(
        client, f"{page_of(reg)}/reminders", {"offsets": "2d, 4h 1d"}, page=page_of(reg)
    )
    assert done.status_code == 303
    entries = await entries_about(reg)
    assert entries[-1].action == "request.reminders_set"
    assert entry_of(done.headers["location"]) == entries[-1].index
    html = (await client.get(page_of(reg))).text
    assert "2d, 1d, 4h" in html
    assert "(this request's own)" in html.replace("&#39;", "'")
    bad = await post_form(
        client, f"{page_of(reg)}/reminders", {"offsets": "soon"}, page=page_of(reg)
    )
    assert bad.status_code == 422
    assert '<small id="error-offsets" class="field-error">' in bad.text
    assert 'value="soon"' in bad.text


async def test_an_unknown_request_is_a_404_page(client) -> None:
    await signed_in(client, Role.AUDITOR)
    missing = await client.get(f"/requests/{uuid.uuid4()}")
    assert missing.status_code == 404
    assert "text/html" in missing.headers["content-type"]


async def test_an_auditor_reads_the_page_and_the_trail_but_changes_nothing(
    client, rulebook
) -> None:
    reg = await given_request(rulebook)
    await signed_in(client, Role.AUDITOR)
    html = (await client.get(page_of(reg))).text
    assert "Your role reads requests; it takes no steps." in html
    assert '<form method="post" action="/requests' not in html
    refused = await post_form(client, f"{page_of(reg)}/comments", {"body": "hi"}, page=page_of(reg))
    assert refused.status_code == 403


async def test_a_file_over_the_limit_is_refused_beside_the_file_field(
    settings, clock, rulebook
) -> None:
    small = replace(settings, storage=replace(settings.storage, attachment_max_bytes=1024))
    app = create_app(small, clock=clock, pool=False, rulebook=rulebook)
    reg = await given_request(rulebook)
    async with AsyncTestClient(app=app) as small_client:
        small_client.follow_redirects = False
        await signed_in(small_client, Role.SPECIALIST)
        token = csrf_of(await small_client.get(page_of(reg)))
        refused = await small_client.post(
            f"{page_of(reg)}/attachments",
            data={"_csrf_token": token},
            files=[("file", ("big.txt", b"x" * 1025, "text/plain"))],
        )
    assert refused.status_code == 413
    assert '<small id="error-file" class="field-error">larger than the limit' in refused.text
    assert [e.action for e in await entries_about(reg)] == ["request.logged"]
