"""Piccolo tables of legal holds, their custodians, data sources and notices."""

from __future__ import annotations

from piccolo.columns import UUID, Date, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class HoldTable(Table, tablename="legal_hold"):
    """A legal hold on a matter; ``version`` guards against lost updates (optimistic concurrency).

    Draft, then issued and active, partially released, released.
    """

    id = UUID(primary_key=True)
    version = Integer(default=1)
    matter = Varchar(length=200, index=True)
    title = Varchar(length=300)
    state = Varchar(length=20, index=True)
    request_ids = Text(default="[]")
    scope_start = Date(null=True, default=None)
    scope_end = Date(null=True, default=None)
    keywords = Text(default="[]")
    scope_description = Text(default="")
    notice_text = Text(default="")
    created_by = Varchar(length=200)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    issued_at = Timestamptz(null=True, default=None)
    released_at = Timestamptz(null=True, default=None)
    preservation_request_id = UUID(null=True, default=None, index=True)
    questions = Text(default="[]")


class HoldCustodianTable(Table, tablename="legal_hold_custodian"):
    """A person whose data a hold preserves; ``email`` is stored lower-cased."""

    hold_id = UUID(index=True)
    email = Varchar(length=320, index=True)
    name = Varchar(length=200, default="")
    manager_email = Varchar(length=320, default="")
    released_at = Timestamptz(null=True, default=None)
    acknowledged_at = Timestamptz(null=True, default=None)
    ack_address = Varchar(length=64, default="")
    ack_user_agent = Varchar(length=300, default="")
    ack_answers = Text(default="{}")


class HoldDataSourceTable(Table, tablename="legal_hold_data_source"):
    """A system and identifier (a mailbox, a drive, an account) that a hold preserves.

    ``system`` is stored in normal form (lower case); ``identifier`` as given, trimmed;
    ``match_key`` is the pair in normal form (``domain.holds.identifiers.match_key``), which
    the preservation check looks up.
    """

    hold_id = UUID(index=True)
    system = Varchar(length=100)  # looked up with identifier: see the composite index (migration)
    identifier = Varchar(length=300, index=True)
    match_key = Varchar(length=420, index=True, default="")
    released_at = Timestamptz(null=True, default=None)


class HoldNoticeTable(Table, tablename="legal_hold_notice"):
    """A message to a custodian (or their manager) that the scheduler delivers when it is due.

    The domain writes these rows in the transaction of the change that calls for them (issue,
    acknowledgement, release); the sweep delivers the due ones. A notice's id, signed, is the
    custodian's single-use acknowledgement link.
    """

    id = UUID(primary_key=True)
    hold_id = UUID(index=True)
    custodian_email = Varchar(length=320, index=True)
    recipient_email = Varchar(length=320)
    kind = Varchar(length=30)
    due_at = Timestamptz(index=True)
    expires_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    delivered_at = Timestamptz(null=True, default=None, index=True)
    cancelled_at = Timestamptz(null=True, default=None)
    used_at = Timestamptz(null=True, default=None)
