"""Correcting and merging authorities over HTTP: who may, what moves, problems on bad input."""

from __future__ import annotations

import uuid

from audit import store
from domain import deadlines
from domain.requests import repo
from domain.shared.model import Role
from tests.api.helpers import assert_problem, bearer
from tests.factories import given_authority, given_request

URL = "/api/v1/authorities"
BODY = {
    "name": "Ofcom",
    "country": "gb",
    "type": "regulator",
    "contact": "osa@ofcom.org.uk",
    "verified": True,
}


async def test_a_specialist_corrects_an_authority_and_auditors_and_legal_may_not(client) -> None:
    ofcom = await given_authority("OFCOM", "GB")
    for role in (Role.AUDITOR, Role.LEGAL, Role.SYSTEM):
        refused = await client.put(f"{URL}/{ofcom.id}", json=BODY, headers=await bearer(role))
        assert refused.status_code in {401, 403}, (role, refused.text)
    changed = await client.put(
        f"{URL}/{ofcom.id}", json=BODY, headers=await bearer(Role.SPECIALIST)
    )
    assert changed.status_code == 200, changed.text
    assert {k: changed.json()[k] for k in BODY} == {**BODY, "country": "GB"}
    entries = await store.entries(subject=("authority", str(ofcom.id)), limit=10)
    assert [e.action for e in entries] == ["authority.created", "authority.updated"]


async def test_a_correction_with_a_bad_field_or_no_authority_is_a_problem(client) -> None:
    ofcom = await given_authority("Ofcom", "GB")
    admin = await bearer(Role.ADMIN)
    bad = await client.put(f"{URL}/{ofcom.id}", json={**BODY, "country": "UK"}, headers=admin)
    body = assert_problem(bad, 422, "invalid-field")
    assert body["field"] == "country"
    missing = await client.put(f"{URL}/{uuid.uuid4()}", json=BODY, headers=admin)
    assert_problem(missing, 404, "not-found")


async def test_an_admin_merges_a_duplicate_and_its_requests_move(
    client, rulebook: deadlines.RuleBook
) -> None:
    kept = await given_authority("Ofcom", "GB")
    duplicate = await given_authority("OFCOM", "GB")
    moved = await given_request(rulebook, authority=duplicate)
    for role in (Role.SPECIALIST, Role.LEGAL, Role.AUDITOR):
        refused = await client.post(
            f"{URL}/{duplicate.id}/merge",
            json={"kept_id": str(kept.id)},
            headers=await bearer(role),
        )
        assert_problem(refused, 403, "permission-denied")
    done = await client.post(
        f"{URL}/{duplicate.id}/merge",
        json={"kept_id": str(kept.id)},
        headers=await bearer(Role.ADMIN),
    )
    assert done.status_code == 200, done.text
    answer = done.json()
    assert answer["kept"]["id"] == str(kept.id)
    assert answer["requests_moved"] == [moved.reference]
    entries = await store.entries(subject=("authority", str(duplicate.id)), limit=10)
    assert entries[-1].action == "authority.merged"
    assert entries[-1].index == answer["audit_entry"]
    assert (await repo.get_request(moved.id)).authority_id == kept.id
    gone = await client.get(f"{URL}/{duplicate.id}", headers=await bearer(Role.ADMIN))
    assert_problem(gone, 404, "not-found")


async def test_a_merge_into_itself_is_refused_beside_its_field(client) -> None:
    ofcom = await given_authority("Ofcom", "GB")
    refused = await client.post(
        f"{URL}/{ofcom.id}/merge", json={"kept_id": str(ofcom.id)}, headers=await bearer(Role.ADMIN)
    )
    assert assert_problem(refused, 422, "invalid-field")["field"] == "kept_id"


async def test_the_new_operations_are_documented_with_examples(client) -> None:
    spec = (await client.get("/schema/openapi.json")).json()
    operations = (
        spec["paths"][f"{URL}/{{authority_id}}"]["put"],
        spec["paths"][f"{URL}/{{authority_id}}/merge"]["post"],
    )
    assert [op["operationId"] for op in operations] == ["UpdateAuthority", "MergeAuthority"]
    for op in operations:
        assert {"401", "403", "404", "422"} <= set(op["responses"])
    for name in ("AuthorityUpdate", "AuthorityMerge"):
        properties = spec["components"]["schemas"][name]["properties"]
        assert all(p.get("examples") for p in properties.values()), name
