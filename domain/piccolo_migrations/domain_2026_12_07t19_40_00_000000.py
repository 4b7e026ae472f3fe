"""The composite indexes that the request lists page by: (sort column, id) for each order.

A page resumes after (sort key, id) with a row-value comparison; with the sort column indexed
alone, the requests that share a deadline (thousands, when a regulator sends a batch) were
read and sorted to find where the page starts. Piccolo declares no composite indexes, hence
the raw statements.
"""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-07T19:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "composite indexes of the request lists orders"

INDEXES = {
    "regulatory_request_queue_order": "queue_due_at, id",
    "regulatory_request_due_order": "sort_due_at, id",
    "regulatory_request_received_order": "received_at, id",
    "regulatory_request_reference_order": "reference, id",
}


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="domain", description=DESCRIPTION)

    async def create_indexes() -> None:
        for name, columns in INDEXES.items():
            await engine_finder().run_ddl(
                f"CREATE INDEX IF NOT EXISTS {name} ON regulatory_request ({columns})"
            )

    async def drop_indexes() -> None:
        for name in INDEXES:
            await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
