"""Backfill of the deadline fields named in the migration before: statutory, and in force.

Until now ``due_at``/``due_date`` held the statutory deadline even after an extension, while
the lists, reminders and the letter read the extended one. From here ``statutory_due_*`` holds
the rule's deadline and ``due_*`` the one in force. A separate migration because Piccolo runs a
migration's raw statements before its new columns exist.
"""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-07T22:31:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "backfill the statutory deadline and the deadline in force"

FORWARDS = (
    "UPDATE regulatory_request SET statutory_due_at = due_at, statutory_due_date = due_date",
    "UPDATE regulatory_request SET due_at = extended_due_at, due_date = extended_due_date"
    " WHERE extension_taken = TRUE AND extended_due_at IS NOT NULL",
)
BACKWARDS = (
    "UPDATE regulatory_request SET due_at = statutory_due_at, due_date = statutory_due_date",
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="domain", description=DESCRIPTION)

    async def backfill() -> None:
        for statement in FORWARDS:
            await engine_finder().run_ddl(statement)

    async def restore() -> None:
        for statement in BACKWARDS:
            await engine_finder().run_ddl(statement)

    manager.add_raw(backfill)
    manager.add_raw_backwards(restore)
    return manager
