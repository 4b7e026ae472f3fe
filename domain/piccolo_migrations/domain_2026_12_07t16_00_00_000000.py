"""regulatory_request.updated_at indexed: the sweep reads the requests changed since it last ran."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz

ID = "2026-12-07T16:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "the requests changed since the last sweep"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="domain", description=DESCRIPTION)
    manager.alter_column(
        table_class_name="RequestTable",
        tablename="regulatory_request",
        column_name="updated_at",
        db_column_name="updated_at",
        params={"index": True},
        old_params={"index": False},
        column_class=Timestamptz,
        old_column_class=Timestamptz,
        schema=None,
    )
    return manager
