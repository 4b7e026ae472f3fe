"""Fill queue_due_at for the requests logged before it existed (raw statements follow the column
in a migration of their own: Piccolo runs a migration's raw statements before its columns)."""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-07T13:34:27:845106"
VERSION = "1.38.0"
DESCRIPTION = "fill queue_due_at"

# The states in which the answer is still owed, as domain.requests.repo.UNANSWERED_STATES said
# when this migration was written (a migration is a snapshot: it does not import the domain).
OWED = (
    "'received', 'triaged', 'in_progress', 'awaiting_clarification', 'drafting', "
    "'in_legal_review', 'approved', 'reopened'"
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="domain", description=DESCRIPTION)

    async def fill() -> None:
        await engine_finder().run_ddl(
            f"UPDATE regulatory_request SET queue_due_at = sort_due_at WHERE state IN ({OWED})"  # noqa: S608 - constants
        )

    manager.add_raw(fill)
    return manager
