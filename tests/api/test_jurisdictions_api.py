"""Jurisdictions and deadline previews over HTTP, through the real app."""

from __future__ import annotations

from dataclasses import replace

import pytest
from litestar.testing import AsyncTestClient

from api.app import create_app
from api.settings import ConfigError, DeadlineSettings
from domain.shared.model import Role
from tests.api.helpers import assert_problem, bearer

RIGHTS = "GB/uk-gdpr.rights-request"
PREVIEW = "/api/v1/deadlines/preview"
GB_CASE = {"rule": RIGHTS, "received_at": "2025-09-03T10:00:00+01:00"}


async def test_every_jurisdiction_is_listed_with_its_rule_ids(client) -> None:
    response = await client.get("/api/v1/jurisdictions", headers=await bearer(Role.SYSTEM))
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    codes = [item["code"] for item in items]
    assert codes == sorted(codes)
    gb = next(item for item in items if item["code"] == "GB")
    assert gb["name"] == "United Kingdom"
    assert RIGHTS in gb["rule_ids"]


async def test_one_jurisdiction_carries_its_rules_with_citations_and_sources(client) -> None:
    response = await client.get("/api/v1/jurisdictions/us-ca", headers=await bearer(Role.LEGAL))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["code"] == "US-CA"
    rule = next(r for r in body["rules"] if r["id"] == "US-CA/ccpa.request-to-know")
    assert rule["period"]["amount"] == 45
    assert rule["period"]["unit"] == "calendar_days"
    assert rule["period"]["citation"].startswith("11 CCR")
    assert all(source.startswith("https://") for source in rule["sources"])
    assert rule["notes"]
    assert rule["clock"]["starts_on"] == "received"
    assert rule["extension"]["amount"] == 45
    assert rule["extension"]["counted_from"] == "original-start"
    assert rule["tz"] == "America/Los_Angeles"
    assert rule["default_subdivision"] == "CA"


async def test_an_unknown_jurisdiction_is_a_404_problem(client) -> None:
    response = await client.get("/api/v1/jurisdictions/XX", headers=await bearer(Role.AUDITOR))
    body = assert_problem(response, 404, "no-jurisdiction")
    assert body["id"] == "XX"


async def test_a_preview_answers_the_deadline_json(client) -> None:
    response = await client.post(PREVIEW, json=GB_CASE, headers=await bearer(Role.SPECIALIST))
    assert response.status_code == 200, response.text
    body = response.json()
    assert list(body) == [
        "rule",
        "received_at",
        "clock_started_at",
        "due_date",
        "due_at",
        "extended_due_date",
        "extended_due_at",
        "earliest_date",
        "earliest_at",
        "citation",
        "rule_version",
        "steps",
    ]
    assert body["rule"] == RIGHTS
    assert body["received_at"] == "2025-09-03T10:00:00+01:00"
    assert body["due_date"] == "2025-10-03"
    assert body["due_at"] == "2025-10-03T23:59:59.999999+01:00"
    assert body["extended_due_date"] == "2025-12-03"
    assert body["extended_due_at"] == "2025-12-03T23:59:59.999999+00:00"  # GMT by then
    assert body["steps"][0] == {
        "text": "received Wed 3 Sep 2025 10:00 (Europe/London, +01:00)",
        "citation": body["steps"][0]["citation"],
    }
    assert all(step["citation"] for step in body["steps"])


async def test_a_preview_takes_zone_subdivision_events_and_pauses(client) -> None:
    body = {
        "rule": "US-CA/ccpa.request-to-know",
        "received_at": "2026-01-30T18:00:00Z",
        "tz": "America/Los_Angeles",
        "subdivision": "CA",
        "events": {"unused": "2026-02-01T00:00:00Z"},
    }
    response = await client.post(PREVIEW, json=body, headers=await bearer(Role.LEGAL))
    assert response.status_code == 200, response.text
    assert response.json()["due_at"] == "2026-03-16T23:59:59.999999-07:00"
    paused = {
        **GB_CASE,
        "pauses": [
            {"start": "2025-09-10T09:00:00+01:00", "end": "2025-09-11T09:00:00+01:00"},
            {"start": "2025-09-20T09:00:00+01:00", "end": None},
        ],
    }
    response = await client.post(PREVIEW, json=paused, headers=await bearer(Role.LEGAL))
    assert response.status_code == 200, response.text
    assert response.json()["due_date"] == "2025-10-06"  # 3 Oct + 3 stopped days
    assert "still stopped since" in response.json()["steps"][3]["text"]


async def test_system_tokens_may_not_preview(client) -> None:
    response = await client.post(PREVIEW, json=GB_CASE, headers=await bearer(Role.SYSTEM))
    assert_problem(response, 403, "permission-denied")


async def test_without_a_token_every_endpoint_is_refused(client) -> None:
    for response in [
        await client.get("/api/v1/jurisdictions"),
        await client.get("/api/v1/jurisdictions/GB"),
        await client.post(PREVIEW, json=GB_CASE),
    ]:
        assert_problem(response, 401, "missing-credentials")


async def test_an_unknown_rule_is_a_404_problem(client) -> None:
    response = await client.post(
        PREVIEW, json={**GB_CASE, "rule": "GB/nothing"}, headers=await bearer(Role.SPECIALIST)
    )
    body = assert_problem(response, 404, "no-deadline-rule")
    assert body["id"] == "GB/nothing"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"received_at": "2025-09-03T10:00:00"}, "received_at"),
        ({"tz": "Mars/Olympus_Mons"}, "tz"),
        ({"subdivision": "BY"}, "subdivision"),
        ({"events": {"identity_verified": "2025-09-05T10:00:00"}}, "events.identity_verified"),
        ({"pauses": [{"start": "2025-09-10T09:00:00"}]}, "pauses[0].start"),
        (
            {"pauses": [{"start": "2025-09-10T09:00:00Z", "end": "2025-09-09T09:00:00Z"}]},
            "pauses",
        ),
        ({"rule": "GB/uk-gdpr.breach-notification"}, "events.aware"),
        ({"as_of": "2026-01-01T00:00:00"}, "as_of"),
    ],
    ids=[
        "naive",
        "zone",
        "region",
        "naive-event",
        "naive-pause",
        "reversed-pause",
        "no-event",
        "naive-as-of",
    ],
)
async def test_unusable_inputs_are_422_problems_naming_the_field(
    client, change: dict, field: str
) -> None:
    response = await client.post(
        PREVIEW, json={**GB_CASE, **change}, headers=await bearer(Role.SPECIALIST)
    )
    body = assert_problem(response, 422, "invalid-deadline-input")
    assert body["field"] == field
    assert field in str(body["detail"]) or field.startswith("events.")


async def test_a_preview_applies_the_rule_version_in_force_or_the_one_asked_for(client) -> None:
    case = {"rule": "IN/it-rules.takedown-order", "received_at": "2026-03-02T09:00:00+05:30"}
    headers = await bearer(Role.SPECIALIST)
    now = (await client.post(PREVIEW, json=case, headers=headers)).json()
    assert now["rule_version"] == "2026-02-20"
    assert now["due_at"] == "2026-03-02T12:00:00+05:30"
    before = {**case, "as_of": "2026-02-19T12:00:00+05:30"}
    then = (await client.post(PREVIEW, json=before, headers=headers)).json()
    assert then["rule_version"] == "2021-02-25"
    assert then["due_at"] == "2026-03-03T21:00:00+05:30"


async def test_a_rule_with_versions_lists_them(client) -> None:
    response = await client.get("/api/v1/jurisdictions/IN", headers=await bearer(Role.LEGAL))
    rule = next(r for r in response.json()["rules"] if r["id"] == "IN/it-rules.takedown-order")
    assert rule["effective_from"] == "2021-02-25"
    assert rule["period"]["amount"] == 36
    [version] = rule["versions"]
    assert version["effective_from"] == "2026-02-20"
    assert version["period"] == {
        "amount": 3,
        "unit": "hours",
        "citation": version["period"]["citation"],
    }
    assert "G.S.R. 120(E)" in version["citation"]
    assert "could not be opened" in version["notes"]


@pytest.mark.parametrize(
    "body",
    [
        {"rule": RIGHTS},
        {**GB_CASE, "received_at": "yesterday"},
        {**GB_CASE, "colour": "blue"},
        {**GB_CASE, "pauses": [{"end": "2025-09-10T09:00Z"}]},
    ],
    ids=["no-receipt", "not-a-time", "unknown-field", "pause-without-start"],
)
async def test_malformed_bodies_are_400_problems(client, body: dict) -> None:
    response = await client.post(PREVIEW, json=body, headers=await bearer(Role.SPECIALIST))
    assert_problem(response, 400, "validation-failed")


async def test_the_endpoints_are_documented_with_examples(client) -> None:
    spec = (await client.get("/schema/openapi.json")).json()
    preview = spec["paths"][PREVIEW]["post"]
    assert preview["operationId"] == "PreviewDeadline"
    assert {"404", "422"} <= set(preview["responses"])
    assert spec["paths"]["/api/v1/jurisdictions/{code}"]["get"]["operationId"] == "GetJurisdiction"
    schema = spec["components"]["schemas"]["DeadlinePreview"]
    assert schema["properties"]["received_at"]["examples"]
    assert schema["properties"]["rule"]["examples"] == [RIGHTS]


async def test_the_organisations_target_from_its_settings_applies(
    settings, clock, rulebook, db
) -> None:
    targeted = replace(
        settings, deadlines=DeadlineSettings(targets=(("EU/dsa.art16-notice", 24, "hours"),))
    )
    app = create_app(targeted, clock=clock, pool=False, rulebook=rulebook)
    async with AsyncTestClient(app=app) as client:
        case = {"rule": "EU/dsa.art16-notice", "received_at": "2026-03-02T10:00:00+01:00"}
        response = await client.post(PREVIEW, json=case, headers=await bearer(Role.SPECIALIST))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["due_at"] == "2026-03-03T10:00:00+01:00"
    assert "the organisation's target of 24 hours" in body["steps"][1]["text"]


def test_a_target_on_a_statutory_rule_stops_the_app_naming_the_setting(
    settings, clock, rulebook
) -> None:
    wrong = replace(
        settings, deadlines=DeadlineSettings(targets=(("EU/tco.removal-order", 2, "hours"),))
    )
    with pytest.raises(ConfigError, match=r"DOCKET_RULE_TARGETS: rule EU/tco\.removal-order"):
        create_app(wrong, clock=clock, pool=False, rulebook=rulebook)
