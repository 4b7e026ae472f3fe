"""Hostile inputs over HTTP: each is a 4xx problem naming what is wrong, and changes nothing."""

from __future__ import annotations

import base64
import json
import re

import pytest

from domain.shared.model import Role
from tests.api.helpers import assert_problem, bearer
from tests.api.test_requests_api import log, new_authority, request_body

PAGED = [
    "/api/v1/requests",
    "/api/v1/requests?sort=received",
    "/api/v1/requests?sort=reference",
    "/api/v1/holds",
    "/api/v1/inbox",
    "/api/v1/outbox",
    "/api/v1/webhook-deliveries",
]


def _cursor(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def _nested(depth: int) -> str:
    raw = ("[" * depth + "]" * depth).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


BAD_CURSORS = {
    "deeply nested": _nested(20_000),
    "a list": _cursor([]),
    "a string": _cursor("k"),
    "a number": _cursor(7),
    "wrong key types": _cursor({"s": "due", "k": 1, "i": 2}),
    "a key that is an object": _cursor({"s": ["due"], "k": {"a": 1}, "i": []}),
    "a reference key that is a list": _cursor({"s": "reference", "k": [1], "i": "x"}),
    "inbox section with an object": "u." + _cursor({"k": {}, "i": {}}),
    "not base64": "%%%",
}


@pytest.mark.parametrize("path", PAGED)
@pytest.mark.parametrize("cursor", BAD_CURSORS.values(), ids=BAD_CURSORS.keys())
async def test_a_cursor_no_list_handed_out_is_a_4xx_problem(client, path: str, cursor: str) -> None:
    headers = await bearer(Role.ADMIN)
    joiner = "&" if "?" in path else "?"
    response = await client.get(f"{path}{joiner}cursor={cursor}", headers=headers)
    assert 400 <= response.status_code < 500, response.text
    assert "cursor" in response.json()["detail"]


async def test_a_tag_longer_than_its_limit_is_refused_naming_it(client) -> None:
    headers = await bearer(Role.ADMIN)
    response = await client.get("/api/v1/requests", params={"tag": "x" * 60_000}, headers=headers)
    body = assert_problem(response, 400, "validation-failed")
    assert "tag" in str(body)


async def test_every_string_parameter_documents_its_maximum_length(client) -> None:
    spec = (await client.get("/schema/openapi.json")).json()
    unbounded = [
        f"{method.upper()} {path} {param['name']}"
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict)
        for param in op.get("parameters", [])
        for schema in _alternatives(param["schema"])
        if schema.get("type") == "string"
        and not {"maxLength", "enum", "format"} & (set(schema) | set(param["schema"]))
        and not re.search(r"\{\d+,\d+\}\$$", str(param["schema"].get("pattern")))
    ]
    assert unbounded == []


def _alternatives(schema: dict[str, object]) -> list[dict[str, object]]:
    options = schema.get("oneOf") or schema.get("anyOf")
    return list(options) if isinstance(options, list) else [schema]  # type: ignore[arg-type]


async def test_percent_and_underscore_in_q_and_tag_match_only_themselves(client) -> None:
    headers = await bearer(Role.SPECIALIST)
    await log(client, headers, summary="plain text", tags=["plain"])
    await log(client, headers, summary="50% off_site", tags=["a-b"])
    for params, expected in (
        ({"q": "%"}, 1),
        ({"q": "_"}, 1),
        ({"q": "0% o"}, 1),
        ({"q": "n_t"}, 0),
    ):
        response = await client.get("/api/v1/requests", params=params, headers=headers)
        assert response.status_code == 200, response.text
        assert len(response.json()["items"]) == expected, params


@pytest.mark.parametrize("tag", ["a_b", "a%", "_____", "A B"])
async def test_a_tag_filter_outside_the_tag_alphabet_is_refused(client, tag: str) -> None:
    headers = await bearer(Role.SPECIALIST)
    response = await client.get("/api/v1/requests", params={"tag": tag}, headers=headers)
    body = assert_problem(response, 400, "validation-failed")
    assert "tag" in str(body)


async def test_a_receipt_in_year_one_is_refused_and_nothing_is_logged(client) -> None:
    headers = await bearer(Role.SPECIALIST)
    authority = await new_authority(client, headers)
    body = request_body(authority, received_at="0001-01-01T00:00:00+01:00")
    response = await client.post("/api/v1/requests", json=body, headers=headers)
    assert 400 <= response.status_code < 500, response.text
    assert "received_at" in response.json()["detail"]
    listed = await client.get("/api/v1/requests", headers=headers)
    assert listed.json()["items"] == []


@pytest.mark.parametrize(
    "received_at", ["0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00Z", "9999-12-31T23:00:00Z"]
)
async def test_a_deadline_preview_at_the_ends_of_the_calendar_is_a_4xx_problem(
    client, received_at: str
) -> None:
    headers = await bearer(Role.SPECIALIST)
    body = {"rule": "GB/uk-gdpr.rights-request", "received_at": received_at}
    response = await client.post("/api/v1/deadlines/preview", json=body, headers=headers)
    assert 400 <= response.status_code < 500, response.text
    assert "received_at" in response.json()["detail"]


async def test_a_body_nested_beyond_the_limit_is_refused_before_decoding(client) -> None:
    headers = await bearer(Role.SPECIALIST)
    depth = 100_000
    content = '{"name": ' + "[" * depth + "]" * depth + "}"
    response = await client.post(
        "/api/v1/authorities",
        content=content,
        headers={**headers, "content-type": "application/json"},
    )
    body = assert_problem(response, 400, "bad-request")
    assert "levels deep" in str(body["detail"])


@pytest.mark.parametrize("text", ["Of\x00com", "Of\x07com", "Of\x1bcom"])
async def test_control_characters_in_a_body_are_refused_naming_the_field(client, text) -> None:
    headers = await bearer(Role.SPECIALIST)
    body = {"name": text, "country": "GB", "type": "regulator"}
    response = await client.post("/api/v1/authorities", json=body, headers=headers)
    problem = assert_problem(response, 400, "validation-failed")
    assert "name" in json.dumps(problem)
    listed = await client.get("/api/v1/authorities", headers=headers)
    assert listed.json()["items"] == []


async def test_a_line_break_in_a_paragraph_is_kept(client) -> None:
    headers = await bearer(Role.SPECIALIST)
    logged = await log(client, headers, summary="first line\nsecond line\ttabbed")
    assert logged["summary"] == "first line\nsecond line\ttabbed"


async def test_a_nul_in_the_login_is_a_4xx_problem_and_no_lockout_count(client) -> None:
    response = await client.post(
        "/api/v1/auth/login", json={"email": "a\x00@docket.example", "password": "x\x00y"}
    )
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("where", ["q", "tag", "jurisdiction", "rule"])
async def test_a_nul_in_a_query_parameter_is_refused_naming_it(client, where: str) -> None:
    headers = await bearer(Role.ADMIN)
    response = await client.get("/api/v1/requests", params={where: "a\x00b"}, headers=headers)
    body = assert_problem(response, 400, "bad-request")
    assert where in str(body["detail"])


async def test_a_nul_in_a_path_parameter_is_refused(client) -> None:
    headers = await bearer(Role.ADMIN)
    response = await client.get("/api/v1/jurisdictions/D%00E", headers=headers)
    assert 400 <= response.status_code < 500, response.text


async def test_an_unknown_query_parameter_is_refused_naming_it(client) -> None:
    headers = await bearer(Role.ADMIN)
    response = await client.get("/api/v1/requests?jurisdicton=DE&sortt=due", headers=headers)
    body = assert_problem(response, 400, "unknown-parameter")
    assert "jurisdicton" in str(body["detail"])
    assert "sortt" in str(body["detail"])


async def test_a_repeated_single_valued_parameter_is_refused_naming_it(client) -> None:
    headers = await bearer(Role.ADMIN)
    response = await client.get("/api/v1/requests?sort=due&sort=received", headers=headers)
    body = assert_problem(response, 400, "repeated-parameter")
    assert "sort" in str(body["detail"])


async def test_repeated_states_list_the_requests_in_any_of_them(client) -> None:
    headers = await bearer(Role.SPECIALIST)
    first = await log(client, headers)
    second = await log(client, headers)
    triaged = await client.post(
        f"/api/v1/requests/{second['id']}/actions/triage",
        json={"expected_version": 1},
        headers=headers,
    )
    assert triaged.status_code == 200, triaged.text
    both = await client.get("/api/v1/requests?state=received&state=triaged", headers=headers)
    assert both.status_code == 200, both.text
    assert {r["id"] for r in both.json()["items"]} == {first["id"], second["id"]}
    one = await client.get("/api/v1/requests?state=triaged", headers=headers)
    assert [r["id"] for r in one.json()["items"]] == [second["id"]]
    spec = (await client.get("/schema/openapi.json")).json()
    state = next(
        p for p in spec["paths"]["/api/v1/requests"]["get"]["parameters"] if p["name"] == "state"
    )
    assert "array" in json.dumps(state["schema"])


async def test_the_document_states_the_rules_of_bodies_and_public_operations(client) -> None:
    spec = (await client.get("/schema/openapi.json")).json()
    login = spec["components"]["schemas"]["LoginRequest"]
    assert login["additionalProperties"] is False
    assert login["properties"]["email"]["pattern"].startswith("^[^\\x00")
    preview = spec["components"]["schemas"]["DeadlinePreview"]
    assert preview["properties"]["events"]["propertyNames"]["maxLength"] > 0
    for path in ("/healthz", "/readyz"):
        assert spec["paths"][path]["get"]["security"] == []
    assert spec["paths"]["/api/v1/auth/login"]["post"]["security"] == []
    assert "security" not in spec["paths"]["/api/v1/requests"]["get"]


async def test_a_whole_float_counts_as_an_integer_and_a_number_is_not_a_time(client) -> None:
    headers = await bearer(Role.SPECIALIST)
    preview = {"rule": "GB/uk-gdpr.rights-request", "received_at": 1_700_000_000}
    response = await client.post("/api/v1/deadlines/preview", json=preview, headers=headers)
    assert_problem(response, 400, "validation-failed")
    logged = await log(client, headers)
    triaged = await client.post(
        f"/api/v1/requests/{logged['id']}/actions/triage",
        json={"expected_version": 1.0},
        headers=headers,
    )
    assert triaged.status_code == 200, triaged.text
    due = await client.get("/api/v1/requests?due_before=0.5", headers=headers)
    assert "due_before" in assert_problem(due, 422, "invalid-field")["detail"]
