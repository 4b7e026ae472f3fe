"""The OpenAPI document: every operation is named, summarized, typed and lists its problems."""

from __future__ import annotations

import json

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
