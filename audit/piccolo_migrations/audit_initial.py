"""The audit log's append-only tables: leaves, changes, tiles, checkpoints, signing keys."""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt
from piccolo.columns.column_types import Bytea
from piccolo.columns.column_types import SmallInt
from piccolo.columns.column_types import Text
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.column_types import Varchar

ID = "2026-12-07T13:06:07:451801"
VERSION = "1.38.0"
DESCRIPTION = (
    "The audit log's append-only tables: leaves, changes, tiles, checkpoints, signing keys."
)


def _table(manager: MigrationManager, class_name: str, tablename: str, **columns: tuple) -> None:
    """One table and its columns: (column class, the params that differ from its defaults)."""
    manager.add_table(class_name=class_name, tablename=tablename)
    for name, (column_class, params) in columns.items():
        manager.add_column(
            table_class_name=class_name,
            tablename=tablename,
            column_name=name,
            column_class=column_class,
            params=params,
        )


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="audit", description=DESCRIPTION)
    _table(
        manager,
        "AuditTileTable",
        "audit_tile",
        level=(SmallInt, {}),
        tile_index=(BigInt, {}),
        width=(SmallInt, {}),
        data=(Bytea, {}),
    )
    _table(
        manager,
        "AuditLeafTable",
        "audit_leaf",
        entry_index=(BigInt, {"primary_key": True}),
        leaf=(Bytea, {}),
        leaf_hash=(Bytea, {}),
        actor_id=(Varchar, {"length": 200, "index": True}),
        subject_type=(Varchar, {"length": 200}),
        subject_id=(Varchar, {"length": 200, "index": True}),
        erased_index=(BigInt, {"default": None, "null": True, "unique": True}),
    )
    _table(
        manager,
        "AuditCheckpointTable",
        "audit_checkpoint",
        tree_size=(BigInt, {"primary_key": True}),
        note=(Text, {}),
        key_id=(Varchar, {"length": 8}),
        created_at=(Timestamptz, {}),
    )
    _table(
        manager,
        "AuditChangeTable",
        "audit_change",
        entry_index=(BigInt, {"primary_key": True}),
        salt=(Bytea, {}),
        change_json=(Bytea, {}),
    )
    _table(
        manager,
        "AuditSigningKeyTable",
        "audit_signing_key",
        vkey=(Varchar, {"length": 1000, "unique": True}),
        key_id=(Varchar, {"length": 8}),
        created_at=(Timestamptz, {}),
        retired_at=(Timestamptz, {"default": None, "null": True}),
    )
    return manager
