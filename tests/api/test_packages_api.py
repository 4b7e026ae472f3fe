"""Response packages over HTTP: draft, build, review by Legal, signed download, problems."""

from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from api.app import app_for, create_app
from api.composition import Composition
from api.settings import ConfigError, PackageSettings, Settings, StorageSettings
from audit import store
from documents.signing import check_signature
from domain.shared.model import Role
from tests.api.helpers import assert_problem, bearer
from tests.api.test_requests_api import log
from tests.conftest import PASSWORD, make_user
from tests.documents.test_signing import nss_db, pdfsig

EXHIBIT = b"%PDF-1.4\n% not really a PDF, but sniffed as one\n%%EOF\n"


async def login(client, role: Role) -> dict[str, str]:
    user = await make_user(role)
    response = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def drafting_request(client, headers: dict[str, str]) -> str:
    body = await log(client, headers)
    request_id, version = str(body["id"]), int(str(body["version"]))
    for action in ("triage", "start", "start_drafting"):
        moved = await client.post(
            f"/api/v1/requests/{request_id}/actions/{action}",
            json={"expected_version": version},
            headers=headers,
        )
        assert moved.status_code == 200, moved.text
        version = moved.json()["version"]
    return request_id


def base(request_id: str) -> str:
    return f"/api/v1/requests/{request_id}/package"


async def put_draft(client, request_id: str, headers, text: str, **more: object):
    current = (await client.get(f"{base(request_id)}/draft", headers=headers)).json()
    body = {"revision": current["revision"], "markdown": text, **more}
    return await client.put(f"{base(request_id)}/draft", json=body, headers=headers)


async def build(client, request_id: str, headers) -> dict[str, object]:
    response = await client.post(f"{base(request_id)}/versions", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


@dataclass
class Approved:
    """A request whose package version 1 Legal has approved."""

    request_id: str
    sha256: str
    signed_sha256: str
    specialist: dict[str, str]
    lawyer: dict[str, str]

    @property
    def one(self) -> str:
        return f"{base(self.request_id)}/versions/1"


async def approved_package(client) -> Approved:
    specialist, lawyer = await login(client, Role.SPECIALIST), await login(client, Role.LEGAL)
    request_id = await drafting_request(client, specialist)
    uploaded = await client.post(
        f"/api/v1/requests/{request_id}/attachments",
        files={"file": ("order.pdf", EXHIBIT, "application/pdf")},
        headers=specialist,
    )
    assert uploaded.status_code == 201, uploaded.text
    exhibits = [{"attachment_id": uploaded.json()["id"], "title": "The order"}]
    drafted = await put_draft(client, request_id, specialist, "Our **answer**.", exhibits=exhibits)
    assert drafted.status_code == 200, drafted.text
    assert drafted.json()["revision"] == 1
    first = await build(client, request_id, specialist)
    version = first["version"]
    assert isinstance(version, dict)
    assert (first["created"], version["number"], version["state"]) == (True, 1, "draft")
    assert (version["stale"], version["available_actions"]) == (False, ["submit"])
    again = await build(client, request_id, specialist)
    assert again["created"] is False
    assert again["version"]["sha256"] == version["sha256"]  # type: ignore[index]
    one = f"{base(request_id)}/versions/1"
    submitted = await client.post(f"{one}/actions/submit", headers=specialist)
    assert submitted.json()["state"] == "submitted", submitted.text
    approved = await client.post(
        f"{one}/actions/approve", json={"sha256": version["sha256"]}, headers=lawyer
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "approved"
    return Approved(
        request_id, str(version["sha256"]), approved.json()["signed_sha256"], specialist, lawyer
    )


async def test_the_approved_pdf_is_signed_and_the_unsigned_one_stays_retrievable(
    client, settings
) -> None:
    """The signature is checked by pyHanko and independently by poppler's pdfsig."""
    done = await approved_package(client)
    download = await client.get(f"{done.one}/pdf", headers=done.specialist)
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["etag"].strip('"') == done.signed_sha256
    reg_request = await client.get(f"/api/v1/requests/{done.request_id}", headers=done.lawyer)
    reference = reg_request.json()["reference"]
    assert f"{reference}-v1-signed.pdf" in download.headers["content-disposition"]
    signed = download.content
    assert hashlib.sha256(signed).hexdigest() == done.signed_sha256
    plain = await client.get(f"{done.one}/pdf", params={"signed": "false"}, headers=done.lawyer)
    unsigned = plain.content
    assert hashlib.sha256(unsigned).hexdigest() == done.sha256
    assert hashlib.sha256(signed[: len(unsigned)]).hexdigest() == done.sha256
    ca = (settings.storage.data_dir / "signing" / "demo-ca.pem").read_bytes()
    check = check_signature(signed, (ca,))
    assert (check.intact, check.valid, check.trusted) == (True, True, True)
    data_dir = settings.storage.data_dir
    report = pdfsig(signed, nss_db(data_dir / "nss", ca), data_dir)
    assert "Signature is Valid." in report
    assert "Certificate is Trusted." in report
    assert "Total document signed" in report
    assert PdfReader(io.BytesIO(unsigned)).attachments["order.pdf"] == [EXHIBIT]


async def test_marking_sent_moves_the_request_and_every_step_is_in_the_audit_log(client) -> None:
    done = await approved_package(client)
    sent = await client.post(f"{done.one}/actions/mark_sent", headers=done.specialist)
    assert sent.json()["state"] == "sent", sent.text
    again = await client.post(f"{done.one}/actions/mark_sent", headers=done.specialist)
    assert_problem(again, 409, "invalid-transition")
    gone = await client.post(f"{done.one}/mark-sent", headers=done.specialist)  # before 1.0
    assert_problem(gone, 404, "not-found")
    path = f"/api/v1/requests/{done.request_id}"
    assert (await client.get(path, headers=done.lawyer)).json()["state"] == "sent"
    listed = (await client.get(f"{base(done.request_id)}/versions", headers=done.lawyer)).json()
    assert [v["number"] for v in listed["items"]] == [1]
    entries = await store.entries(subject=("request", done.request_id), limit=1000)
    steps = [e for e in entries if e.action.startswith("package.")]
    assert [e.action for e in steps] == [
        "package.draft_updated",
        "package.built",
        "package.submitted",
        "package.approved",
        "package.sent",
    ]
    record = await store.changes_for(steps[3].index)
    assert record is not None
    change = record.change()
    assert isinstance(change, dict)
    assert change["after"]["package"]["sha256"] == done.sha256  # type: ignore[index]
    assert change["after"]["package"]["signed_sha256"] == done.signed_sha256  # type: ignore[index]
    assert change["after"]["request_state"] == {"from": "in_legal_review", "to": "approved"}  # type: ignore[index]
    assert steps[3].actor_role == "legal"


async def test_four_eyes_admins_and_wrong_hashes_are_refused_with_problems(client) -> None:
    specialist = await login(client, Role.SPECIALIST)
    drafter, reviewer = await login(client, Role.LEGAL), await login(client, Role.LEGAL)
    admin = await login(client, Role.ADMIN)
    request_id = await drafting_request(client, specialist)
    assert (await put_draft(client, request_id, drafter, "Lawyer's text.")).status_code == 200
    version = (await build(client, request_id, specialist))["version"]
    assert isinstance(version, dict)
    one = f"{base(request_id)}/versions/1"
    early = await client.post(
        f"{one}/actions/approve", json={"sha256": version["sha256"]}, headers=reviewer
    )
    assert_problem(early, 409, "invalid-transition")
    assert (await client.post(f"{one}/actions/submit", headers=specialist)).status_code == 200
    own = await client.post(
        f"{one}/actions/approve", json={"sha256": version["sha256"]}, headers=drafter
    )
    body = assert_problem(own, 403, "self-approval")
    assert body["version"] == 1
    by_admin = await client.post(
        f"{one}/actions/approve", json={"sha256": version["sha256"]}, headers=admin
    )
    assert_problem(by_admin, 403, "transition-not-permitted")
    wrong = await client.post(f"{one}/actions/approve", json={"sha256": "b" * 64}, headers=reviewer)
    assert_problem(wrong, 409, "hash-mismatch")
    malformed = await client.post(
        f"{one}/actions/approve", json={"sha256": "xyz"}, headers=reviewer
    )
    assert_problem(malformed, 400, "validation-failed")
    by_specialist = await client.post(
        f"{one}/actions/approve", json={"sha256": version["sha256"]}, headers=specialist
    )
    assert_problem(by_specialist, 403, "permission-denied")
    read = (await client.get(one, headers=reviewer)).json()
    assert read["state"] == "submitted"
    assert read["available_actions"] == ["approve", "send_back"]
    missing = await client.get(f"{base(request_id)}/versions/9", headers=reviewer)
    assert_problem(missing, 404, "not-found")
    ok = await client.post(
        f"{one}/actions/approve", json={"sha256": version["sha256"]}, headers=reviewer
    )
    assert ok.status_code == 200, ok.text


async def test_a_change_after_approval_makes_the_version_stale(client) -> None:
    specialist, lawyer = await login(client, Role.SPECIALIST), await login(client, Role.LEGAL)
    request_id = await drafting_request(client, specialist)
    await put_draft(client, request_id, specialist, "First.")
    version = (await build(client, request_id, specialist))["version"]
    assert isinstance(version, dict)
    one = f"{base(request_id)}/versions/1"
    await client.post(f"{one}/actions/submit", headers=specialist)
    approved = await client.post(
        f"{one}/actions/approve", json={"sha256": version["sha256"]}, headers=lawyer
    )
    assert approved.status_code == 200, approved.text
    lost = await client.put(
        f"{base(request_id)}/draft", json={"revision": 0, "markdown": "x"}, headers=specialist
    )
    assert_problem(lost, 409, "draft-changed")
    assert (await put_draft(client, request_id, specialist, "Second.")).status_code == 200
    read = (await client.get(one, headers=specialist)).json()
    assert (read["stale"], read["available_actions"]) == (True, [])
    refused = await client.post(f"{one}/actions/mark_sent", headers=specialist)
    assert_problem(refused, 409, "stale-package")
    reg_request = (await client.get(f"/api/v1/requests/{request_id}", headers=lawyer)).json()
    assert reg_request["state"] == "drafting"
    second = await build(client, request_id, specialist)
    assert second["created"] is True
    assert second["version"]["number"] == 2  # type: ignore[index]


async def test_send_back_needs_a_comment_and_unknown_requests_are_not_found(client) -> None:
    specialist, lawyer = await login(client, Role.SPECIALIST), await login(client, Role.LEGAL)
    request_id = await drafting_request(client, specialist)
    await put_draft(client, request_id, specialist, "Text.")
    await build(client, request_id, specialist)
    one = f"{base(request_id)}/versions/1"
    await client.post(f"{one}/actions/submit", headers=specialist)
    empty = await client.post(f"{one}/actions/send_back", json={"comment": ""}, headers=lawyer)
    assert_problem(empty, 400, "validation-failed")
    back = await client.post(
        f"{one}/actions/send_back", json={"comment": "Cite it."}, headers=lawyer
    )
    assert back.status_code == 200, back.text
    assert back.json()["comments"][0]["comment"] == "Cite it."
    unknown = await client.get(f"/api/v1/requests/{uuid.uuid4()}/package/draft", headers=lawyer)
    assert_problem(unknown, 404, "not-found")
    nothing = await client.post(f"{base(request_id)}/versions", headers=await bearer(Role.AUDITOR))
    assert_problem(nothing, 403, "permission-denied")
    bad_locale = await put_draft(client, request_id, specialist, "Text.", locale="xx")
    assert_problem(bad_locale, 422, "invalid-field")


# ---------------------------------------------------------------- the signing identity at start-up
def test_the_signing_files_are_both_set_or_neither(tmp_path: Path) -> None:
    env = {"DOCKET_DATA_DIR": str(tmp_path), "DOCKET_SIGNING_CERT": str(tmp_path / "c.pem")}
    with pytest.raises(ConfigError, match="set both or neither"):
        Settings.from_env(env)
    parsed = Settings.from_env({"DOCKET_DATA_DIR": str(tmp_path), "DOCKET_ORGANISATION": "Acme"})
    assert parsed.packages == PackageSettings(organisation="Acme")


def test_bad_signing_files_stop_the_app_at_start_up_and_good_ones_are_used(
    settings: Settings, tmp_path: Path
) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("not a certificate")
    key.write_text("not a key")
    bad = replace(settings, packages=replace(settings.packages, signing_cert=cert, signing_key=key))
    with pytest.raises(ConfigError, match="DOCKET_SIGNING_CERT"):
        create_app(bad, pool=False)
    demo = Composition(replace(settings, storage=StorageSettings(data_dir=tmp_path / "other")))
    app_for(demo, pool=False)
    made = tmp_path / "other" / "signing"
    files = {"signing_cert": made / "signing-cert.pem", "signing_key": made / "signing-key.pem"}
    own = Composition(replace(settings, packages=replace(settings.packages, **files)))
    app_for(own, pool=False)
    assert own.signing_identity == demo.signing_identity
    assert not (settings.storage.data_dir / "signing").exists()


async def test_an_approved_version_goes_stale_when_the_request_it_prints_changes(client) -> None:
    done = await approved_package(client)
    url = f"/api/v1/requests/{done.request_id}"
    current = (await client.get(url, headers=done.specialist)).json()
    edited = await client.patch(
        url,
        json={"expected_version": current["version"], "authority_reference": "ICO/2026/17"},
        headers=done.specialist,
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["state"] == "drafting"
    read = (await client.get(done.one, headers=done.specialist)).json()
    assert (read["state"], read["stale"], read["available_actions"]) == ("approved", True, [])
    assert read["stale_fields"] == ["authority_reference"]
    assert read["stale_reason"] == "the request's authority reference changed after it was built"
    refused = await client.post(f"{done.one}/actions/mark_sent", headers=done.specialist)
    problem = assert_problem(refused, 409, "request-changed")
    assert problem["stale_fields"] == "authority_reference"
    assert problem["detail"] == (
        "Version 1 was built before the request's authority reference changed, so its letter "
        "no longer matches the request; build a new version and have it approved."
    )
    listed = (await client.get(f"{base(done.request_id)}/versions", headers=done.lawyer)).json()
    assert [v["stale_fields"] for v in listed["items"]] == [["authority_reference"]]
    schema = (await client.get("/schema/openapi.json")).json()
    version_schema = schema["components"]["schemas"]["PackageVersionRead"]
    assert {"stale", "stale_fields", "stale_reason"} <= set(version_schema["required"])
