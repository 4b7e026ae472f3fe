"""The OpenAPI document: every operation is named, summarized, typed and lists its problems."""

from __future__ import annotations

import json

from domain.holds.workflow import HoldAction
from domain.packages.workflow import PackageAction
from domain.requests.edits import EDITABLE_FIELDS, REQUIRED_FIELDS
from domain.requests.fields import RECORD_FIELDS
from domain.requests.flat import REQUEST_FIELDS

PUBLIC = {"/healthz", "/readyz", "/api/v1/auth/login"}
PUBLIC |= {"/api/v1/calendar.ics"}  # authenticated by the feed token in the URL


async def test_every_operation_is_documented_with_its_errors(client) -> None:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.1")
    assert spec["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    operations = [
        (path, method, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert len(operations) >= 10
    ids = [op["operationId"] for _, _, op in operations]
    assert len(ids) == len(set(ids))
    for path, method, op in operations:
        where = f"{method.upper()} {path}"
        assert op.get("summary"), where
        assert op["operationId"][0].isupper(), where
        assert any(code.startswith("2") for code in op["responses"]), where
        if path not in PUBLIC:
            for code in ("401", "403"):
                content = op["responses"][code]["content"]
                assert "application/problem+json" in content, where
        if method == "post" and "requestBody" in op:
            content = op["requestBody"]["content"]
            body_type = (
                "multipart/form-data" if path.endswith("/attachments") else "application/json"
            )
            schema = content[body_type]["schema"]
            assert "$ref" in json.dumps(schema), where


async def test_request_bodies_carry_examples(client) -> None:
    spec = (await client.get("/schema/openapi.json")).json()
    login = spec["components"]["schemas"]["LoginRequest"]
    assert login["properties"]["email"]["examples"]


async def test_the_browsable_docs_are_served(client) -> None:
    page = await client.get("/schema")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert (await client.get("/schema/swagger")).status_code == 200


async def test_every_workflow_step_is_a_documented_action_route_of_its_own(client) -> None:
    spec = (await client.get("/schema/openapi.json")).json()
    paths, schemas = spec["paths"], spec["components"]["schemas"]
    steps = [f"/api/v1/holds/{{hold_id}}/actions/{a.value}" for a in HoldAction]
    version = "/api/v1/requests/{request_id}/package/versions/{number}"
    steps += [f"{version}/actions/{a.value}" for a in PackageAction]
    for path in steps:
        op = paths[path]["post"]
        assert {"401", "403", "404", "409"} <= set(op["responses"]), path
        if "requestBody" in op:
            ref = op["requestBody"]["content"]["application/json"]["schema"]["allOf"][0]["$ref"]
            properties = schemas[ref.rsplit("/", 1)[-1]]["properties"]
            assert all(p.get("examples") for p in properties.values()), path
    assert len({paths[p]["post"]["operationId"] for p in steps}) == len(steps)
    hold_bodies = [paths[p]["post"]["requestBody"] for p in steps[: len(HoldAction)]]
    assert all(body["required"] for body in hold_bodies)  # each carries expected_version
    assert "/api/v1/requests/{request_id}/actions/{action}" in paths
    retired = ["issue", "release", "custodians/release", "data-sources/release"]
    assert not [r for r in retired if f"/api/v1/holds/{{hold_id}}/{r}" in paths]


async def test_the_request_schemas_have_every_field_of_the_model_with_its_examples(client) -> None:
    schemas = (await client.get("/schema/openapi.json")).json()["components"]["schemas"]
    read, create, update = (schemas[n] for n in ("RequestRead", "RequestCreate", "RequestUpdate"))
    core = [f.name for f in REQUEST_FIELDS if f.name not in RECORD_FIELDS]
    state = core.index("state") + 1
    assert list(read["properties"]) == [
        *RECORD_FIELDS,
        *core[:state],
        "available_actions",
        *core[state:],
    ]
    assert list(create["properties"]) == list(EDITABLE_FIELDS)
    assert sorted(create["required"]) == sorted(REQUIRED_FIELDS)
    assert list(update["properties"]) == ["expected_version", *EDITABLE_FIELDS]
    assert update["required"] == ["expected_version"]
    assert read["properties"]["reference"]["examples"] == ["REQ-2026-000042"]
    for body in (create, update):
        assert body["properties"]["rule"]["examples"] == ["GB/uk-gdpr.rights-request"]
        assert body["properties"]["tags"]["maxItems"] == 20
        assert body["properties"]["authority_reference"]["examples"] == ["OF-2026-17"]
        assert body["properties"]["internal_reason"]["maxLength"] == 4000
