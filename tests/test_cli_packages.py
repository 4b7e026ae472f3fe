"""``docket package`` as an operator runs it: a preview PDF (no version), the versions listed."""

from __future__ import annotations

import asyncio
import hashlib
import io
import uuid
from pathlib import Path

from pypdf import PdfReader

from audit import store
from domain import deadlines
from domain.packages import service as packages
from domain.packages.service import DraftChange
from domain.requests import service as requests
from domain.requests.updates import update_request
from domain.shared import database
from domain.shared.blobs import BlobStore
from domain.shared.model import Role
from tests.conftest import ROOT, T0, docket, make_user
from tests.domain.test_requests_service import given_request


async def _drafted(url: str, text: str) -> tuple[str, str]:
    async with database.connected(url, pool=False):
        reg_request = await given_request(deadlines.load())
        specialist = (await make_user(Role.SPECIALIST)).as_actor()
        if text:
            await packages.update_draft(
                reg_request.id,
                DraftChange(markdown=text),
                expected_revision=0,
                actor=specialist,
                now=T0,
            )
        return reg_request.reference, str(reg_request.id)


async def _package_entries(url: str, request_id: str) -> list[str]:
    async with database.connected(url, pool=False):
        found = await store.entries(subject=("request", request_id), limit=1000)
        versions = await packages.list_versions(uuid.UUID(request_id), actor=ROOT)
    return [e.action for e in found if e.action.startswith("package.")] + [
        f"v{v.number}" for v in versions
    ]


def test_render_writes_the_draft_as_a_pdf_and_creates_no_version(
    env: dict[str, str], database_url: str, tmp_path: Path
) -> None:
    reference, request_id = asyncio.run(_drafted(database_url, "Wir antworten fristgerecht."))
    out = tmp_path / "preview.pdf"
    done = docket("package", "render", reference, "--locale", "de", "--out", str(out), env=env)
    assert done.returncode == 0, done.stderr
    pdf = out.read_bytes()
    digest = hashlib.sha256(pdf).hexdigest()
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert done.stdout.strip() == (
        f"{out}: {reference} (de), {pages} page(s), {len(pdf)} bytes, sha256 {digest}"
    )
    assert "Wir antworten fristgerecht." in "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages
    )
    again = docket(
        "package", "render", reference.lower(), "--locale", "de", "--out", str(out), env=env
    )
    assert again.returncode == 0, again.stderr
    assert hashlib.sha256(out.read_bytes()).hexdigest() == digest
    assert asyncio.run(_package_entries(database_url, request_id)) == ["package.draft_updated"]


def test_render_fails_in_one_line_and_writes_nothing(
    env: dict[str, str], database_url: str, tmp_path: Path
) -> None:
    reference, _ = asyncio.run(_drafted(database_url, ""))
    out = tmp_path / "nothing.pdf"
    unknown = docket("package", "render", "REQ-1999-000001", "--out", str(out), env=env)
    assert unknown.returncode == 2
    assert unknown.stderr.strip().splitlines()[-1].startswith("docket: request REQ-1999-000001")
    empty = docket("package", "render", reference, "--out", str(out), env=env)
    assert empty.returncode == 2
    assert empty.stderr.strip().splitlines()[-1] == (
        "docket: markdown: write the response before building its package"
    )
    bad_locale = docket(
        "package", "render", reference, "--locale", "tlh", "--out", str(out), env=env
    )
    assert bad_locale.returncode == 2
    assert bad_locale.stderr.strip().splitlines()[-1].startswith("docket: locale: not one of")
    assert not out.exists()


async def _built_and_changed(url: str, blobs: Path) -> str:
    async with database.connected(url, pool=False):
        reference, request_id = await _drafted(url, "Our answer.")
        specialist = (await make_user(Role.SPECIALIST)).as_actor()
        for _ in range(2):
            await packages.build_version(
                uuid.UUID(request_id),
                organisation="Acme",
                store=BlobStore(blobs),
                actor=specialist,
                now=T0,
            )
        current = await requests.get_request(uuid.UUID(request_id), actor=ROOT)
        await update_request(
            deadlines.load(),
            current.id,
            expected_version=current.version,
            changes={"legal_basis": "UK GDPR Art 15"},
            actor=specialist,
            now=T0,
        )
        await packages.build_version(
            uuid.UUID(request_id),
            organisation="Acme",
            store=BlobStore(blobs),
            actor=specialist,
            now=T0,
        )
    return reference


def test_list_shows_each_version_and_why_a_stale_one_is_stale(
    env: dict[str, str], database_url: str, tmp_path: Path
) -> None:
    reference = asyncio.run(_built_and_changed(database_url, tmp_path / "blobs"))
    done = docket("package", "list", reference.lower(), env=env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0] == f"{reference}: response revision 1"
    assert len(lines) == 3
    assert lines[1].startswith("version 1  draft")
    assert lines[1].endswith("  STALE: the request's legal basis changed after it was built")
    assert lines[2].startswith("version 2  draft")
    assert "STALE" not in lines[2]
    unknown = docket("package", "list", "REQ-1999-000001", env=env)
    assert unknown.returncode == 2
    assert unknown.stderr.strip().startswith("docket: request REQ-1999-000001")


async def _template_entries(url: str) -> list[str]:
    async with database.connected(url, pool=False):
        found = await store.entries(subject=("letter_template", "fr"), limit=10)
    return [e.action for e in found]


def test_letter_template_shows_the_default_and_sets_both_texts(
    env: dict[str, str], database_url: str
) -> None:
    asyncio.run(_drafted(database_url, ""))  # a migrated database
    shown = docket("package", "letter-template", "fr", env=env)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[:3] == ["fr (default)", "--- greeting", "Madame, Monsieur,"]
    half = docket("package", "letter-template", "fr", "--greeting", "Bonjour", env=env)
    assert half.returncode == 2
    done = docket(
        "package", "letter-template", "fr", "--greeting", "Bonjour,", "--closing", "Cordialement",
        env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("fr (set by cli:")
    assert done.stdout.splitlines()[-1] == "Cordialement"
    assert asyncio.run(_template_entries(database_url)) == ["letter_template.changed"]
    bad = docket("package", "letter-template", "tlh", env=env)
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines()[-1].startswith("docket: locale: not one of")
