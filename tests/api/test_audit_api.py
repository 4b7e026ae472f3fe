"""The audit log over HTTP: every change is an entry; checkpoints, proofs and tiles verify."""

from __future__ import annotations

import hashlib

from audit.checkpoint import parse_checkpoint
from audit.merkle import verify_consistency, verify_inclusion
from audit.note import Verifier, open_note
from domain.shared.model import Role
from tests.api.helpers import assert_problem, bearer

NEW = {"email": "new@docket.example", "role": "legal", "password": "long-enough-password"}


async def test_creating_and_disabling_a_user_write_one_entry_each(client) -> None:
    admin = await bearer(Role.ADMIN)  # creating this token is entry 0
    user = (await client.post("/api/v1/users", json=NEW, headers=admin)).json()
    await client.post(f"/api/v1/users/{user['id']}/disable", headers=admin)
    page = (await client.get("/api/v1/audit/entries", headers=admin)).json()
    assert [e["action"] for e in page["entries"]] == [
        "api_token.created",
        "user.created",
        "user.disabled",
    ]
    created = page["entries"][1]
    assert created["subject_type"] == "user"
    assert created["subject_id"] == user["id"]
    assert created["actor_role"] == "admin"
    assert created["actor_id"].startswith("token:")
    assert hashlib.sha256(b"\x00" + created["leaf"].encode()).hexdigest() == created["leaf_hash"]
    mine = await client.get(
        "/api/v1/audit/entries",
        headers=admin,
        params={"subject_type": "user", "subject_id": user["id"]},
    )
    assert [e["index"] for e in mine.json()["entries"]] == [1, 2]


async def test_a_failed_change_writes_no_entry(client) -> None:
    admin = await bearer(Role.ADMIN)
    await client.post("/api/v1/users", json=NEW, headers=admin)
    duplicate = await client.post("/api/v1/users", json=NEW, headers=admin)
    assert duplicate.status_code == 409
    entries = (await client.get("/api/v1/audit/entries", headers=admin)).json()["entries"]
    assert len(entries) == 2


async def test_the_checkpoint_is_signed_and_proofs_verify_against_it(client) -> None:
    auditor = await bearer(Role.AUDITOR)
    admin = await bearer(Role.ADMIN)
    for i in range(5):
        await client.post(
            "/api/v1/users", json={**NEW, "email": f"u{i}@docket.example"}, headers=admin
        )
    keys = (await client.get("/api/v1/audit/keys", headers=auditor)).json()["keys"]
    assert len(keys) == 1
    assert keys[0]["retired_at"] is None
    verifier = Verifier.from_key(keys[0]["vkey"])
    first = await client.get("/api/v1/audit/checkpoint", headers=auditor)
    assert first.headers["content-type"].startswith("text/plain")
    note = open_note(first.text.encode(), [verifier])
    cp1 = parse_checkpoint(note.text)
    assert cp1.size == 7
    await client.post("/api/v1/users", json={**NEW, "email": "late@docket.example"}, headers=admin)
    cp2 = parse_checkpoint(
        open_note(
            (await client.get("/api/v1/audit/checkpoint", headers=auditor)).content, [verifier]
        ).text
    )
    assert cp2.size == 8
    entries = (await client.get("/api/v1/audit/entries", headers=auditor)).json()["entries"]
    leaf_hash = bytes.fromhex(entries[3]["leaf_hash"])
    proof = (
        await client.get(
            "/api/v1/audit/proof/inclusion", headers=auditor, params={"index": 3, "tree_size": 8}
        )
    ).json()
    verify_inclusion(3, 8, leaf_hash, [bytes.fromhex(p) for p in proof["proof"]], cp2.root)
    consistency = (
        await client.get(
            "/api/v1/audit/proof/consistency", headers=auditor, params={"first": 7, "second": 8}
        )
    ).json()
    verify_consistency(7, 8, cp1.root, cp2.root, [bytes.fromhex(p) for p in consistency["proof"]])
    stored = await client.get("/api/v1/audit/tlog/checkpoint", headers=auditor)
    assert stored.text == (await client.get("/api/v1/audit/checkpoint", headers=auditor)).text


async def test_tiles_serve_the_leaf_hashes(client) -> None:
    auditor = await bearer(Role.AUDITOR)
    entries = (await client.get("/api/v1/audit/entries", headers=auditor)).json()["entries"]
    tile = await client.get("/api/v1/audit/tlog/tile/0/000.p/1", headers=auditor)
    assert tile.status_code == 200
    assert tile.content == bytes.fromhex(entries[0]["leaf_hash"])
    bundle = await client.get("/api/v1/audit/tlog/tile/entries/000.p/1", headers=auditor)
    assert bundle.content[2:] == entries[0]["leaf"].encode()
    missing = await client.get("/api/v1/audit/tlog/tile/0/000", headers=auditor)
    assert_problem(missing, 404, "not-found")


async def test_out_of_range_proofs_are_422(client) -> None:
    auditor = await bearer(Role.AUDITOR)
    bad = await client.get(
        "/api/v1/audit/proof/inclusion", headers=auditor, params={"index": 5, "tree_size": 99}
    )
    assert_problem(bad, 422, "out-of-range")
    bad = await client.get(
        "/api/v1/audit/proof/consistency", headers=auditor, params={"first": 2, "second": 1}
    )
    assert_problem(bad, 422, "out-of-range")


async def test_an_admin_erases_a_change_once_and_the_erasure_is_logged(client) -> None:
    admin = await bearer(Role.ADMIN)
    await client.post("/api/v1/users", json=NEW, headers=admin)
    erased = await client.post(
        "/api/v1/audit/entries/1/erase", headers=admin, json={"reason": "GDPR Art 17 request 4711"}
    )
    assert erased.json() == {"erased_index": 1, "erasure_index": 2}
    last = (await client.get("/api/v1/audit/entries", headers=admin, params={"start": 2})).json()
    assert last["entries"][0]["action"] == "audit.change_erased"
    assert last["entries"][0]["erasure"] == {"index": 1, "reason": "GDPR Art 17 request 4711"}
    again = await client.post("/api/v1/audit/entries/1/erase", headers=admin, json={"reason": "x"})
    assert_problem(again, 409, "already-erased")
    missing = await client.post(
        "/api/v1/audit/entries/99/erase", headers=admin, json={"reason": "x"}
    )
    assert_problem(missing, 404, "not-found")
    auditor = await bearer(Role.AUDITOR)
    denied = await client.post(
        "/api/v1/audit/entries/0/erase", headers=auditor, json={"reason": "x"}
    )
    assert_problem(denied, 403, "permission-denied")
