"""Authorities and regulatory requests over HTTP: log, list, act, and the problems on the way."""

from __future__ import annotations

import uuid

from domain.shared.model import Role
from tests.api.helpers import assert_problem, bearer
from tests.conftest import make_user

GB_RIGHTS = "GB/uk-gdpr.rights-request"
NO_STOP = "KR/pipa.access-request"


async def new_authority(client, headers: dict[str, str], name: str = "Ofcom") -> str:
    body = {"name": name, "country": "gb", "type": "regulator", "contact": "osa@ofcom.example"}
    response = await client.post("/api/v1/authorities", json=body, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["country"] == "GB"
    return str(response.json()["id"])


def request_body(authority: str, **overrides: object) -> dict[str, object]:
    return {
        "authority_id": authority,
        "rule": GB_RIGHTS,
        "received_at": "2026-03-01T10:00:00+00:00",
        "channel": "portal",
        "kind": "user_data",
        "instrument": "information_request",
        "summary": "Subscriber data for one account",
        "authority_reference": "OF-2026-17",
        "tags": ["csam"],
        **overrides,
    }


async def log(client, headers: dict[str, str], **overrides: object) -> dict[str, object]:
    authority_id = await new_authority(client, headers)
    response = await client.post(
        "/api/v1/requests", json=request_body(authority_id, **overrides), headers=headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


async def test_a_specialist_logs_a_request_and_sees_its_deadline(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(client, specialist)
    assert logged["reference"] == "REQ-2026-000001"
    assert (logged["state"], logged["version"]) == ("received", 1)
    assert logged["due_at"] == "2026-04-01T22:59:59.999999Z"
    assert logged["due_date"] == "2026-04-01"
    assert logged["extended_due_at"] is not None
    assert logged["available_actions"] == ["triage", "reject", "withdraw"]
    auditor = await bearer(Role.AUDITOR)
    seen = await client.get(f"/api/v1/requests/{logged['id']}", headers=auditor)
    assert seen.status_code == 200
    assert seen.json()["available_actions"] == []
    assert {k: v for k, v in seen.json().items() if k != "available_actions"} == {
        k: v for k, v in logged.items() if k != "available_actions"
    }


async def test_logging_problems_name_the_field(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    authority_id = await new_authority(client, specialist)
    cases = [
        ({"rule": "GB/nope"}, 422, "invalid-field", "rule"),
        ({"received_at": "2026-03-01T10:00:00"}, 422, "invalid-deadline-input", "received_at"),
        ({"authority_id": str(uuid.uuid4())}, 422, "invalid-field", "authority_id"),
        ({"subdivision": "XX"}, 422, "invalid-deadline-input", "subdivision"),
        ({"priority": "whenever"}, 400, "validation-failed", None),
    ]
    for overrides, status, slug, field in cases:
        response = await client.post(
            "/api/v1/requests", json=request_body(authority_id, **overrides), headers=specialist
        )
        problem = assert_problem(response, status, slug)
        if field is not None:
            assert problem["field"] == field
    listed = await client.get("/api/v1/requests", headers=specialist)
    assert listed.json() == {"items": [], "next_cursor": None}


async def test_steps_are_taken_with_the_version_read_and_refused_with_problems(client) -> None:
    specialist, legal = await bearer(Role.SPECIALIST), await bearer(Role.LEGAL)
    logged = await log(client, specialist)
    base = f"/api/v1/requests/{logged['id']}"
    triaged = await client.post(
        f"{base}/actions/triage", json={"expected_version": 1, "note": "ok"}, headers=specialist
    )
    assert triaged.status_code == 200, triaged.text
    assert (triaged.json()["state"], triaged.json()["version"]) == ("triaged", 2)
    stale = await client.post(
        f"{base}/actions/start", json={"expected_version": 1}, headers=specialist
    )
    assert assert_problem(stale, 409, "stale-version")["version"] == 2
    invalid = await client.post(
        f"{base}/actions/approve", json={"expected_version": 2}, headers=legal
    )
    problem = assert_problem(invalid, 409, "invalid-transition")
    assert (problem["state"], problem["action"]) == ("triaged", "approve")
    wrong_role = await client.post(
        f"{base}/actions/start", json={"expected_version": 2}, headers=legal
    )
    assert_problem(wrong_role, 403, "transition-not-permitted")
    unknown = await client.post(
        f"{base}/actions/fly", json={"expected_version": 2}, headers=specialist
    )
    assert_problem(unknown, 400, "validation-failed")
    missing = await client.post(
        f"/api/v1/requests/{uuid.uuid4()}/actions/start",
        json={"expected_version": 1},
        headers=specialist,
    )
    assert_problem(missing, 404, "not-found")
    current = (await client.get(base, headers=specialist)).json()
    assert (current["state"], current["version"]) == ("triaged", 2)


async def test_clarification_extension_and_assignment_over_http(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(client, specialist)
    base = f"/api/v1/requests/{logged['id']}"
    for version, action in enumerate(["triage", "start", "request_clarification"], start=1):
        response = await client.post(
            f"{base}/actions/{action}", json={"expected_version": version}, headers=specialist
        )
        assert response.status_code == 200, response.text
    assert response.json()["state"] == "awaiting_clarification"
    extension = {"expected_version": 4, "reason": "complex", "notified_on": "2026-03-02"}
    extended = await client.post(f"{base}/extension", json=extension, headers=specialist)
    assert extended.status_code == 200, extended.text
    assert extended.json()["extension_taken"] is True
    again = await client.post(
        f"{base}/extension", json={**extension, "expected_version": 5}, headers=specialist
    )
    assert_problem(again, 409, "extension-already-taken")
    person = await make_user(Role.LEGAL)
    assigned = await client.post(
        f"{base}/assign",
        json={"expected_version": 5, "assignee": str(person.id)},
        headers=specialist,
    )
    assert assigned.status_code == 200, assigned.text
    assert (assigned.json()["assignee"], assigned.json()["version"]) == (str(person.id), 6)


async def test_clarification_under_a_rule_without_clock_stops_is_a_conflict(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(client, specialist, rule=NO_STOP)
    base = f"/api/v1/requests/{logged['id']}"
    for version, action in enumerate(["triage", "start"], start=1):
        await client.post(
            f"{base}/actions/{action}", json={"expected_version": version}, headers=specialist
        )
    refused = await client.post(
        f"{base}/actions/request_clarification", json={"expected_version": 3}, headers=specialist
    )
    assert assert_problem(refused, 409, "clock-stop-not-allowed")["rule"] == NO_STOP
    no_extension = await client.post(
        f"{base}/extension",
        json={"expected_version": 3, "reason": "x", "notified_on": "2026-03-02"},
        headers=specialist,
    )
    assert_problem(no_extension, 409, "no-extension")


async def test_the_list_filters_and_pages_with_an_opaque_cursor(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = [
        await log(client, specialist, received_at=f"2026-0{month}-01T10:00:00Z")
        for month in (1, 2, 3)
    ]
    other = await log(client, specialist, rule=NO_STOP, tags=[], summary="Needle")
    ids: list[object] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/api/v1/requests", params=params, headers=specialist)).json()
        ids.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    everything = (await client.get("/api/v1/requests", headers=specialist)).json()["items"]
    assert ids == [item["id"] for item in everything]
    assert len(ids) == 4
    assert set(everything[0]) >= {
        "id", "reference", "state", "rule", "received_at", "due_at", "extended_due_at", "assignee",
    }  # fmt: skip

    async def found(**params: object) -> set[object]:
        response = await client.get("/api/v1/requests", params=params, headers=specialist)
        assert response.status_code == 200, response.text
        return {item["id"] for item in response.json()["items"]}

    assert await found(overdue="true") == {logged[0]["id"]}
    assert await found(tag="csam") == {r["id"] for r in logged}
    assert await found(q="needle") == {other["id"]}
    assert await found(rule=NO_STOP) == {other["id"]}
    assert await found(jurisdiction="gb", state="received") == {r["id"] for r in logged}
    assert await found(priority="urgent") == set()
    bad = await client.get("/api/v1/requests", params={"cursor": "nope"}, headers=specialist)
    assert assert_problem(bad, 422, "invalid-field")["field"] == "cursor"


async def test_authorities_are_listed_and_read_by_every_person(client) -> None:
    specialist, legal = await bearer(Role.SPECIALIST), await bearer(Role.LEGAL)
    authority_id = await new_authority(client, specialist, name="Bundeskriminalamt")
    listed = await client.get("/api/v1/authorities", params={"country": "GB"}, headers=legal)
    assert [a["id"] for a in listed.json()["items"]] == [authority_id]
    one = await client.get(f"/api/v1/authorities/{authority_id}", headers=legal)
    assert one.json()["name"] == "Bundeskriminalamt"
    refused = await client.post(
        "/api/v1/authorities", json={"name": "X", "country": "GB", "type": "court"}, headers=legal
    )
    assert_problem(refused, 403, "permission-denied")
    bad = await client.post(
        "/api/v1/authorities",
        json={"name": "X", "country": "GBR", "type": "court"},
        headers=specialist,
    )
    assert assert_problem(bad, 422, "invalid-field")["field"] == "country"


async def test_a_country_must_be_iso_or_eu_and_a_likely_duplicate_is_added_with_a_warning(
    client,
) -> None:
    specialist = await bearer(Role.SPECIALIST)
    url = "/api/v1/authorities"
    for country in ("XX", "UK", "E1"):
        bad = await client.post(
            url, json={"name": "X", "country": country, "type": "court"}, headers=specialist
        )
        problem = assert_problem(bad, 422, "invalid-field")
        assert problem["field"] == "country", country
        if country == "UK":
            assert "(GB in ISO 3166-1)" in str(problem["detail"])
    union = await client.post(
        url,
        json={"name": "European Commission", "country": "eu", "type": "regulator"},
        headers=specialist,
    )
    assert (union.status_code, union.json()["country"], union.json()["warnings"]) == (
        201,
        "EU",
        [],
    )
    first = await new_authority(client, specialist)
    again = await client.post(
        url, json={"name": "  OFCOM ", "country": "GB", "type": "regulator"}, headers=specialist
    )
    assert again.status_code == 201, again.text
    assert again.json()["likely_duplicates"] == [first]
    [warning] = again.json()["warnings"]
    assert warning.startswith(f"likely a duplicate of 'Ofcom' (GB, {first})")
    elsewhere = await client.post(
        url, json={"name": "Ofcom", "country": "IE", "type": "regulator"}, headers=specialist
    )
    assert (elsewhere.json()["likely_duplicates"], elsewhere.json()["warnings"]) == ([], [])
    listed = await client.get(url, params={"country": "GB"}, headers=specialist)
    assert len(listed.json()["items"]) == 2


async def test_the_list_narrows_to_deadlines_before_or_after_an_instant(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    april = await log(client, specialist)  # due 1 April 2026
    march = await log(client, specialist, received_at="2026-02-20T10:00:00+00:00")  # due 20 March

    async def ids(**params: str) -> list[object]:
        response = await client.get("/api/v1/requests", params=params, headers=specialist)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert await ids(due_before="2026-03-25T00:00:00Z") == [march["id"]]
    assert await ids(due_after="2026-03-25T00:00:00Z") == [april["id"]]
    assert await ids(due_after="2026-03-01T00:00:00Z", due_before="2026-06-01T00:00:00Z") == [
        march["id"],
        april["id"],
    ]
    naive = await client.get(
        "/api/v1/requests", params={"due_before": "2026-04-15T00:00:00"}, headers=specialist
    )
    assert assert_problem(naive, 422, "invalid-field")["field"] == "due_before"


async def test_the_list_sorts_by_received_or_reference_and_pages_in_that_order(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    received = [
        "2026-02-20T10:00:00+00:00",
        "2026-03-01T10:00:00+00:00",
        "2026-02-25T10:00:00+00:00",
    ]
    logged = [await log(client, specialist, received_at=at) for at in received]

    async def walk(sort: str) -> list[object]:
        seen, params = [], {"sort": sort, "limit": "1"}
        while True:
            page = (await client.get("/api/v1/requests", params=params, headers=specialist)).json()
            seen += [item["reference"] for item in page["items"]]
            if page["next_cursor"] is None:
                return seen
            params = {"sort": sort, "limit": "1", "cursor": page["next_cursor"]}

    refs = [r["reference"] for r in logged]
    assert await walk("reference") == refs
    assert await walk("received") == [refs[1], refs[2], refs[0]]  # newest received first
    assert await walk("due") == [refs[0], refs[2], refs[1]]
    first = (
        await client.get(
            "/api/v1/requests", params={"sort": "due", "limit": "1"}, headers=specialist
        )
    ).json()
    mixed = await client.get(
        "/api/v1/requests",
        headers=specialist,
        params={"sort": "reference", "cursor": first["next_cursor"]},
    )
    assert assert_problem(mixed, 422, "invalid-field")["field"] == "cursor"
