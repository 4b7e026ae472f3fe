"""The database itself refuses to change or remove audit rows (triggers, both engines)."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import asyncpg
import pytest
from test_store import T0, append_many, given_signer, needs_pg, sign

from audit import store
from audit.keys import verifier_keys
from audit.tables import AuditChangeTable, AuditLeafTable
from audit.tiles import TILE_WIDTH
from domain.shared import database

REFUSED = (sqlite3.IntegrityError, asyncpg.exceptions.InsufficientPrivilegeError)
TABLES = ("audit_leaf", "audit_tile", "audit_checkpoint", "audit_signing_key", "audit_change")


@pytest.fixture
async def log(db: str) -> None:
    signer = await given_signer()
    await append_many(TILE_WIDTH + 1)
    await sign(signer)


async def run(sql: str) -> None:
    await AuditLeafTable.raw(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_leaf SET actor_id = 'mallory' WHERE entry_index = 0",
        "UPDATE audit_leaf SET leaf_hash = leaf_hash",
        "UPDATE audit_tile SET width = width",
        "UPDATE audit_checkpoint SET note = note",
        "UPDATE audit_signing_key SET key_id = '00000000'",
        "UPDATE audit_change SET salt = salt WHERE entry_index = 1",
    ],
    ids=lambda sql: sql.split()[1],
)
async def test_update_is_refused(log: None, sql: str) -> None:
    with pytest.raises(REFUSED, match="refused"):
        await run(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM audit_leaf WHERE entry_index = 3",
        "DELETE FROM audit_leaf",
        "DELETE FROM audit_tile",
        "DELETE FROM audit_checkpoint",
        "DELETE FROM audit_signing_key",
        "DELETE FROM audit_change WHERE entry_index = 3",
        "DELETE FROM audit_change",
    ],
    ids=lambda sql: sql.split()[2] + (" where" if "WHERE" in sql else ""),
)
async def test_delete_is_refused(log: None, sql: str) -> None:
    with pytest.raises(REFUSED, match="refused"):
        await run(sql)
    assert await store.size() == TILE_WIDTH + 1


async def test_the_orm_is_refused_too(log: None) -> None:
    with pytest.raises(REFUSED):
        await AuditLeafTable.update({AuditLeafTable.actor_id: "mallory"}, force=True)
    with pytest.raises(REFUSED):
        await AuditChangeTable.delete(force=True)


@pytest.mark.pg
@needs_pg
@pytest.mark.parametrize("table", TABLES)
async def test_truncate_is_refused_on_postgresql(log: None, table: str) -> None:
    with pytest.raises(REFUSED, match="TRUNCATE refused"):
        await run(f"TRUNCATE {table}")


async def test_a_change_may_be_deleted_once_an_erasure_names_it(log: None) -> None:
    async with database.write_transaction():
        await store.erase_change(3, reason="r", actor_id="a", time=T0, correlation_id="c")
    assert await store.changes_for(3) is None


async def test_a_key_may_only_be_retired_once(log: None) -> None:
    await given_signer(seed=8, now=T0 + timedelta(days=1))  # retires the first key
    first, second = await verifier_keys()
    assert first.retired_at == T0 + timedelta(days=1)
    assert second.retired_at is None
    with pytest.raises(REFUSED, match="refused"):
        await run("UPDATE audit_signing_key SET retired_at = NULL")
    sql = f"UPDATE audit_signing_key SET retired_at = created_at WHERE vkey = '{first.vkey}'"  # noqa: S608
    with pytest.raises(REFUSED, match="refused"):
        await run(sql)
