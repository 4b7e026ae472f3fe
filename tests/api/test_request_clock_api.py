"""Clock events, dates set by the authority, the deadline in force, implausible dates: HTTP."""

from __future__ import annotations

import pytest

from audit import store
from domain.shared.model import Role
from domain.shared.permissions import Permission, has_permission
from tests.api.helpers import assert_problem, bearer
from tests.api.test_requests_api import log, new_authority, request_body

BREACH = "DE/gdpr.breach-notification"
ART9 = "EU/dsa.art9-order"
EMERGENCY = "US/emergency-disclosure"


async def entries(request_id: object) -> list[str]:
    return [e.action for e in await store.entries(subject=("request", str(request_id)))]


async def test_a_request_is_logged_with_the_event_its_clock_starts_on(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(
        client,
        specialist,
        rule=BREACH,
        kind="content_action",
        events={"aware": "2026-03-01T09:00:00Z"},
    )
    # GDPR Art 33(1): 72 hours from awareness
    assert logged["due_at"] == "2026-03-04T09:00:00Z"
    assert logged["statutory_due_at"] == logged["due_at"]
    assert logged["events"] == {"aware": "2026-03-01T09:00:00Z"}


async def test_without_the_event_the_problem_names_it(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    authority = await new_authority(client, specialist)
    body = request_body(authority, rule=BREACH, kind="content_action")
    response = await client.post("/api/v1/requests", json=body, headers=specialist)
    assert assert_problem(response, 422, "invalid-deadline-input")["field"] == "events.aware"


@pytest.mark.parametrize("rule", [ART9, EMERGENCY])
async def test_an_order_gets_the_date_the_authority_set(client, rule: str) -> None:
    specialist = await bearer(Role.SPECIALIST)
    set_by = {"due_at": "2026-03-06T12:00:00+01:00", "source": "order 2026/117, para. 3"}
    logged = await log(client, specialist, rule=rule, due_set_by_authority=set_by)
    assert logged["due_at"] == "2026-03-06T11:00:00Z"
    assert logged["due_set_by_authority"] == {
        "due_at": "2026-03-06T11:00:00Z",
        "source": "order 2026/117, para. 3",
    }
    listed = await client.get(
        "/api/v1/requests", params={"due_before": "2026-03-07T00:00:00Z"}, headers=specialist
    )
    assert [item["id"] for item in listed.json()["items"]] == [logged["id"]]


async def test_patch_records_events_and_moves_the_deadline(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(
        client,
        specialist,
        rule=BREACH,
        kind="content_action",
        events={"aware": "2026-03-02T08:00:00Z"},
    )
    response = await client.patch(
        f"/api/v1/requests/{logged['id']}",
        json={"expected_version": 1, "events": {"aware": "2026-03-01T08:00:00Z"}},
        headers=specialist,
    )
    assert response.status_code == 200, response.text
    assert response.json()["due_at"] == "2026-03-04T08:00:00Z"


@pytest.mark.parametrize("role", list(Role))
async def test_recording_events_is_a_step_with_one_audit_entry_for_roles_that_write(
    client, role: Role
) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(client, specialist, events={"identity_verified": "2026-03-01T12:00:00Z"})
    body = {"expected_version": 1, "events": {"fee_received": "2026-03-02T09:00:00Z"}}
    response = await client.post(
        f"/api/v1/requests/{logged['id']}/events", json=body, headers=await bearer(role)
    )
    if not has_permission(role, Permission.REQUESTS_WRITE):
        assert_problem(response, 403, "permission-denied")
        assert await entries(logged["id"]) == ["request.logged"]
        return
    assert response.status_code == 200, response.text
    moved = response.json()
    assert moved["version"] == 2
    assert moved["events"] == {
        "fee_received": "2026-03-02T09:00:00Z",
        "identity_verified": "2026-03-01T12:00:00Z",
    }
    assert moved["due_at"] > logged["due_at"]
    assert await entries(logged["id"]) == ["request.logged", "request.clock_events_recorded"]


async def test_a_refused_event_changes_nothing(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(client, specialist)
    cases = [
        ({"aware": "2026-03-01T09:00:00Z"}, "events.aware"),
        ({"fee_received": "2026-03-09T09:00:00Z"}, "events.fee_received"),
    ]
    for events, field in cases:
        response = await client.post(
            f"/api/v1/requests/{logged['id']}/events",
            json={"expected_version": 1, "events": events},
            headers=specialist,
        )
        assert assert_problem(response, 422, "invalid-field")["field"] == field
    seen = await client.get(f"/api/v1/requests/{logged['id']}", headers=specialist)
    assert (seen.json()["version"], seen.json()["events"]) == (1, {})
    assert await entries(logged["id"]) == ["request.logged"]


async def test_after_an_extension_every_reader_sees_the_extended_deadline(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(client, specialist)
    response = await client.post(
        f"/api/v1/requests/{logged['id']}/extension",
        json={"expected_version": 1, "reason": "complex", "notified_on": "2026-03-02"},
        headers=specialist,
    )
    extended = response.json()
    assert extended["due_at"] == logged["extended_due_at"]
    assert extended["statutory_due_at"] == logged["due_at"]
    listed = await client.get("/api/v1/requests", headers=specialist)
    item = listed.json()["items"][0]
    assert (item["due_at"], item["statutory_due_at"]) == (
        extended["due_at"],
        extended["statutory_due_at"],
    )
    exported = await client.get("/api/v1/requests/export.csv", headers=specialist)
    header, row = exported.text.splitlines()[:2]
    cells = dict(zip(header.split(","), row.split(","), strict=False))
    assert cells["due_at"].startswith(extended["due_at"][:10])
    assert cells["statutory_due_at"].startswith(logged["due_at"][:10])


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"received_at": "2026-03-03T10:00:00Z"}, "received_at"),
        ({"received_at": "1990-03-03T10:00:00Z"}, "received_at"),
        (
            {"nondisclosure_order": True, "nondisclosure_expires_on": "2026-02-01"},
            "nondisclosure_expires_on",
        ),
        (
            {
                "rule": ART9,
                "due_set_by_authority": {"due_at": "2026-02-01T00:00:00Z", "source": "x"},
            },
            "due_set_by_authority.due_at",
        ),
        (
            {
                "rule": ART9,
                "due_set_by_authority": {"due_at": "2066-03-01T00:00:00Z", "source": "x"},
            },
            "due_set_by_authority.due_at",
        ),
    ],
    ids=[
        "future",
        "decades-back",
        "nondisclosure-before-receipt",
        "set-date-before-receipt",
        "set-date-decades-on",
    ],
)
async def test_implausible_dates_are_refused_and_nothing_is_logged(
    client, overrides, field
) -> None:
    specialist = await bearer(Role.SPECIALIST)
    authority = await new_authority(client, specialist)
    response = await client.post(
        "/api/v1/requests", json=request_body(authority, **overrides), headers=specialist
    )
    problem = assert_problem(response, 422, "invalid-field")
    assert problem["field"] == field
    listed = await client.get("/api/v1/requests", headers=specialist)
    assert listed.json()["items"] == []


async def test_an_extension_notice_before_receipt_is_refused(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(client, specialist)
    response = await client.post(
        f"/api/v1/requests/{logged['id']}/extension",
        json={"expected_version": 1, "reason": "complex", "notified_on": "2026-02-27"},
        headers=specialist,
    )
    assert assert_problem(response, 422, "invalid-field")["field"] == "extension_notified_on"
    assert await entries(logged["id"]) == ["request.logged"]


async def test_the_events_step_is_documented_with_an_example(client) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    operation = schema["paths"]["/api/v1/requests/{request_id}/events"]["post"]
    assert operation["operationId"] == "RecordRequestClockEvents"
    assert {"404", "409", "422"} <= set(operation["responses"])
    body = schema["components"]["schemas"]["ClockEventsCreate"]
    assert body["properties"]["events"]["examples"] == [{"aware": "2026-03-01T09:00:00Z"}]


async def test_recording_no_event_is_refused_by_name(client) -> None:
    specialist = await bearer(Role.SPECIALIST)
    logged = await log(client, specialist)
    response = await client.post(
        f"/api/v1/requests/{logged['id']}/events",
        json={"expected_version": 1, "events": {}},
        headers=specialist,
    )
    assert assert_problem(response, 422, "invalid-field")["field"] == "events"
