"""The response package on the request page over HTTP: the draft form (saved with its revision,
a stale save showing the other person's text), the preview (htmx fragment or the page again),
building, the PDF inline with its SHA-256, submitting, and a stale version saying why."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

import pytest
from litestar.testing import AsyncTestClient

from api.app import create_app
from audit import store
from domain.packages import service as packages
from domain.requests import queries
from domain.requests.updates import update_request
from domain.requests.workflow import RequestState
from domain.shared.model import Role
from tests.conftest import ROOT, T0
from tests.domain.test_packages_service import in_drafting
from tests.factories import given_request
from tests.web.helpers import csrf, post_form, signed_in

pytestmark = pytest.mark.usefixtures("db")
EXHIBIT = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ENTRY = re.compile(r"entry=(\d+)")


def page_of(reg) -> str:
    return f"/requests/{reg.id}"


def package_of(reg) -> str:
    return f"/requests/{reg.id}/package"


async def drafting(rulebook):
    return await in_drafting(rulebook, await given_request(rulebook))


async def attach(client, reg, name: str = "order.pdf") -> str:
    token = await csrf(client, page_of(reg))
    done = await client.post(
        f"{page_of(reg)}/attachments",
        data={"_csrf_token": token},
        files={"file": (name, EXHIBIT, "application/pdf")},
    )
    assert done.status_code == 303, done.text[:300]
    attachments = await packages_attachments(reg)
    return next(str(a.id) for a in attachments if a.original_name == name)


async def packages_attachments(reg):
    return await queries.attachments_of(reg.id)


async def save(client, reg, text: str, *, revision: int, **more: object):
    return await post_form(
        client,
        f"{package_of(reg)}/draft",
        {"revision": str(revision), "markdown": text, "locale": "", **more},
        page=page_of(reg),
    )


async def built(client, reg, text: str = "Our **answer**.") -> None:
    """Save ``text`` and build version 1 through the page's forms."""
    draft = await packages.get_draft(reg.id, actor=ROOT)
    assert (await save(client, reg, text, revision=draft.revision)).status_code == 303
    done = await post_form(client, f"{package_of(reg)}/versions", {}, page=page_of(reg))
    assert done.status_code == 303, done.text[:500]


async def test_a_specialist_sees_the_empty_package_and_the_draft_form(client, rulebook) -> None:
    reg = await drafting(rulebook)
    await signed_in(client, Role.SPECIALIST)
    html = (await client.get(page_of(reg))).text
    assert 'id="package-title"' in html
    assert "No version built yet." in html
    assert f'action="{package_of(reg)}/draft"' in html
    assert f'action="{package_of(reg)}/versions"' not in html  # nothing saved to build from


async def test_a_reader_sees_the_package_without_any_form(client, rulebook) -> None:
    reg = await drafting(rulebook)
    await signed_in(client, Role.SPECIALIST)
    await built(client, reg)
    await signed_in(client, Role.AUDITOR)
    html = (await client.get(page_of(reg))).text
    assert "Version 1" in html
    assert "Our **answer**." in html  # the saved text, read-only
    assert f"{package_of(reg)}/versions/1/pdf" in html
    assert f'action="{package_of(reg)}/' not in html


async def test_saving_the_draft_with_an_exhibit_writes_one_entry_that_the_page_names(
    client, rulebook
) -> None:
    reg = await drafting(rulebook)
    await signed_in(client, Role.SPECIALIST)
    attachment_id = await attach(client, reg)
    before = await store.entries(subject=("request", str(reg.id)))
    done = await save(
        client,
        reg,
        "We enclose the order.",
        revision=0,
        exhibit=attachment_id,
        **{f"title-{attachment_id}": "The order"},
    )
    assert done.status_code == 303, done.text[:500]
    after = await store.entries(subject=("request", str(reg.id)))
    assert [e.action for e in after[len(before) :]] == ["package.draft_updated"]
    found = ENTRY.search(done.headers["location"])
    assert found is not None
    assert int(found.group(1)) == after[-1].index
    draft = await packages.get_draft(reg.id, actor=ROOT)
    assert (draft.revision, draft.markdown) == (1, "We enclose the order.")
    assert [(str(e.attachment_id), e.title) for e in draft.exhibits] == [
        (attachment_id, "The order")
    ]
    html = (await client.get(done.headers["location"])).text
    assert "Draft updated." in html
    assert 'value="The order"' in html
    assert f'value="{attachment_id}" checked' in html


async def test_a_stale_save_shows_the_other_persons_text_and_overwrites_nothing(
    client, rulebook
) -> None:
    reg = await drafting(rulebook)
    await signed_in(client, Role.SPECIALIST)
    assert (await save(client, reg, "First words.", revision=0)).status_code == 303
    other = await signed_in(client, Role.LEGAL)
    assert (await save(client, reg, "Their words.", revision=1)).status_code == 303
    await signed_in(client, Role.SPECIALIST)
    refused = await save(client, reg, "My words.", revision=1)
    assert refused.status_code == 409
    html = refused.text
    assert "The response changed after you opened it" in html
    assert "You were editing revision 1" in html
    assert other.display_name in html
    assert "saved revision 2" in html
    assert "<code>Their words.</code>" in html  # the diff: theirs removed …
    assert "<code>My words.</code>" in html  # … yours added
    assert 'name="revision" value="2"' in html  # the form now holds their text
    assert ">Their words.</textarea>" in html
    draft = await packages.get_draft(reg.id, actor=ROOT)
    assert (draft.revision, draft.markdown) == (2, "Their words.")


async def test_a_refused_save_keeps_the_text_and_shows_the_error_beside_its_field(
    client, rulebook
) -> None:
    reg = await drafting(rulebook)
    await signed_in(client, Role.SPECIALIST)
    refused = await save(client, reg, "Text kept.", revision=0, locale="xx")
    assert refused.status_code == 422
    assert 'id="error-locale"' in refused.text
    assert ">Text kept.</textarea>" in refused.text
    assert (await packages.get_draft(reg.id, actor=ROOT)).revision == 0


async def test_the_preview_renders_the_text_as_the_letter_does_and_saves_nothing(
    client, rulebook
) -> None:
    reg = await drafting(rulebook)
    await signed_in(client, Role.SPECIALIST)
    token = await csrf(client, page_of(reg))
    fragment = await client.post(
        f"{package_of(reg)}/preview",
        data={"revision": "0", "markdown": "Some **bold** <script>x</script>"},
        headers={"hx-request": "true", "x-csrftoken": token},
    )
    assert fragment.status_code == 200
    assert "<strong>bold</strong>" in fragment.text
    assert "<script>" not in fragment.text
    assert "&lt;script&gt;" in fragment.text
    assert "<html" not in fragment.text  # only the preview, for htmx to swap in
    whole = await post_form(
        client,
        f"{package_of(reg)}/preview",
        {"revision": "0", "markdown": "Plain *preview*"},
        page=page_of(reg),
    )
    assert whole.status_code == 200
    assert "<em>preview</em>" in whole.text
    assert ">Plain *preview*</textarea>" in whole.text  # the typed text stays in the form
    assert (await packages.get_draft(reg.id, actor=ROOT)).revision == 0


async def test_a_built_version_is_listed_and_its_pdf_opens_inline_under_its_sha256(
    client, rulebook
) -> None:
    reg = await drafting(rulebook)
    user = await signed_in(client, Role.SPECIALIST)
    await built(client, reg)
    (version,) = await packages.list_versions(reg.id, actor=ROOT)
    html = (await client.get(page_of(reg))).text
    row = html[html.index('id="package-version-1"') :]
    row = row[: row.index("</tr>")]
    assert version.sha256 in row
    assert "Built, not submitted" in row
    assert user.display_name in row
    assert f'action="{package_of(reg)}/versions/1/submit"' in row
    pdf = await client.get(f"{package_of(reg)}/versions/1/pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("inline;")
    assert f"{reg.reference}-v1.pdf" in pdf.headers["content-disposition"]
    assert hashlib.sha256(pdf.content).hexdigest() == version.sha256
    assert (await client.get(f"{package_of(reg)}/versions/1/signed.pdf")).status_code == 404
    assert (await client.get(f"{package_of(reg)}/versions/9/pdf")).status_code == 404


async def test_building_before_anything_is_written_is_refused_beside_the_button(
    client, rulebook
) -> None:
    reg = await drafting(rulebook)
    await signed_in(client, Role.SPECIALIST)
    refused = await post_form(client, f"{package_of(reg)}/versions", {}, page=page_of(reg))
    assert refused.status_code == 422
    assert "write the response before building its package" in refused.text


async def test_submitting_moves_the_version_and_the_request_to_legal_review(
    client, rulebook
) -> None:
    reg = await drafting(rulebook)
    await signed_in(client, Role.SPECIALIST)
    await built(client, reg)
    done = await post_form(client, f"{package_of(reg)}/versions/1/submit", {}, page=page_of(reg))
    assert done.status_code == 303, done.text[:500]
    assert (await queries.load_request(reg.id)).state is RequestState.IN_LEGAL_REVIEW
    html = (await client.get(done.headers["location"])).text
    assert "Submitted." in html
    assert "Awaiting Legal's approval" in html
    assert "/versions/1/submit" not in html
    assert "/versions/1/review" not in html  # the specialist does not review
    await signed_in(client, Role.LEGAL)
    assert f"{package_of(reg)}/versions/1/review" in (await client.get(page_of(reg))).text


async def test_a_version_built_before_a_printed_field_changed_says_which_and_is_refused(
    client, rulebook
) -> None:
    reg = await drafting(rulebook)
    await signed_in(client, Role.SPECIALIST)
    await built(client, reg)
    current = await queries.load_request(reg.id)
    await update_request(
        rulebook,
        reg.id,
        expected_version=current.version,
        changes={"authority_reference": "AZ 99/2026"},
        actor=ROOT,
        now=T0,
    )
    html = (await client.get(page_of(reg))).text
    row = html[html.index('id="package-version-1"') :]
    row = row[: row.index("</tr>")]
    assert "Stale:" in row
    assert "the request&#39;s authority reference changed after it was built" in row
    assert "/versions/1/submit" not in row  # no step is offered on a stale version
    refused = await post_form(client, f"{package_of(reg)}/versions/1/submit", {}, page=page_of(reg))
    assert refused.status_code == 409
    assert "built before the request&#39;s authority reference changed" in refused.text
    assert 'id="error-version-1"' in refused.text


async def test_with_a_response_written_the_request_offers_review_only_through_its_package(
    client, rulebook
) -> None:
    reg = await drafting(rulebook)
    await signed_in(client, Role.SPECIALIST)
    before = (await client.get(page_of(reg))).text
    assert 'id="field-action-submit_for_review"' in before
    assert (await save(client, reg, "Written.", revision=0)).status_code == 303
    after = (await client.get(page_of(reg))).text
    assert 'id="field-action-submit_for_review"' not in after
    assert "Review, approval and sending go through the response package." in after


@pytest.mark.parametrize("approval_page", [False, True], ids=["default off", "on"])
async def test_a_build_from_the_page_follows_the_approval_page_setting(
    settings, clock, rulebook, db, approval_page: bool
) -> None:
    chosen = replace(settings, packages=replace(settings.packages, approval_page=approval_page))
    app = create_app(chosen, clock=clock, pool=False, rulebook=rulebook)
    reg = await drafting(rulebook)
    async with AsyncTestClient(app=app) as client:
        client.follow_redirects = False
        await signed_in(client, Role.SPECIALIST)
        await built(client, reg)
    versions = await packages.list_versions(reg.id, actor=ROOT)
    assert [v.approval_page for v in versions] == [approval_page]
