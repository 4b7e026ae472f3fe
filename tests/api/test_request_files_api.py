"""Comments and attachments over HTTP: sniffed types, digests, limits, and who may do what."""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from api.app import create_app
from api.settings import Settings
from audit import store
from domain import deadlines
from domain.shared.model import Role
from tests.api.helpers import assert_problem, bearer
from tests.api.test_requests_api import log
from tests.conftest import FixedClock

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
LIMIT = 1024


@pytest.fixture
async def small_client(
    settings: Settings, clock: FixedClock, rulebook: deadlines.RuleBook, db: str
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    small = replace(settings, storage=replace(settings.storage, attachment_max_bytes=LIMIT))
    app = create_app(small, clock=clock, pool=False, rulebook=rulebook)
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


def blob_files(settings: Settings) -> list[Path]:
    root = settings.storage.blob_root
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def upload(client, request_id: object, headers, file: tuple[str, bytes, str]):
    return await client.post(
        f"/api/v1/requests/{request_id}/attachments",
        files={"file": file},
        headers=headers,
    )


async def test_a_document_round_trips_with_its_digest(client, settings: Settings) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(client, specialist)
    response = await upload(client, logged["id"], specialist, ("évidence 1.pdf", PDF, "text/html"))
    assert response.status_code == 201, response.text
    meta = response.json()
    digest = hashlib.sha256(PDF).hexdigest()
    assert (meta["sha256"], meta["size"], meta["media_type"]) == (
        digest,
        len(PDF),
        "application/pdf",
    )
    assert meta["original_name"] == "évidence 1.pdf"
    assert meta["uploaded_by"].startswith("token:")
    auditor = await bearer(Role.AUDITOR)
    listed = await client.get(f"/api/v1/requests/{logged['id']}/attachments", headers=auditor)
    assert listed.json() == {"items": [meta]}
    got = await client.get(
        f"/api/v1/requests/{logged['id']}/attachments/{meta['id']}", headers=auditor
    )
    assert got.status_code == 200
    assert got.content == PDF
    assert got.headers["content-type"] == "application/pdf"
    b64 = base64.b64encode(hashlib.sha256(got.content).digest()).decode()
    assert got.headers["repr-digest"] == f"sha-256=:{b64}:"
    assert got.headers["content-disposition"] == (
        "attachment; filename=\"_vidence 1.pdf\"; filename*=UTF-8''%C3%A9vidence%201.pdf"
    )
    assert got.headers["x-content-type-options"] == "nosniff"
    trail = await store.entries(subject=("request", str(logged["id"])))
    assert [e.action for e in trail] == ["request.logged", "request.document_attached"]


async def test_the_type_comes_from_the_bytes_not_the_client(client, settings: Settings) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(client, specialist)
    pdf = await upload(
        client, logged["id"], specialist, ("evil.exe", PDF, "application/x-msdownload")
    )
    assert pdf.json()["media_type"] == "application/pdf"
    html = await upload(client, logged["id"], specialist, ("page.html", HTML, "text/html"))
    assert html.json()["media_type"] == "text/plain; charset=utf-8"
    got = await client.get(
        f"/api/v1/requests/{logged['id']}/attachments/{html.json()['id']}", headers=specialist
    )
    assert got.content == HTML
    assert got.headers["content-type"] == "text/plain; charset=utf-8"
    assert got.headers["content-disposition"].startswith("attachment;")


async def test_a_csv_upload_is_text_csv_with_one_charset(client, settings: Settings) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(client, specialist)
    rows = b"account,seen\r\n@a,2026-03-01\r\n"
    up = await upload(client, logged["id"], specialist, ("accounts.csv", rows, "text/plain"))
    assert up.json()["media_type"] == "text/csv; charset=utf-8"
    got = await client.get(
        f"/api/v1/requests/{logged['id']}/attachments/{up.json()['id']}", headers=specialist
    )
    assert (got.content, got.headers["content-type"]) == (rows, "text/csv; charset=utf-8")


async def test_an_empty_file_is_a_422_and_nothing_is_kept(client, settings: Settings) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(client, specialist)
    response = await upload(client, logged["id"], specialist, ("empty.pdf", b"", "application/pdf"))
    assert assert_problem(response, 422, "invalid-field")["field"] == "file"
    assert blob_files(settings) == []
    listed = await client.get(f"/api/v1/requests/{logged['id']}/attachments", headers=specialist)
    assert listed.json() == {"items": []}


async def test_the_same_file_twice_is_stored_once(client, settings: Settings) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(client, specialist)
    first = await upload(client, logged["id"], specialist, ("a.pdf", PDF, "application/pdf"))
    second = await upload(client, logged["id"], specialist, ("b.pdf", PDF, "application/pdf"))
    assert first.json()["sha256"] == second.json()["sha256"]
    assert len(blob_files(settings)) == 1
    listed = await client.get(f"/api/v1/requests/{logged['id']}/attachments", headers=specialist)
    assert sorted(a["original_name"] for a in listed.json()["items"]) == ["a.pdf", "b.pdf"]


async def test_a_traversal_name_is_only_metadata(client, settings: Settings) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(client, specialist)
    response = await upload(
        client, logged["id"], specialist, ("../../etc/passwd", b"root:x:0:0", "")
    )
    assert response.status_code == 201, response.text
    assert response.json()["original_name"] == "passwd"
    digest = response.json()["sha256"]
    root = settings.storage.blob_root
    assert blob_files(settings) == [root / digest[:2] / digest[2:4] / digest]


@pytest.mark.parametrize("size", [LIMIT + 1, LIMIT * 200], ids=["just-over", "far-over"])
async def test_a_file_over_the_limit_is_refused_and_nothing_kept(
    small_client, settings: Settings, size: int
) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(small_client, specialist)
    response = await upload(
        small_client, logged["id"], specialist, ("big.txt", b"x" * size, "text/plain")
    )
    if size == LIMIT + 1:
        problem = assert_problem(response, 413, "attachment-too-large")
        assert problem["max_bytes"] == LIMIT
    else:  # refused by the body limit before a byte reaches the store
        assert_problem(response, 413, "too-large")
    assert blob_files(settings) == []
    listed = await small_client.get(
        f"/api/v1/requests/{logged['id']}/attachments", headers=specialist
    )
    assert listed.json() == {"items": []}
    trail = await store.entries(subject=("request", str(logged["id"])))
    assert [e.action for e in trail] == ["request.logged"]
    exact = await upload(small_client, logged["id"], specialist, ("ok.txt", b"y" * LIMIT, ""))
    assert exact.status_code == 201, exact.text


async def test_comments_are_added_listed_and_audited(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(client, specialist)
    path = f"/api/v1/requests/{logged['id']}/comments"
    added = await client.post(path, json={"body": "Scope confirmed by phone"}, headers=specialist)
    assert added.status_code == 201, added.text
    assert added.json()["body"] == "Scope confirmed by phone"
    auditor = await bearer(Role.AUDITOR)
    listed = await client.get(path, headers=auditor)
    assert listed.json() == {"items": [added.json()]}
    trail = await store.entries(subject=("request", str(logged["id"])))
    assert [e.action for e in trail] == ["request.logged", "request.commented"]
    assert_problem(
        await client.post(path, json={"body": "  "}, headers=specialist), 422, "invalid-field"
    )
    assert_problem(
        await client.post(path, json={"body": ""}, headers=specialist), 400, "validation-failed"
    )


async def test_unknown_requests_and_attachments_are_problems(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(client, specialist)
    missing = f"/api/v1/requests/{uuid.uuid4()}"
    assert_problem(await client.get(f"{missing}/comments", headers=specialist), 404, "not-found")
    response = await upload(client, uuid.uuid4(), specialist, ("a.pdf", PDF, "application/pdf"))
    assert_problem(response, 404, "not-found")
    got = await client.get(
        f"/api/v1/requests/{logged['id']}/attachments/{uuid.uuid4()}", headers=specialist
    )
    assert assert_problem(got, 404, "not-found")["kind"] == "attachment"
    no_file = await client.post(
        f"/api/v1/requests/{logged['id']}/attachments",
        files={"other": ("a.pdf", PDF, "application/pdf")},
        headers=specialist,
    )
    assert_problem(no_file, 400, "validation-failed")


async def test_auditors_only_read_and_system_tokens_see_nothing(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(client, specialist)
    uploaded = await upload(client, logged["id"], specialist, ("a.pdf", PDF, "application/pdf"))
    base = f"/api/v1/requests/{logged['id']}"
    auditor, system = await bearer(Role.AUDITOR), await bearer(Role.SYSTEM)
    assert (
        await client.get(f"{base}/attachments/{uploaded.json()['id']}", headers=auditor)
    ).content == PDF
    denied = [
        await client.post(f"{base}/comments", json={"body": "x"}, headers=auditor),
        await upload(client, logged["id"], auditor, ("a.pdf", PDF, "application/pdf")),
        await client.get(f"{base}/comments", headers=system),
        await client.get(f"{base}/attachments", headers=system),
        await client.get(f"{base}/attachments/{uploaded.json()['id']}", headers=system),
    ]
    for response in denied:
        assert_problem(response, 403, "permission-denied")
