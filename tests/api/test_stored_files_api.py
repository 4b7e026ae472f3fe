"""A database whose files are not stored (restored alone): not ready, and 410 for each file."""

from __future__ import annotations

import hashlib

from api.settings import Settings
from domain.shared.model import Role
from tests.api.helpers import assert_problem, bearer
from tests.api.test_packages_api import build, drafting_request, login, put_draft
from tests.api.test_request_files_api import PDF, upload
from tests.api.test_requests_api import log


async def test_a_missing_attachment_makes_docket_not_ready_and_its_download_410(
    client, settings: Settings
) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(client, specialist)
    meta = (await upload(client, logged["id"], specialist, ("order.pdf", PDF, "x/y"))).json()
    url = f"/api/v1/requests/{logged['id']}/attachments/{meta['id']}"
    assert (await client.get("/readyz")).status_code == 200
    blob = settings.storage.blob_root / meta["sha256"][:2] / meta["sha256"][2:4] / meta["sha256"]
    blob.unlink()
    body = assert_problem(await client.get("/readyz"), 503, "not-ready")
    assert "1 stored file(s)" in str(body["detail"])
    assert meta["sha256"] not in str(body["detail"])  # a public probe names no content
    gone = assert_problem(await client.get(url, headers=specialist), 410, "stored-file-missing")
    assert "restore it from a backup" in str(gone["detail"])
    # the bytes put back: ready again, and the download answers
    blob.write_bytes(PDF)
    assert (await client.get("/readyz")).json()["status"] == "ready"
    assert (await client.get(url, headers=specialist)).content == PDF


async def test_a_missing_package_pdf_is_410_not_a_server_error(client, settings: Settings) -> None:
    specialist = await login(client, Role.SPECIALIST)
    request_id = await drafting_request(client, specialist)
    assert (await put_draft(client, request_id, specialist, "Our answer.")).status_code == 200
    built = await build(client, request_id, specialist)
    sha256 = str(built["version"]["sha256"])  # type: ignore[index]
    url = f"/api/v1/requests/{request_id}/package/versions/1/pdf"
    pdf = (await client.get(url, headers=specialist)).content
    assert hashlib.sha256(pdf).hexdigest() == sha256
    (settings.storage.blob_root / sha256[:2] / sha256[2:4] / sha256).unlink()
    assert_problem(await client.get(url, headers=specialist), 410, "stored-file-missing")
    assert_problem(await client.get("/readyz"), 503, "not-ready")
