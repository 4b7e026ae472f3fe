"""Fill match_key, and store system names in lower case, for the data sources held before.

Raw statements follow the column in a migration of their own (Piccolo runs a migration's raw
statements before its columns). The normal form is copied here as
``domain.holds.identifiers.match_key`` defined it when this migration was written: a
migration is a snapshot, it does not import the domain.
"""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-07T15:43:55:046571"
VERSION = "1.38.0"
DESCRIPTION = "fill match_key of data sources"


def _domain(domain: str) -> str:
    lowered = domain.strip().rstrip(".").lower()
    try:
        return lowered.encode("idna").decode("ascii")
    except UnicodeError:
        return lowered


def _match_key(system: str, identifier: str) -> str:
    system = system.strip().lower()
    text = identifier.strip()
    if system == "phone":
        digits = "".join(c for c in text if c in "0123456789")
        return f"{system}:" + (("+" if text.startswith("+") else "") + digits if digits else text)
    local, at, domain = text.rpartition("@")
    if at and local and domain:
        return f"{system}:{local.lower()}@{_domain(domain)}"
    return f"{system}:{text.lower()}"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="domain", description=DESCRIPTION)

    async def fill() -> None:
        engine = engine_finder()
        assert engine is not None  # noqa: S101 - piccolo_conf names one
        rows = await engine.run_ddl("SELECT id, system, identifier FROM legal_hold_data_source")
        for row in rows or []:
            system, identifier = str(row["system"]), str(row["identifier"])
            await engine.run_querystring(
                QueryString(
                    "UPDATE legal_hold_data_source SET system = {}, match_key = {} WHERE id = {}",
                    system.strip().lower(),
                    _match_key(system, identifier),
                    row["id"],
                )
            )

    manager.add_raw(fill)
    return manager
