"""The composite index that the holds list pages by: (created_at, id), newest first.

A page resumes after (created_at, id) with a row-value comparison; with ``created_at`` indexed
alone, the holds created in the same instant were read and sorted to find where the page
starts. Piccolo declares no composite indexes, hence the raw statements.
"""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-07T22:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "composite index of the holds list order"

INDEX = "legal_hold_newest_order"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="domain", description=DESCRIPTION)

    async def create_index() -> None:
        await engine_finder().run_ddl(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON legal_hold (created_at, id)"
        )

    async def drop_index() -> None:
        await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {INDEX}")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
