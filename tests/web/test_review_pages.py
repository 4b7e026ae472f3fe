"""Legal's review over HTTP: the queue (oldest first, with reference and deadline), the review
page (PDF inline, SHA-256, the text diff since the previous version), approving the bytes shown,
sending back with a comment, and the refusals as sentences: four-eyes, a stale version naming
the changed field, another digest, no comment. Then the signed PDF and marking it sent."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pytest

from domain.identity.model import User
from domain.packages import service as packages
from domain.packages.model import PackageState
from domain.requests import queries
from domain.requests.model import RegulatoryRequest
from domain.requests.updates import update_request
from domain.requests.workflow import RequestState
from domain.shared.model import Role
from tests.conftest import ROOT, T0
from tests.documents.test_signing import nss_db, pdfsig
from tests.web.helpers import post_form, sign_in, signed_in
from tests.web.test_package_pages import built, drafting, package_of, page_of, save

pytestmark = pytest.mark.usefixtures("db")


@dataclass
class Submitted:
    reg: RegulatoryRequest
    author: User
    sha256: str

    @property
    def review(self) -> str:
        return f"{package_of(self.reg)}/versions/1/review"

    @property
    def one(self) -> str:
        return f"{package_of(self.reg)}/versions/1"


async def submitted(
    client, rulebook, *, role: Role = Role.SPECIALIST, text="Our answer."
) -> Submitted:
    """A request whose version 1 ``role`` wrote and built, and a specialist submitted."""
    reg = await drafting(rulebook)
    author = await signed_in(client, role)
    await built(client, reg, text)
    if role is not Role.SPECIALIST:
        await signed_in(client, Role.SPECIALIST)  # only casework submits
    done = await post_form(client, f"{package_of(reg)}/versions/1/submit", {}, page=page_of(reg))
    assert done.status_code == 303, done.text[:500]
    (version,) = await packages.list_versions(reg.id, actor=ROOT)
    return Submitted(reg, author, version.sha256)


async def approve(client, done: Submitted, sha256: str | None = None, confirmed: str = "yes"):
    return await post_form(
        client,
        f"{done.one}/approve",
        {"sha256": done.sha256 if sha256 is None else sha256, "confirmed": confirmed},
        page=done.review,
    )


async def test_the_queue_lists_submitted_versions_oldest_first_with_reference_and_deadline(
    client, rulebook, clock
) -> None:
    first = await submitted(client, rulebook)
    clock.advance(hours=1)
    second = await submitted(client, rulebook)
    untouched = await drafting(rulebook)
    await signed_in(client, Role.LEGAL)
    page = await client.get("/reviews")
    assert page.status_code == 200
    html = page.text
    assert html.index(first.reg.reference) < html.index(second.reg.reference)
    assert untouched.reference not in html
    assert first.review in html
    assert first.author.display_name in html
    assert f'datetime="{first.reg.due_at.isoformat(timespec="minutes")}"' in html
    assert 'class="band band-' in html
    assert "2 versions await" in html


async def test_an_empty_queue_says_what_brings_work_into_it(client) -> None:
    await signed_in(client, Role.LEGAL)
    html = (await client.get("/reviews")).text
    assert "No response package awaits your approval." in html


async def test_the_review_page_shows_the_pdf_inline_its_sha256_and_the_deadline(
    client, rulebook
) -> None:
    done = await submitted(client, rulebook)
    await signed_in(client, Role.LEGAL)
    page = await client.get(done.review)
    assert page.status_code == 200
    html = page.text
    assert f'<iframe class="pdf-view" src="{done.one}/pdf"' in html
    assert f'id="version-sha256">{done.sha256}</code>' in html
    assert f'name="sha256" value="{done.sha256}"' in html
    assert f'datetime="{done.reg.due_at.isoformat(timespec="minutes")}"' in html
    assert "This is the first version." in html
    assert f'action="{done.one}/send_back"' in html


async def test_the_review_shows_what_changed_in_the_text_since_the_previous_version(
    client, rulebook
) -> None:
    done = await submitted(client, rulebook, text="Line one.\nLine two.")
    await signed_in(client, Role.LEGAL)
    back = await post_form(
        client, f"{done.one}/send_back", {"comment": "Fix two"}, page=done.review
    )
    assert back.status_code == 303
    await signed_in(client, Role.SPECIALIST)
    assert (await save(client, done.reg, "Line one.\nLine 2.", revision=1)).status_code == 303
    listed = (await client.get(page_of(done.reg))).text
    row = listed[listed.index('id="package-version-1"') :]
    row = row[: row.index("</tr>")]
    assert "Sent back" in row
    assert "Fix two" in row
    assert "Stale:" not in row  # history: nothing is left to do with a version sent back
    assert (
        await post_form(client, f"{package_of(done.reg)}/versions", {}, page=page_of(done.reg))
    ).status_code == 303
    two = f"{package_of(done.reg)}/versions/2"
    assert (await post_form(client, f"{two}/submit", {}, page=page_of(done.reg))).status_code == 303
    await signed_in(client, Role.LEGAL)
    html = (await client.get(f"{two}/review")).text
    changes = html[
        html.index('class="text-diff"') : html.index("</table>", html.index('class="text-diff"'))
    ]
    assert "from version 1 to version 2" in changes
    assert '<tr class="diff-removed">' in changes
    assert "<code>Line two.</code>" in changes
    assert "<code>Line 2.</code>" in changes
    assert "<code>Line one.</code>" in changes  # the context around the change
    assert changes.index("Line two.") < changes.index("Line 2.")


async def test_approving_the_bytes_shown_signs_them_and_the_signed_pdf_passes_pdfsig(
    client, rulebook, settings
) -> None:
    done = await submitted(client, rulebook)
    await signed_in(client, Role.LEGAL)
    approved = await approve(client, done)
    assert approved.status_code == 303, approved.text[:500]
    assert approved.headers["location"].startswith(f"{page_of(done.reg)}?entry=")
    version = (await packages.list_versions(done.reg.id, actor=ROOT))[0]
    assert version.state is PackageState.APPROVED
    html = (await client.get(approved.headers["location"])).text
    assert "Approved." in html
    assert version.signed_sha256 in html
    assert f"{done.one}/signed.pdf" in html
    assert f'action="{done.one}/mark_sent"' in html
    signed = await client.get(f"{done.one}/signed.pdf")
    assert signed.status_code == 200
    assert signed.headers["content-type"] == "application/pdf"
    disposition = signed.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert f"{done.reg.reference}-v1-signed.pdf" in disposition
    assert hashlib.sha256(signed.content).hexdigest() == version.signed_sha256
    data_dir = settings.storage.data_dir
    ca = (data_dir / "signing" / "demo-ca.pem").read_bytes()
    report = pdfsig(signed.content, nss_db(data_dir / "nss", ca), data_dir)
    assert "Signature is Valid." in report
    assert "Certificate is Trusted." in report


async def test_another_digest_is_refused_with_the_services_sentence(client, rulebook) -> None:
    done = await submitted(client, rulebook)
    await signed_in(client, Role.LEGAL)
    refused = await approve(client, done, sha256="0" * 64)
    assert refused.status_code == 409
    assert f"version 1 has SHA-256 {done.sha256}, not {'0' * 64}" in refused.text
    assert 'id="error-approve"' in refused.text
    assert "Traceback" not in refused.text
    assert (await packages.list_versions(done.reg.id, actor=ROOT))[
        0
    ].state is PackageState.SUBMITTED


async def test_an_approval_not_confirmed_is_refused_beside_the_button(client, rulebook) -> None:
    done = await submitted(client, rulebook)
    await signed_in(client, Role.LEGAL)
    refused = await approve(client, done, confirmed="")
    assert refused.status_code == 422
    assert "tick the box to confirm what you approve" in refused.text


async def test_the_author_cannot_approve_and_is_told_why(client, rulebook) -> None:
    done = await submitted(client, rulebook, role=Role.LEGAL)
    await sign_in(client, done.author)
    page = await client.get(done.review)
    assert page.status_code == 200
    assert "You cannot approve this version:" in page.text
    assert "another lawyer must approve it" in page.text
    assert f'action="{done.one}/approve"' not in page.text
    refused = await approve(client, done)
    assert refused.status_code == 403
    assert "you drafted, last changed or built version 1" in refused.text
    assert (await packages.list_versions(done.reg.id, actor=ROOT))[
        0
    ].state is PackageState.SUBMITTED


async def test_a_stale_version_names_the_changed_field_and_is_refused(client, rulebook) -> None:
    done = await submitted(client, rulebook)
    current = await queries.load_request(done.reg.id)
    await update_request(
        rulebook,
        done.reg.id,
        expected_version=current.version,
        changes={"legal_basis": "Art. 10 DSA, as amended"},
        actor=ROOT,
        now=T0,
    )
    await signed_in(client, Role.LEGAL)
    queue = (await client.get("/reviews")).text
    assert "the request&#39;s legal basis changed after it was built" in queue
    page = (await client.get(done.review)).text
    assert "the request&#39;s legal basis changed after it was built" in page
    assert f'action="{done.one}/approve"' not in page
    refused = await approve(client, done)
    assert refused.status_code == 409
    assert "built before the request&#39;s legal basis changed" in refused.text


async def test_sending_back_needs_a_comment_and_returns_the_request_to_drafting(
    client, rulebook
) -> None:
    done = await submitted(client, rulebook)
    await signed_in(client, Role.LEGAL)
    refused = await post_form(client, f"{done.one}/send_back", {"comment": "  "}, page=done.review)
    assert refused.status_code == 422
    assert 'id="error-comment"' in refused.text
    assert "say what must change" in refused.text
    back = await post_form(
        client, f"{done.one}/send_back", {"comment": "Name the period."}, page=done.review
    )
    assert back.status_code == 303
    assert (await queries.load_request(done.reg.id)).state is RequestState.DRAFTING
    html = (await client.get(back.headers["location"])).text
    assert "Sent back." in html
    assert "Name the period." in html


async def test_marking_sent_needs_confirmation_and_moves_the_request(client, rulebook) -> None:
    done = await submitted(client, rulebook)
    await signed_in(client, Role.LEGAL)
    assert (await approve(client, done)).status_code == 303
    await signed_in(client, Role.SPECIALIST)
    refused = await post_form(client, f"{done.one}/mark_sent", {}, page=page_of(done.reg))
    assert refused.status_code == 422
    assert "tick the box to confirm that this version was sent" in refused.text
    sent = await post_form(
        client, f"{done.one}/mark_sent", {"confirmed": "yes"}, page=page_of(done.reg)
    )
    assert sent.status_code == 303
    assert (await queries.load_request(done.reg.id)).state is RequestState.SENT
    assert (await packages.list_versions(done.reg.id, actor=ROOT))[0].state is PackageState.SENT
