"""Piccolo tables of the audit log (append-only; see the migrations for the triggers).

Only `audit.store`, `audit.keys` and `audit.export` touch these tables; nothing else sees a row.
The database refuses UPDATE, DELETE and TRUNCATE on every table here, with two exceptions
enforced by the same triggers: a change row may be deleted once an erasure entry names it,
and a signing key may be updated once, to set `retired_at`.
"""

from __future__ import annotations

from piccolo.columns import BigInt, Bytea, SmallInt, Text, Timestamptz, Varchar
from piccolo.table import Table


class AuditLeafTable(Table, tablename="audit_leaf"):
    """One log entry: its RFC 8785 leaf bytes and RFC 9162 leaf hash, at a dense index.

    `actor_id`, `subject_type`, `subject_id` and `erased_index` repeat fields of the leaf so
    that they can be indexed; the leaf bytes remain the record.
    """

    entry_index = BigInt(primary_key=True)
    leaf = Bytea()
    leaf_hash = Bytea()
    actor_id = Varchar(length=200, index=True)
    subject_type = Varchar(length=200)
    subject_id = Varchar(length=200, index=True)
    erased_index = BigInt(null=True, default=None, unique=True)


class AuditChangeTable(Table, tablename="audit_change"):
    """The change an entry commits to, with its salt; deleted only by an erasure."""

    entry_index = BigInt(primary_key=True)
    salt = Bytea()
    change_json = Bytea()


class AuditTileTable(Table, tablename="audit_tile"):
    """A C2SP tlog-tiles tile: full (width 256) or partial; a wider partial is a new row.

    Partial tiles of level 0 are not stored: they are the leaf hashes of `AuditLeafTable`.
    (level, tile_index, width) is unique: a unique index made by the trigger migration, since
    Piccolo cannot add table constraints on SQLite.
    """

    level = SmallInt()
    tile_index = BigInt()
    width = SmallInt()
    data = Bytea()


class AuditCheckpointTable(Table, tablename="audit_checkpoint"):
    """A signed C2SP tlog-checkpoint note; one per tree size, every one kept."""

    tree_size = BigInt(primary_key=True)
    note = Text()
    key_id = Varchar(length=8)
    created_at = Timestamptz()


class AuditSigningKeyTable(Table, tablename="audit_signing_key"):
    """A verifier key of the log (the private key is never stored in the database)."""

    vkey = Varchar(length=1000, unique=True)
    key_id = Varchar(length=8)
    created_at = Timestamptz()
    retired_at = Timestamptz(null=True, default=None)


class AuditOriginTable(Table, tablename="audit_origin"):
    """The log's origin (the name in every checkpoint): one row, written once, never changed.

    Kept in the database so that every process serving the log signs under the same name,
    whatever port or host it listens on.
    """

    origin = Varchar(length=1000)
    created_at = Timestamptz()
