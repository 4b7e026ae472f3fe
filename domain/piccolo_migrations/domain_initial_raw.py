"""The composite index that the preservation check seeks data sources by.

Raw statements run before a migration's tables are created, so they follow in a migration of
their own.
"""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-07T13:06:05:351027"
VERSION = "1.38.0"
DESCRIPTION = "The composite index that the preservation check seeks data sources by."


# The preservation check looks a data source up by identifier and system together; a
# single-column index on `system` made SQLite scan every mailbox of a system instead of seeking
# the identifier. Piccolo declares no composite indexes, hence the raw statement.
DATA_SOURCE_LOOKUP = (
    "CREATE INDEX legal_hold_data_source_lookup ON legal_hold_data_source (identifier, system)"
)


def _add_raw(manager: MigrationManager) -> None:
    async def create_index() -> None:
        await engine_finder().run_ddl(DATA_SOURCE_LOOKUP)

    async def drop_index() -> None:
        await engine_finder().run_ddl("DROP INDEX IF EXISTS legal_hold_data_source_lookup")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="domain", description=DESCRIPTION)
    _add_raw(manager)
    return manager
