"""A text index for the request search (reference, summary, the authority's reference and the
identifiers named), so that a search does not read every request.

The search finds text anywhere inside those fields, ignoring case, so the index is of
trigrams: SQLite's FTS5 ``trigram`` tokenizer, PostgreSQL's ``pg_trgm`` (shipped with the
server) on one expression that joins the fields with a unit separator, which no search can
contain (the API refuses control characters).

On SQLite the FTS rows are keyed by ``request_search_key``, whose INTEGER PRIMARY KEY VACUUM
keeps (it may renumber the rowids of a table keyed by a UUID), and triggers keep the index in
step with every insert, update and delete, in the same transaction.
"""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-07T19:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "a trigram index for the request search"

SQLITE = (
    "CREATE TABLE request_search_key (rowid INTEGER PRIMARY KEY, request_id TEXT NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE request_search USING fts5"
    "(reference, summary, authority_reference, identifiers, tokenize='trigram')",
    "INSERT INTO request_search_key (request_id) SELECT id FROM regulatory_request",
    "INSERT INTO request_search (rowid, reference, summary, authority_reference, identifiers)"
    " SELECT k.rowid, r.reference, r.summary, r.authority_reference, r.identifiers"
    " FROM regulatory_request r JOIN request_search_key k ON k.request_id = r.id",
    "CREATE TRIGGER request_search_insert AFTER INSERT ON regulatory_request BEGIN"
    " INSERT INTO request_search_key (request_id) VALUES (new.id);"
    " INSERT INTO request_search (rowid, reference, summary, authority_reference, identifiers)"
    " SELECT rowid, new.reference, new.summary, new.authority_reference, new.identifiers"
    " FROM request_search_key WHERE request_id = new.id;"
    " END",
    "CREATE TRIGGER request_search_update AFTER UPDATE OF"
    " reference, summary, authority_reference, identifiers ON regulatory_request BEGIN"
    " DELETE FROM request_search"
    " WHERE rowid = (SELECT rowid FROM request_search_key WHERE request_id = old.id);"
    " INSERT INTO request_search (rowid, reference, summary, authority_reference, identifiers)"
    " SELECT rowid, new.reference, new.summary, new.authority_reference, new.identifiers"
    " FROM request_search_key WHERE request_id = new.id;"
    " END",
    "CREATE TRIGGER request_search_delete AFTER DELETE ON regulatory_request BEGIN"
    " DELETE FROM request_search"
    " WHERE rowid = (SELECT rowid FROM request_search_key WHERE request_id = old.id);"
    " DELETE FROM request_search_key WHERE request_id = old.id;"
    " END",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS request_search_insert",
    "DROP TRIGGER IF EXISTS request_search_update",
    "DROP TRIGGER IF EXISTS request_search_delete",
    "DROP TABLE IF EXISTS request_search",
    "DROP TABLE IF EXISTS request_search_key",
)

SEARCH_TEXT = (
    "(reference || chr(31) || summary || chr(31) || authority_reference || chr(31) || identifiers)"
)
"""The expression the PostgreSQL index is built on; the search compares the same expression."""
POSTGRES = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX regulatory_request_search ON regulatory_request"
    f" USING gin ({SEARCH_TEXT} gin_trgm_ops)",
)
POSTGRES_DOWN = ("DROP INDEX IF EXISTS regulatory_request_search",)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="domain", description=DESCRIPTION)

    async def run(statements: tuple[str, ...], pg_statements: tuple[str, ...]) -> None:
        engine = engine_finder()
        for statement in pg_statements if isinstance(engine, PostgresEngine) else statements:
            await engine.run_ddl(statement)

    async def create() -> None:
        await run(SQLITE, POSTGRES)

    async def drop() -> None:
        await run(SQLITE_DOWN, POSTGRES_DOWN)

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
