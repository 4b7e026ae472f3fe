"""Sealed requests over HTTP: the assignee, Legal and admins read them; others see an outline.

Every read path is tried for every kind of reader: the list (and its search), one request,
the CSV export, comments and attachments, the response package, reminder offsets, the audit
log's subject filter, and a change (which answers the whole request).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pytest

from domain.identity.model import User
from domain.requests import files as request_files
from domain.requests.fields import Identifier, IdentifierType, RequestRecord
from domain.requests.model import Confidentiality
from domain.shared.model import Role
from tests.api.helpers import assert_problem, bearer
from tests.conftest import PASSWORD, ROOT, T0, make_user
from tests.factories import given_request

SECRET_TEXT = "Sealed order about suspect@example.com"


@dataclass(frozen=True)
class Case:
    """A sealed and a standard request, and each kind of reader's credentials."""

    sealed_id: str
    sealed_reference: str
    standard_id: str
    headers: dict[str, dict[str, str]]


READERS = ("assigned_specialist", "legal", "admin")
OTHERS = ("other_specialist", "auditor", "specialist_token")


async def _login(client, user: User) -> dict[str, str]:
    answer = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


@pytest.fixture
async def case(client, rulebook) -> Case:
    assignee = await make_user(Role.SPECIALIST)
    sealed = await given_request(
        rulebook,
        summary=SECRET_TEXT,
        confidentiality=Confidentiality.SEALED,
        assignee=assignee.id,
        tags=("sealed-tag",),
        record=RequestRecord(
            identifiers=(Identifier(type=IdentifierType.EMAIL, value="suspect@example.com"),)
        ),
    )
    standard = await given_request(rulebook, summary="An ordinary request")
    await request_files.add_comment(sealed.id, "secret comment", actor=ROOT, now=T0)
    headers = {
        "assigned_specialist": await _login(client, assignee),
        "other_specialist": await _login(client, await make_user(Role.SPECIALIST)),
        "legal": await _login(client, await make_user(Role.LEGAL)),
        "admin": await _login(client, await make_user(Role.ADMIN)),
        "auditor": await _login(client, await make_user(Role.AUDITOR)),
        "specialist_token": await bearer(Role.SPECIALIST),
    }
    return Case(str(sealed.id), sealed.reference, str(standard.id), headers)


def _listed(body: dict[str, object], request_id: str) -> dict[str, object] | None:
    items = body["items"]
    assert isinstance(items, list)
    return next((i for i in items if i["id"] == request_id), None)


@pytest.mark.parametrize("who", READERS)
async def test_a_reader_lists_and_reads_a_sealed_request_in_full(client, case, who) -> None:
    headers = case.headers[who]
    row = _listed((await client.get("/api/v1/requests", headers=headers)).json(), case.sealed_id)
    assert row is not None
    assert row["redacted"] is False
    assert row["rule"] == "GB/uk-gdpr.rights-request"
    one = await client.get(f"/api/v1/requests/{case.sealed_id}", headers=headers)
    assert one.status_code == 200
    assert one.json()["summary"] == SECRET_TEXT


@pytest.mark.parametrize("who", OTHERS)
async def test_others_see_only_the_outline_of_a_sealed_request_in_the_list(
    client, case, who
) -> None:
    answer = await client.get("/api/v1/requests", headers=case.headers[who])
    assert answer.status_code == 200
    row = _listed(answer.json(), case.sealed_id)
    assert row is not None
    assert row["redacted"] is True
    assert row["reference"] == case.sealed_reference
    assert row["state"] == "received"
    assert row["due_at"] is not None
    for hidden in ("rule", "jurisdiction", "authority_id", "priority", "received_at", "version"):
        assert row[hidden] is None, hidden
    assert row["assignee"] is None
    standard = _listed(answer.json(), case.standard_id)
    assert standard is not None
    assert standard["redacted"] is False


@pytest.mark.parametrize("who", OTHERS)
async def test_others_get_a_403_for_a_sealed_request_and_everything_of_it(
    client, case, who
) -> None:
    headers = case.headers[who]
    base = f"/api/v1/requests/{case.sealed_id}"
    for path in (
        base,
        f"{base}/comments",
        f"{base}/attachments",
        f"{base}/package/draft",
        f"{base}/package/versions",
        f"{base}/reminders",
    ):
        body = assert_problem(await client.get(path, headers=headers), 403, "request-sealed")
        assert SECRET_TEXT not in str(body)
        assert body["reference"] == case.sealed_reference


@pytest.mark.parametrize("who", READERS)
async def test_a_reader_reads_the_comments_and_package_of_a_sealed_request(
    client, case, who
) -> None:
    base = f"/api/v1/requests/{case.sealed_id}"
    comments = await client.get(f"{base}/comments", headers=case.headers[who])
    assert comments.status_code == 200
    assert "secret comment" in comments.text
    draft = await client.get(f"{base}/package/draft", headers=case.headers[who])
    assert draft.status_code == 200


@pytest.mark.parametrize(
    ("who", "query"),
    [
        (who, query)
        for who in OTHERS
        for query in (
            "q=suspect",
            "tag=sealed-tag",
            "rule=GB/uk-gdpr.rights-request",
            "sort=received",
            "kind=user_data",
        )
    ],
)
async def test_a_filter_on_what_the_outline_hides_leaves_a_sealed_request_out(
    client, case, who, query
) -> None:
    answer = await client.get(f"/api/v1/requests?{query}", headers=case.headers[who])
    assert answer.status_code == 200, answer.text
    assert _listed(answer.json(), case.sealed_id) is None


@pytest.mark.parametrize("who", READERS)
async def test_a_reader_finds_a_sealed_request_by_what_it_names(client, case, who) -> None:
    answer = await client.get("/api/v1/requests?q=suspect", headers=case.headers[who])
    row = _listed(answer.json(), case.sealed_id)
    assert row is not None
    assert row["redacted"] is False


async def test_the_mine_filter_keeps_the_assignees_own_sealed_request(client, case) -> None:
    me = (await client.get("/api/v1/me", headers=case.headers["assigned_specialist"])).json()
    answer = await client.get(
        f"/api/v1/requests?assignee={me['id']}&q=suspect",
        headers=case.headers["assigned_specialist"],
    )
    assert _listed(answer.json(), case.sealed_id) is not None


def _csv_rows(text: str) -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in csv.DictReader(io.StringIO(text))}


@pytest.mark.parametrize("who", OTHERS)
async def test_the_csv_export_gives_others_the_outline_of_a_sealed_request(
    client, case, who
) -> None:
    answer = await client.get("/api/v1/requests/export.csv", headers=case.headers[who])
    assert answer.status_code == 200
    assert SECRET_TEXT not in answer.text
    assert "suspect@example.com" not in answer.text
    row = _csv_rows(answer.text)[case.sealed_id]
    assert row["reference"] == case.sealed_reference
    assert row["confidentiality"] == "sealed"
    assert row["due_at"]
    assert row["summary"] == row["rule"] == row["authority_id"] == row["version"] == ""


@pytest.mark.parametrize("who", READERS)
async def test_the_csv_export_gives_readers_a_sealed_request_in_full(client, case, who) -> None:
    answer = await client.get("/api/v1/requests/export.csv", headers=case.headers[who])
    row = _csv_rows(answer.text)[case.sealed_id]
    assert row["summary"] == SECRET_TEXT


@pytest.mark.parametrize("who", ["other_specialist", "specialist_token"])
async def test_others_cannot_change_a_sealed_request_and_learn_nothing(client, case, who) -> None:
    headers = case.headers[who]
    base = f"/api/v1/requests/{case.sealed_id}"
    for method, path, body in (
        ("post", f"{base}/assign", {"expected_version": 1, "assignee": None}),
        ("post", f"{base}/actions/triage", {"expected_version": 1}),
        ("patch", base, {"expected_version": 1, "summary": "mine now"}),
        ("post", f"{base}/comments", {"body": "hello"}),
    ):
        answer = await client.request(method, path, json=body, headers=headers)
        problem = assert_problem(answer, 403, "request-sealed")
        assert SECRET_TEXT not in str(problem)
    admin = await client.get(base, headers=case.headers["admin"])
    assert admin.json()["version"] == 1
    assert admin.json()["summary"] == SECRET_TEXT


async def test_the_auditor_cannot_filter_the_audit_log_by_a_sealed_request(client, case) -> None:
    path = f"/api/v1/audit/entries?subject_type=request&subject_id={case.sealed_id}"
    assert_problem(await client.get(path, headers=case.headers["auditor"]), 403, "request-sealed")
    standard = f"/api/v1/audit/entries?subject_type=request&subject_id={case.standard_id}"
    assert (await client.get(standard, headers=case.headers["auditor"])).status_code == 200


async def test_an_admin_filters_the_audit_log_by_a_sealed_request(client, case) -> None:
    path = f"/api/v1/audit/entries?subject_type=request&subject_id={case.sealed_id}"
    answer = await client.get(path, headers=case.headers["admin"])
    assert answer.status_code == 200
    assert {e["action"] for e in answer.json()["entries"]} >= {"request.logged"}


@pytest.mark.parametrize("who", ["assigned_specialist", *OTHERS[:2], "legal", "admin"])
async def test_a_calendar_feed_names_a_sealed_request_only_to_its_assignee(
    client, case, who
) -> None:
    made = await client.post("/api/v1/me/calendar-token", headers=case.headers[who])
    assert made.status_code == 201, made.text
    token = made.json()["feed_url"].split("token=", 1)[1]
    feed = await client.get("/api/v1/calendar.ics", params={"token": token})
    assert feed.status_code == 200
    assert SECRET_TEXT not in feed.text
    assert (case.sealed_reference in feed.text) is (who == "assigned_specialist")
