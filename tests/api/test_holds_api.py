"""The legal-hold endpoints: lifecycle, partial releases and the preservation check."""

from __future__ import annotations

import uuid

from audit import store
from domain.shared.model import Role
from tests.api.helpers import assert_problem, bearer

HOLD = {
    "matter": "MAT-2026-017",
    "title": "Acme v. Roe",
    "custodians": [
        {"email": "Jane.Roe@example.com", "name": "Jane Roe", "manager_email": "boss@example.com"}
    ],
    "data_sources": [{"system": "exchange", "identifier": "jane.roe@example.com"}],
    "scope_start": "2026-01-01",
    "scope_end": "2026-03-31",
    "keywords": ["merger"],
    "scope_description": "Q1 trading",
    "notice_text": "Do not delete anything about the merger.",
}


async def _active(client, headers: dict[str, str], matter: str) -> str:
    created = await client.post("/api/v1/holds", json={**HOLD, "matter": matter}, headers=headers)
    assert created.status_code == 201, created.text
    hold_id: str = created.json()["id"]
    issued = await client.post(
        f"/api/v1/holds/{hold_id}/actions/issue", json={"expected_version": 1}, headers=headers
    )
    assert issued.status_code == 200, issued.text
    return hold_id


async def _audit_actions(hold_id: str) -> list[str]:
    return [e.action for e in await store.entries(subject=("legal_hold", hold_id))]


async def test_legal_drafts_issues_and_releases_a_hold(client) -> None:
    legal = await bearer(Role.LEGAL)
    created = await client.post("/api/v1/holds", json=HOLD, headers=legal)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["state"], body["version"]) == ("draft", 1)
    assert body["available_actions"] == ["issue"]
    assert body["custodians"][0]["email"] == "jane.roe@example.com"
    assert body["data_sources"][0]["data_source"] == "exchange:jane.roe@example.com"
    hold_id = body["id"]
    actions = f"/api/v1/holds/{hold_id}/actions"
    issued = await client.post(f"{actions}/issue", json={"expected_version": 1}, headers=legal)
    assert (issued.json()["state"], issued.json()["version"]) == ("issued", 2), issued.text
    again = await client.post(f"{actions}/issue", json={"expected_version": 2}, headers=legal)
    problem = assert_problem(again, 409, "invalid-transition")
    assert (problem["kind"], problem["state"], problem["action"]) == (
        "legal hold",
        "issued",
        "issue",
    )
    stale = await client.post(f"{actions}/release", json={"expected_version": 1}, headers=legal)
    assert assert_problem(stale, 409, "stale-version")["version"] == 2
    released = await client.post(f"{actions}/release", json={"expected_version": 2}, headers=legal)
    assert released.status_code == 200, released.text
    assert released.json()["state"] == "released"
    read = await client.get(f"/api/v1/holds/{hold_id}", headers=legal)
    assert (read.json()["state"], read.json()["version"]) == ("released", 3)
    gone = await client.post(f"/api/v1/holds/{hold_id}/release", json={}, headers=legal)
    assert_problem(gone, 404, "not-found")  # the paths of before 1.0
    assert await _audit_actions(hold_id) == ["hold.created", "hold.issued", "hold.released"]


async def test_a_specialist_can_read_but_not_issue(client) -> None:
    hold_id = await client.post("/api/v1/holds", json=HOLD, headers=await bearer(Role.ADMIN))
    hold_id = hold_id.json()["id"]
    specialist = await bearer(Role.SPECIALIST)
    refused = await client.post(
        f"/api/v1/holds/{hold_id}/actions/issue", json={"expected_version": 1}, headers=specialist
    )
    assert_problem(refused, 403, "permission-denied")
    read = await client.get(f"/api/v1/holds/{hold_id}", headers=specialist)
    assert read.status_code == 200
    assert read.json()["available_actions"] == []
    assert await _audit_actions(hold_id) == ["hold.created"]


async def test_releasing_a_custodian_held_elsewhere_keeps_them_preserved(client) -> None:
    legal = await bearer(Role.LEGAL)
    first = await _active(client, legal, "MAT-1")
    second = await _active(client, legal, "MAT-2")
    released = await client.post(
        f"/api/v1/holds/{first}/actions/release_custodian",
        json={"expected_version": 2, "email": "jane.roe@example.com"},
        headers=legal,
    )
    assert released.status_code == 200, released.text
    body = released.json()
    assert body["preserved"] is True
    assert body["still_covered_by"] == [
        {"id": second, "matter": "MAT-2", "matched": ["custodian:jane.roe@example.com"]}
    ]
    assert body["hold"]["custodians"][0]["released_at"] is not None
    assert body["hold"]["version"] == 3
    twice = await client.post(
        f"/api/v1/holds/{first}/actions/release_custodian",
        json={"expected_version": 3, "email": "jane.roe@example.com"},
        headers=legal,
    )
    assert_problem(twice, 409, "already-released")
    source = await client.post(
        f"/api/v1/holds/{second}/actions/release_data_source",
        json={"expected_version": 2, "data_source": "exchange:jane.roe@example.com"},
        headers=legal,
    )
    assert source.json()["still_covered_by"] == [
        {"id": first, "matter": "MAT-1", "matched": ["exchange:jane.roe@example.com"]}
    ]
    assert (await _audit_actions(first))[-1] == "hold.custodian_released"
    assert (await _audit_actions(second))[-1] == "hold.data_source_released"


JANE = "custodian:jane.roe@example.com"
MAILBOX = "exchange:jane.roe@example.com"


async def test_the_preservation_check_answers_a_system_token(client) -> None:
    legal = await bearer(Role.LEGAL)
    hold_id = await _active(client, legal, "MAT-1")
    system = await bearer(Role.SYSTEM)
    held = await client.get(
        "/api/v1/holds/check", params={"custodian": "JANE.ROE@example.com"}, headers=system
    )
    assert held.status_code == 200, held.text
    assert held.json() == {
        "preserved": True,
        "holds": [
            {"id": hold_id, "matter": "MAT-1", "matched": ["custodian:jane.roe@example.com"]}
        ],
        "checked": ["custodian:jane.roe@example.com"],
    }
    source = await client.get(
        "/api/v1/holds/check",
        params={"data_source": "exchange:jane.roe@example.com"},
        headers=system,
    )
    assert source.json()["preserved"] is True
    free = await client.get(
        "/api/v1/holds/check", params={"data_source": "drive:other"}, headers=system
    )
    assert free.json() == {"preserved": False, "holds": [], "checked": ["drive:other"]}
    assert_problem(await client.get("/api/v1/holds/check", headers=system), 422, "invalid-field")
    loud = await client.get(
        "/api/v1/holds/check",
        params={"data_source": "EXCHANGE:Jane.Roe@EXAMPLE.com"},
        headers=system,
    )
    assert loud.json() == {
        "preserved": True,
        "holds": [{"id": hold_id, "matter": "MAT-1", "matched": [MAILBOX]}],
        "checked": [MAILBOX],
    }
    anonymous = await client.get("/api/v1/holds/check", params={"custodian": "a@example.com"})
    assert_problem(anonymous, 401, "missing-credentials")
    listing = await client.get("/api/v1/holds", headers=system)
    assert_problem(listing, 403, "permission-denied")


async def test_the_list_pages_and_filters_by_state(client, clock) -> None:
    legal = await bearer(Role.LEGAL)
    active = await _active(client, legal, "MAT-1")
    clock.advance(minutes=1)
    draft = (await client.post("/api/v1/holds", json=HOLD, headers=legal)).json()["id"]
    page = await client.get("/api/v1/holds", params={"limit": 1}, headers=legal)
    assert [h["id"] for h in page.json()["items"]] == [draft]
    cursor = page.json()["next_cursor"]
    rest = await client.get("/api/v1/holds", params={"limit": 1, "cursor": cursor}, headers=legal)
    assert [h["id"] for h in rest.json()["items"]] == [active]
    assert rest.json()["next_cursor"] is None
    only = await client.get("/api/v1/holds", params={"state": "issued"}, headers=legal)
    assert [h["id"] for h in only.json()["items"]] == [active]
    assert page.json()["prev_cursor"] is None
    back = await client.get(
        "/api/v1/holds", params={"limit": 1, "before": rest.json()["prev_cursor"]}, headers=legal
    )
    assert [h["id"] for h in back.json()["items"]] == [draft]
    assert back.json()["prev_cursor"] is None
    found = await client.get("/api/v1/holds", params={"q": "mat-1"}, headers=legal)
    assert [h["id"] for h in found.json()["items"]] == [active]


async def test_an_unknown_hold_is_a_404(client) -> None:
    response = await client.get(f"/api/v1/holds/{uuid.uuid4()}", headers=await bearer(Role.LEGAL))
    assert_problem(response, 404, "not-found")


async def test_the_release_check_names_what_stays_preserved_and_the_reason_is_recorded(
    client,
) -> None:
    legal = await bearer(Role.LEGAL)
    first = await _active(client, legal, "MAT-1")
    second = await _active(client, legal, "MAT-2")
    check = await client.get(
        f"/api/v1/holds/{first}/release-check",
        params={"custodian": "Jane.Roe@example.com"},
        headers=await bearer(Role.AUDITOR),
    )
    assert check.status_code == 200, check.text
    assert check.json() == {
        "items": [JANE],
        "warn": True,
        "preservation_until": None,
        "still_covered_by": [{"id": second, "matter": "MAT-2", "matched": [JANE]}],
    }
    whole = await client.get(f"/api/v1/holds/{first}/release-check", headers=legal)
    assert whole.json()["items"] == [JANE, MAILBOX]
    unknown = await client.get(
        f"/api/v1/holds/{first}/release-check", params={"data_source": "drive:x"}, headers=legal
    )
    assert_problem(unknown, 404, "not-found")
    released = await client.post(
        f"/api/v1/holds/{first}/actions/release",
        json={"expected_version": 2, "reason": "Matter settled"},
        headers=legal,
    )
    assert released.status_code == 200, released.text
    entry = (await store.entries(subject=("legal_hold", first)))[-1]
    record = await store.changes_for(entry.index)
    assert record is not None
    assert record.change()["after"]["reason"] == "Matter settled"  # type: ignore[index,call-overload]
    after = await client.get(f"/api/v1/holds/{second}/release-check", headers=legal)
    assert after.json()["warn"] is False  # nothing else covers the second hold's items now
