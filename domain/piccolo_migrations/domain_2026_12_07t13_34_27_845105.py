"""queue_due_at: the open requests in deadline order, read from their own index."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz

ID = "2026-12-07T13:34:27:845105"
VERSION = "1.38.0"
DESCRIPTION = "the open requests in deadline order"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="domain", description=DESCRIPTION)
    manager.add_column(
        table_class_name="RequestTable",
        tablename="regulatory_request",
        column_name="queue_due_at",
        column_class=Timestamptz,
        params={"default": None, "null": True, "index": True},
    )
    return manager
