"""The log's origin, stored once: every process signs checkpoints under the same name."""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz, Varchar

ID = "2026-12-07T15:33:58:014566"
VERSION = "1.38.0"
DESCRIPTION = "The log origin, stored once"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="audit", description=DESCRIPTION)
    manager.add_table(class_name="AuditOriginTable", tablename="audit_origin")
    for name, column_class, params in (
        ("origin", Varchar, {"length": 1000}),
        ("created_at", Timestamptz, {}),
    ):
        manager.add_column(
            table_class_name="AuditOriginTable",
            tablename="audit_origin",
            column_name=name,
            column_class=column_class,
            params=params,
        )
    return manager
