"""Editing requests over HTTP and exporting them as CSV (filters, every field, streamed)."""

from __future__ import annotations

import csv
import io
import json

from audit import store
from domain.requests.csv_format import EXPORT_COLUMNS
from domain.shared.model import Role
from tests.api.helpers import assert_problem, bearer
from tests.api.test_requests_api import log, new_authority, request_body


async def test_a_patch_changes_the_fields_given_and_is_audited(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(client, specialist)
    body = {
        "expected_version": 1,
        "service": "Marketplace",
        "data_scope": "non_content",
        "identifiers": [{"type": "account", "value": "@seller"}],
        "received_at": "2026-02-20T10:00:00+00:00",
    }
    response = await client.patch(f"/api/v1/requests/{logged['id']}", json=body, headers=specialist)
    assert response.status_code == 200, response.text
    edited = response.json()
    assert (edited["version"], edited["service"], edited["data_scope"]) == (
        2,
        "Marketplace",
        "non_content",
    )
    assert edited["identifiers"] == [{"type": "account", "value": "@seller"}]
    assert edited["summary"] == logged["summary"]
    assert edited["due_at"] < logged["due_at"]
    entries = await store.entries(subject=("request", str(logged["id"])))
    assert [e.action for e in entries] == ["request.logged", "request.updated"]
    change = (await store.changes_for(entries[-1].index)).change()  # type: ignore[union-attr]
    assert change["before"]["service"] == ""
    assert change["after"]["service"] == "Marketplace"


async def test_a_stale_or_invalid_patch_is_a_problem(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(client, specialist)
    url = f"/api/v1/requests/{logged['id']}"
    stale = await client.patch(
        url, json={"expected_version": 5, "summary": "x"}, headers=specialist
    )
    assert assert_problem(stale, 409, "stale-version")["version"] == 1
    reject = {"expected_version": 1, "data_outcome": "rejected"}
    invalid = await client.patch(url, json=reject, headers=specialist)
    assert assert_problem(invalid, 422, "invalid-field")["field"] == "data_rejection_reason"
    auditor = await bearer(Role.AUDITOR)
    denied = await client.patch(url, json={"expected_version": 1}, headers=auditor)
    assert_problem(denied, 403, "permission-denied")


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


async def test_the_export_has_every_column_and_honours_the_filters(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    data = await log(client, specialist, emergency=True)
    authority = await new_authority(client, specialist, name="Arcom")
    content = request_body(authority, kind="content_action", instrument="removal_order")
    logged = await client.post("/api/v1/requests", json=content, headers=specialist)
    assert logged.status_code == 201, logged.text
    auditor = await bearer(Role.AUDITOR)
    response = await client.get("/api/v1/requests/export.csv", headers=auditor)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.text.splitlines()[0].split(",") == list(EXPORT_COLUMNS)
    rows = _rows(response.text)
    assert len(rows) == 2
    first = next(r for r in rows if r["id"] == data["id"])
    assert (first["reference"], first["emergency"], first["kind"]) == (
        data["reference"],
        "true",
        "user_data",
    )
    assert json.loads(first["tags"]) == ["csam"]
    assert json.loads(first["identifiers"]) == []
    only = await client.get(
        "/api/v1/requests/export.csv", params={"kind": "content_action"}, headers=auditor
    )
    assert [r["kind"] for r in _rows(only.text)] == ["content_action"]
    urgent = await client.get(
        "/api/v1/requests/export.csv",
        params={"emergency": "true", "country": "gb"},
        headers=auditor,
    )
    assert [r["id"] for r in _rows(urgent.text)] == [data["id"]]
    nowhere = await client.get(
        "/api/v1/requests/export.csv", params={"country": "FR"}, headers=auditor
    )
    assert _rows(nowhere.text) == []


async def test_the_export_pages_through_more_requests_than_a_page(client, monkeypatch) -> None:
    from domain.requests import queries as request_queries

    monkeypatch.setattr(request_queries, "MAX_PAGE", 2)
    specialist = await bearer(Role.SPECIALIST)
    ids = {str((await log(client, specialist))["id"]) for _ in range(5)}
    response = await client.get("/api/v1/requests/export.csv", headers=specialist)
    assert {r["id"] for r in _rows(response.text)} == ids


async def test_the_list_filters_on_the_report_fields(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    await log(client, specialist, dsa_basis="art10")
    await log(client, specialist)
    found = await client.get("/api/v1/requests", params={"dsa_basis": "art10"}, headers=specialist)
    assert found.status_code == 200, found.text
    assert len(found.json()["items"]) == 1


async def test_a_request_can_be_logged_with_its_report_fields(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(
        client,
        specialist,
        kind="content_action",
        content_items=[{"ref": "https://x.example/p/1", "action": "removed", "basis": "law"}],
        nondisclosure_order=True,
        nondisclosure_expires_on="2026-09-01",
    )
    assert logged["content_items"] == [
        {"ref": "https://x.example/p/1", "description": "", "action": "removed", "basis": "law"}
    ]
    assert (logged["nondisclosure_order"], logged["nondisclosure_expires_on"]) == (
        True,
        "2026-09-01",
    )
    authority = await new_authority(client, specialist)
    body = request_body(authority, kind="content_action", data_outcome="all")
    refused = await client.post("/api/v1/requests", json=body, headers=specialist)
    assert assert_problem(refused, 422, "invalid-field")["field"] == "data_outcome"
