"""The audit pages over HTTP: the checkpoint, the keys, the verify command, the bundle as a ZIP
that verifies, the entries with their filters, proofs, erasures, and sealed requests."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from uuid import UUID

import pytest

from audit.proof_verify import verify_inclusion
from domain import audit_log
from domain.audit_log import verify_bundle
from domain.requests.model import Confidentiality
from domain.shared.model import Actor, ActorKind, Role
from tests.conftest import T0, make_user
from tests.factories import given_authority, given_request
from tests.web.helpers import signed_in

pytestmark = pytest.mark.usefixtures("db")


async def _vkeys(client) -> list[str]:
    page = await client.get("/audit")
    cells = page.text.split('<code class="digest" id="vkey-')[1:]
    return [cell.split(">", 1)[1].split("<", 1)[0] for cell in cells]


async def test_the_audit_page_shows_the_signed_checkpoint_keys_and_the_verify_command(
    client,
) -> None:
    await signed_in(client, Role.AUDITOR)
    page = await client.get("/audit")
    assert page.status_code == 200
    text = page.text
    assert '<a href="/audit" aria-current="page">Audit log</a>' in text
    assert '<pre id="checkpoint-note"' in text
    note = text.split('<pre id="checkpoint-note"', 1)[1].split(">", 1)[1].split("</pre>", 1)[0]
    origin, size = note.split("\n")[:2]
    assert f"<code>{origin}</code>" in text
    assert f'<dd id="tree-size">{size}</dd>' in text
    assert "\u2014 " in note  # a signature line of the signed note
    assert f"/audit/bundle?tree_size={size}" in text
    assert (
        f"unzip docket-audit-{size}.zip &amp;&amp; docket audit verify docket-audit-{size}" in text
    )
    assert 'data-copy="vkey-1"' in text
    assert "<script>" not in text  # the copy buttons are docket.js's; no inline script


async def test_the_bundle_downloads_as_a_zip_that_verifies_with_the_keys_on_the_page(
    client, tmp_path: Path
) -> None:
    admin = await signed_in(client, Role.ADMIN)
    await make_user(Role.LEGAL)
    erased = (
        await audit_log.read_entries(
            0, None, subject=None, actor_ref=None, limit=10, actor=_admin(admin.id)
        )
    )[0].entry.index
    await audit_log.erase_change(
        erased, reason="retention ended", actor=_admin(admin.id), now=_now()
    )
    overview = await client.get("/audit")
    size = int(overview.text.split('<dd id="tree-size">', 1)[1].split("<", 1)[0])
    download = await client.get(f"/audit/bundle?tree_size={size}")
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    assert f"docket-audit-{size}.zip" in download.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        names = sorted(archive.namelist())
        assert names == [
            f"docket-audit-{size}/{n}"
            for n in ("changes.jsonl", "checkpoints.txt", "entries.jsonl", "keys.txt")
        ]
        archive.extractall(tmp_path)
    report = verify_bundle(tmp_path / f"docket-audit-{size}", await _vkeys(client))
    assert report.size == size
    assert [r.index for r in report.redactions] == [erased]


async def test_the_bundle_of_a_size_never_signed_is_a_404_page(client) -> None:
    await signed_in(client, Role.AUDITOR)
    response = await client.get("/audit/bundle?tree_size=999999")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    bad = await client.get("/audit/bundle?tree_size=-1")
    assert bad.status_code == 400


async def test_an_entry_links_to_its_inclusion_proof_which_verifies_against_the_checkpoint(
    client,
) -> None:
    await make_user(Role.LEGAL)
    await make_user(Role.SPECIALIST)
    await signed_in(client, Role.AUDITOR)
    page = await client.get("/audit/entries")
    assert page.status_code == 200
    size = int(page.text.split("tree size ", 1)[1].split(")", 1)[0])
    href = f"/audit/proof/inclusion?index=1&amp;tree_size={size}"
    assert href in page.text
    proof = await client.get(href.replace("&amp;", "&"))
    assert proof.status_code == 200
    body = proof.json()
    assert (body["index"], body["tree_size"]) == (1, size)
    overview = await client.get("/audit")
    root_hex = overview.text.split('Root hash (hex)</dt><dd><code class="digest">', 1)[1][:64]
    entry = (
        await audit_log.read_entries(
            1, 2, subject=None, actor_ref=None, limit=1, actor=_admin(UUID(int=0))
        )
    )[0]
    verify_inclusion(
        1, size, entry.leaf_hash, [bytes.fromhex(h) for h in body["proof"]], bytes.fromhex(root_hex)
    )


async def test_a_proof_link_without_a_tree_size_goes_to_the_latest_checkpoint(client) -> None:
    await signed_in(client, Role.AUDITOR)
    response = await client.get("/audit/proof/inclusion?index=0")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/audit/proof/inclusion?index=0&tree_size=")
    beyond = await client.get("/audit/proof/inclusion?index=5000&tree_size=1")
    assert beyond.status_code == 422


async def test_entries_filter_by_actor_action_subject_and_day(client) -> None:
    auditor = await signed_in(client, Role.AUDITOR)
    legal = await make_user(Role.LEGAL)
    page = await client.get(
        f"/audit/entries?action=user.created&subject_type=user&subject_id={legal.id}"
    )
    assert page.status_code == 200
    assert page.text.count('<tr id="entry-') == 1
    mine = await client.get(f"/audit/entries?actor=user:{auditor.id}")
    assert mine.text.count('<tr id="entry-') == 1
    assert "user.signed_in" in mine.text
    idle = await client.get(f"/audit/entries?actor=user:{legal.id}")
    assert idle.text.count('<tr id="entry-') == 0
    assert "No entry passes these filters" in idle.text
    created = await client.get("/audit/entries?action=user.created")
    assert created.text.count('<tr id="entry-') >= 2
    day = _now().date().isoformat()
    today = await client.get(f"/audit/entries?since={day}&until={day}")
    assert today.text.count('<tr id="entry-') >= 2
    none_yet = await client.get("/audit/entries?since=2999-01-01")
    assert none_yet.text.count('<tr id="entry-') == 0


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("colour=red", "colour", "is not a filter of the audit log"),
        ("action=Created!", "action", "is not an action"),
        ("since=yesterday", "since", "is not a date"),
        ("since=2026-03-02&until=2026-03-01", "until", "must not be before"),
        ("subject_id=abc", "subject_type", "type as well"),
        ("start=-4", "start", "is not an entry index"),
        ("start=100&back=0,x", "back", "is not a list of entry indexes"),
        ("action=" + "a." * 150, "action", "at most 200 characters"),
    ],
)
async def test_a_bad_filter_is_named_on_the_page(client, query, field, words) -> None:
    await signed_in(client, Role.AUDITOR)
    page = await client.get(f"/audit/entries?{query}")
    assert page.status_code == 422
    assert f'href="#field-{field}"' in page.text
    assert words in page.text
    assert '<tr id="entry-' not in page.text


async def test_an_erased_entry_names_the_erasure_that_redacted_it(client) -> None:
    admin = await signed_in(client, Role.ADMIN)
    actor = _admin(admin.id)
    legal = await make_user(Role.LEGAL)
    target = (
        await audit_log.read_entries(
            0, None, subject=("user", str(legal.id)), actor_ref=None, limit=1, actor=actor
        )
    )[0].entry.index
    erasure = await audit_log.erase_change(target, reason="court order 12", actor=actor, now=_now())
    page = await client.get(f"/audit/entries?subject_type=user&subject_id={legal.id}")
    row = page.text.split(f'<tr id="entry-{target}">', 1)[1].split("</tr>", 1)[0]
    assert "Erased" in row
    assert f"#entry-{erasure}" in row
    assert "court order 12" in row
    both = await client.get(f"/audit/entries?start={erasure}")
    row = both.text.split(f'<tr id="entry-{erasure}">', 1)[1].split("</tr>", 1)[0]
    assert f"Erases the change of entry #{target}" in row


@pytest.mark.parametrize(("role", "status"), [(Role.AUDITOR, 403), (Role.ADMIN, 200)])
async def test_a_sealed_requests_trail_is_refused_as_the_api_refuses_it(
    client, rulebook, role, status
) -> None:
    sealed = await given_request(
        rulebook, authority=await given_authority(), confidentiality=Confidentiality.SEALED
    )
    await signed_in(client, role)
    page = await client.get(f"/audit/entries?subject_type=request&subject_id={sealed.id}")
    assert page.status_code == status
    if status == 403:
        assert "This request is sealed" in page.text
        assert '<tr id="entry-' not in page.text
    else:
        assert '<tr id="entry-' in page.text


async def test_the_request_pages_trail_links_each_entry_to_its_proof_for_auditors(
    client, rulebook
) -> None:
    reg = await given_request(rulebook)
    await signed_in(client, Role.AUDITOR)
    page = await client.get(f"/requests/{reg.id}")
    assert page.status_code == 200
    first = page.text.split('<tr id="entry-', 1)[1].split('"', 1)[0]
    assert f'href="/audit/proof/inclusion?index={first}"' in page.text


async def test_specialists_see_the_trail_without_proof_links(client, rulebook) -> None:
    reg = await given_request(rulebook)
    await signed_in(client, Role.SPECIALIST)
    page = await client.get(f"/requests/{reg.id}")
    assert "/audit/proof/inclusion" not in page.text
    assert 'href="/audit"' not in page.text


def _admin(user_id: UUID) -> Actor:
    return Actor(kind=ActorKind.USER, id=user_id, role=Role.ADMIN, name="admin")


def _now() -> datetime:
    return T0


def test_the_verify_command_quotes_what_the_shell_would_split() -> None:
    from api.web.audit import verify_command

    assert verify_command("docket-audit-3", ["a+1+B", "x y"]) == (
        "unzip docket-audit-3.zip && docket audit verify docket-audit-3 --vkey a+1+B --vkey 'x y'"
    )


@pytest.mark.parametrize(
    "path",
    [
        "/audit/bundle?tree_size=99999999999999999999",
        "/audit/proof/inclusion?index=99999999999999999999&tree_size=1",
        "/audit/proof/inclusion?index=0&tree_size=9223372036854775807",
        "/audit/proof/inclusion?index=x",
        "/audit/entries?start=999999999999999999",
        "/audit/entries?subject_type=request&subject_id=" + "\u00e9" * 200,
    ],
)
async def test_out_of_range_numbers_and_odd_text_are_a_page_never_a_500(client, path) -> None:
    await signed_in(client, Role.AUDITOR)
    response = await client.get(path)
    assert response.status_code < 500, response.text[:300]


def _entry_rows(html: str) -> list[str]:
    return re.findall(r'<tr id="entry-(\d+)"', html)


def _href(html: str, rel: str) -> str | None:
    found = re.search(rf'href="([^"]+)" rel="{rel}"', html)
    return None if found is None else found.group(1).replace("&amp;", "&")


async def test_previous_links_walk_back_through_filtered_pages(client) -> None:
    for n in range(230):
        await given_authority(f"Authority {n}", "GB")
    await signed_in(client, Role.AUDITOR)  # the sign-in is an entry the filter leaves out
    pages = [await client.get("/audit/entries?action=authority.created")]
    assert _href(pages[0].text, "prev") is None
    while (following := _href(pages[-1].text, "next")) is not None:
        pages.append(await client.get(following))
    assert [len(_entry_rows(p.text)) for p in pages] == [100, 100, 30]
    back = _href(pages[2].text, "prev")
    assert back is not None
    assert "action=authority.created" in back
    second = await client.get(back)
    assert _entry_rows(second.text) == _entry_rows(pages[1].text)
    back = _href(second.text, "prev")
    assert back is not None
    first = await client.get(back)
    assert _entry_rows(first.text) == _entry_rows(pages[0].text)
    assert _href(first.text, "prev") is None
    assert "First entries" not in first.text
