"""Table of the per-user calendar feed tokens (only the SHA-256 of each secret is kept)."""

from __future__ import annotations

from piccolo.columns import UUID, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class CalendarTokenTable(Table, tablename="calendar_feed_token"):
    """A secret in a calendar subscription URL; at most one per user is live (not revoked)."""

    id = UUID(primary_key=True)
    user_id = UUID(index=True)
    prefix = Varchar(length=16)
    secret_sha256 = Varchar(length=64, unique=True, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    revoked_at = Timestamptz(null=True, default=None)
