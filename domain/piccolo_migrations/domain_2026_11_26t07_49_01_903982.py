"""The preservation check looks a data source up by identifier and system together.

A single-column index on ``system`` made SQLite's planner scan every data source of a system
(all the mailboxes of ``exchange``) instead of seeking the identifier; it is replaced by one
composite index. Piccolo declares no composite indexes, hence the raw statement.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.engine.finder import engine_finder

ID = "2026-11-26T07:49:01:903982"
VERSION = "1.38.0"
DESCRIPTION = "Look data sources up by (identifier, system)"
LOOKUP = (
    "CREATE INDEX IF NOT EXISTS legal_hold_data_source_lookup "
    "ON legal_hold_data_source (identifier, system)"
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="domain", description=DESCRIPTION)

    manager.alter_column(
        table_class_name="HoldDataSourceTable",
        tablename="legal_hold_data_source",
        column_name="system",
        db_column_name="system",
        params={"index": False},
        old_params={"index": True},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    async def create_index() -> None:
        await engine_finder().run_ddl(LOOKUP)

    async def drop_index() -> None:
        await engine_finder().run_ddl("DROP INDEX IF EXISTS legal_hold_data_source_lookup")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
