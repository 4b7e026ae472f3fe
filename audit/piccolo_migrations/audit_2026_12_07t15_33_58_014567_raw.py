"""The stored origin is written once: UPDATE, DELETE and TRUNCATE refused; one row at most.

Raw statements run before a migration's tables are created, so they follow in a migration of
their own. The unique index on a constant expression allows a single row (both engines).
"""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-07T15:33:58:014567"
VERSION = "1.38.0"
DESCRIPTION = "The stored origin is written once"

ONE_ROW = "CREATE UNIQUE INDEX audit_origin_one_row ON audit_origin ((1))"

SQLITE = [
    ONE_ROW,
    *(
        f"CREATE TRIGGER audit_origin_no_{op.lower()} BEFORE {op} ON audit_origin"
        f" BEGIN SELECT RAISE(ABORT, 'audit_origin is written once ({op} refused)'); END"
        for op in ("UPDATE", "DELETE")
    ),
]
# audit_refuse() comes from the initial raw migration
POSTGRES = [
    ONE_ROW,
    "CREATE TRIGGER audit_origin_no_truncate BEFORE TRUNCATE ON audit_origin"
    " FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse()",
    "CREATE TRIGGER audit_origin_append_only BEFORE UPDATE OR DELETE ON audit_origin"
    " FOR EACH ROW EXECUTE FUNCTION audit_refuse()",
]
UNDO_SQLITE = [
    "DROP TRIGGER IF EXISTS audit_origin_no_update",
    "DROP TRIGGER IF EXISTS audit_origin_no_delete",
    "DROP INDEX IF EXISTS audit_origin_one_row",
]
UNDO_POSTGRES = [
    "DROP TRIGGER IF EXISTS audit_origin_no_truncate ON audit_origin",
    "DROP TRIGGER IF EXISTS audit_origin_append_only ON audit_origin",
    "DROP INDEX IF EXISTS audit_origin_one_row",
]


def _run(forward: bool):
    async def run() -> None:
        engine = engine_finder()
        postgres = engine.engine_type == "postgres"
        if forward:
            statements = POSTGRES if postgres else SQLITE
        else:
            statements = UNDO_POSTGRES if postgres else UNDO_SQLITE
        for statement in statements:
            await engine.run_ddl(statement)

    return run


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="audit", description=DESCRIPTION)
    manager.add_raw(_run(forward=True))
    manager.add_raw_backwards(_run(forward=False))
    return manager
