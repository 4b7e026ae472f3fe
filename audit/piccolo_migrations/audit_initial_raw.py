"""The audit tables refuse UPDATE, DELETE and TRUNCATE; the tiles' unique key.

Raw statements run before a migration's tables are created, so they follow in a migration of
their own.
"""

from __future__ import annotations

import re

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-07T13:06:07:451802"
VERSION = "1.38.0"
DESCRIPTION = "The audit tables refuse UPDATE, DELETE and TRUNCATE; the tiles' unique key."


# Append-only: triggers refuse UPDATE, DELETE and TRUNCATE on both engines. Exceptions: a change
# row may be deleted once an erasure entry in `audit_leaf` names it, and a signing key row may be
# updated only to set `retired_at` from NULL. The unique index on tiles is here because Piccolo
# cannot add table constraints on SQLite.
APPEND_ONLY = ("audit_leaf", "audit_tile", "audit_checkpoint")
KEY_RETIRE_ONLY = (
    "OLD.retired_at IS NULL AND NEW.retired_at IS NOT NULL"
    " AND NEW.id {same} OLD.id AND NEW.vkey {same} OLD.vkey"
    " AND NEW.key_id {same} OLD.key_id AND NEW.created_at {same} OLD.created_at"
)
TILE_KEY = "CREATE UNIQUE INDEX audit_tile_key ON audit_tile (level, tile_index, width)"


def _sqlite_refuse(name: str, op: str, table: str, message: str, when: str = "") -> str:
    return (
        f"CREATE TRIGGER {name} BEFORE {op} ON {table}{' ' + when if when else ''}"
        f" BEGIN SELECT RAISE(ABORT, '{message}'); END"
    )


def sqlite_statements() -> list[str]:
    out = [TILE_KEY]
    for table in APPEND_ONLY:
        for op in ("UPDATE", "DELETE"):
            out.append(
                _sqlite_refuse(
                    f"{table}_no_{op.lower()}", op, table, f"{table} is append-only ({op} refused)"
                )
            )
    out += [
        _sqlite_refuse(
            "audit_signing_key_no_update",
            "UPDATE",
            "audit_signing_key",
            "audit_signing_key: only retired_at may be set, once (UPDATE refused)",
            "WHEN NOT (" + KEY_RETIRE_ONLY.format(same="IS") + ")",
        ),
        _sqlite_refuse(
            "audit_signing_key_no_delete",
            "DELETE",
            "audit_signing_key",
            "audit_signing_key is append-only (DELETE refused)",
        ),
        _sqlite_refuse(
            "audit_change_no_update",
            "UPDATE",
            "audit_change",
            "audit_change is append-only (UPDATE refused)",
        ),
        _sqlite_refuse(
            "audit_change_erasure_only",
            "DELETE",
            "audit_change",
            "audit_change: DELETE refused without a logged erasure",
            "WHEN NOT EXISTS (SELECT 1 FROM audit_leaf WHERE erased_index = OLD.entry_index)",
        ),
    ]
    return out


PG_REFUSE = """
CREATE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$"""

PG_ERASURE_ONLY = """
CREATE FUNCTION audit_change_erasure_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM audit_leaf WHERE erased_index = OLD.entry_index) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_change: DELETE refused without a logged erasure (entry %)',
    OLD.entry_index USING ERRCODE = 'insufficient_privilege';
END $$"""


def _pg_trigger(
    name: str, when: str, table: str, function: str = "audit_refuse", condition: str = ""
) -> str:
    each = "STATEMENT" if when == "TRUNCATE" else "ROW"
    condition = f" WHEN ({condition})" if condition else ""
    return (
        f"CREATE TRIGGER {name} BEFORE {when} ON {table} FOR EACH {each}{condition}"
        f" EXECUTE FUNCTION {function}()"
    )


def postgres_statements() -> list[str]:
    out = [TILE_KEY, PG_REFUSE, PG_ERASURE_ONLY]
    for table in (*APPEND_ONLY, "audit_signing_key", "audit_change"):
        out.append(_pg_trigger(f"{table}_no_truncate", "TRUNCATE", table))
    for table in APPEND_ONLY:
        out.append(_pg_trigger(f"{table}_append_only", "UPDATE OR DELETE", table))
    retire_only = "NOT (" + KEY_RETIRE_ONLY.format(same="IS NOT DISTINCT FROM") + ")"
    out += [
        _pg_trigger(
            "audit_signing_key_no_update", "UPDATE", "audit_signing_key", condition=retire_only
        ),
        _pg_trigger("audit_signing_key_no_delete", "DELETE", "audit_signing_key"),
        _pg_trigger("audit_change_no_update", "UPDATE", "audit_change"),
        _pg_trigger(
            "audit_change_erasure_only", "DELETE", "audit_change", "audit_change_erasure_only"
        ),
    ]
    return out


def undo_statements(statements: list[str], postgres: bool) -> list[str]:
    out = []
    for statement in statements:
        if match := re.match(r"CREATE TRIGGER (\w+) BEFORE .*? ON (\w+)", statement):
            out.append(
                f"DROP TRIGGER IF EXISTS {match[1]}" + (f" ON {match[2]}" if postgres else "")
            )
    if postgres:
        out += [
            "DROP FUNCTION IF EXISTS audit_refuse()",
            "DROP FUNCTION IF EXISTS audit_change_erasure_only()",
        ]
    return [*out, "DROP INDEX IF EXISTS audit_tile_key"]


def _statements(engine, *, undo: bool = False) -> list[str]:
    postgres = engine.engine_type == "postgres"
    statements = postgres_statements() if postgres else sqlite_statements()
    return undo_statements(statements, postgres) if undo else statements


def _add_raw(manager: MigrationManager) -> None:
    async def run() -> None:
        engine = engine_finder()
        for statement in _statements(engine):
            await engine.run_ddl(statement)

    async def run_backwards() -> None:
        engine = engine_finder()
        for statement in _statements(engine, undo=True):
            await engine.run_ddl(statement)

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="audit", description=DESCRIPTION)
    _add_raw(manager)
    return manager
