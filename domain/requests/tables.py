"""Piccolo tables of authorities, regulatory requests, their clock stops, comments and documents."""

from __future__ import annotations

from piccolo.columns import UUID, BigInt, Boolean, Date, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class AuthorityTable(Table, tablename="authority"):
    """A regulator, court, prosecutor or police force that sends requests."""

    id = UUID(primary_key=True)
    name = Varchar(length=300)
    country = Varchar(length=2, index=True)
    type = Varchar(length=30)
    contact = Text(default="")
    verified = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())


class ReferenceCounterTable(Table, tablename="reference_counter"):
    """The last request number handed out per year; its row is locked to allocate the next."""

    year = Integer(unique=True)
    last_number = Integer(default=0)


class RequestTable(Table, tablename="regulatory_request"):
    """A regulatory request; ``version`` guards against lost updates (optimistic concurrency).

    ``due_at`` is the deadline in force (the extended one once taken), ``statutory_due_at`` the
    one the rule gives; ``events`` and ``due_set_by_authority`` hold JSON objects.

    ``sort_due_at`` is the binding deadline (the extended one once taken) or, for an order that
    gave no date, a far-future sentinel: SQLite and PostgreSQL order NULLs differently, and the
    list's keyset cursor needs one total order on both. ``queue_due_at`` is the same while the
    answer is owed and NULL once it is sent or the request is finished: the queue reads the open
    requests in deadline order from its index instead of sorting every open request.
    """

    id = UUID(primary_key=True)
    reference = Varchar(length=20, unique=True)
    version = Integer(default=1)
    authority_id = UUID(index=True)
    rule_id = Varchar(length=120, index=True)
    jurisdiction = Varchar(length=10, index=True)
    tz = Varchar(length=64)
    subdivision = Varchar(length=20, null=True, default=None)
    channel = Varchar(length=20)
    received_at = Timestamptz()
    authority_reference = Varchar(length=200, default="")
    legal_basis = Text(default="")
    summary = Text(default="")
    priority = Varchar(length=10, index=True)
    confidentiality = Varchar(length=20)
    tags = Text(default="[]")
    assignee = UUID(null=True, default=None, index=True)
    response_language = Varchar(length=35)
    kind = Varchar(length=20)
    dsa_basis = Varchar(length=10)
    instrument = Varchar(length=30)
    emergency = Boolean(default=False)
    events = Text(default="{}")
    due_set_by_authority = Text(null=True, default=None)
    state = Varchar(length=30, index=True)
    due_at = Timestamptz(null=True, default=None)
    due_date = Date(null=True, default=None)
    statutory_due_at = Timestamptz(null=True, default=None)
    statutory_due_date = Date(null=True, default=None)
    extended_due_at = Timestamptz(null=True, default=None)
    extended_due_date = Date(null=True, default=None)
    extension_notice_due_at = Timestamptz(null=True, default=None, index=True)
    extension_taken = Boolean(default=False)
    extension_reason = Text(default="")
    extension_notified_on = Date(null=True, default=None)
    acknowledgement_due_at = Timestamptz(null=True, default=None, index=True)
    sort_due_at = Timestamptz(index=True)
    queue_due_at = Timestamptz(null=True, default=None, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow(), index=True)
    # report fields (domain.requests.fields.RequestRecord); '' is "not recorded" for vocabularies
    mlat = Boolean(default=False)
    service = Varchar(length=200, default="")
    nondisclosure_order = Boolean(default=False)
    nondisclosure_expires_on = Date(null=True, default=None, index=True)
    data_scope = Varchar(length=20, default="")
    identifiers = Text(default="[]")
    content_items = Text(default="[]")
    dsa_category = Varchar(length=100, default="")
    dsa_subcategory = Varchar(length=100, default="")
    taxonomy_version = Varchar(length=20, default="")
    internal_reason = Text(default="")
    receipt_acknowledged_at = Timestamptz(null=True, default=None)
    effect_given_at = Timestamptz(null=True, default=None)
    authority_informed_at = Timestamptz(null=True, default=None)
    user_notified_at = Timestamptz(null=True, default=None)
    responded_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    notice_decision = Varchar(length=20, default="")
    notice_delay_order = Text(default="")
    notice_delay_expires_on = Date(null=True, default=None, index=True)
    data_outcome = Varchar(length=20, default="")
    data_rejection_reason = Text(default="")


class ClockPauseTable(Table, tablename="clock_pause"):
    """A stop of a request's clock; ``ended_at`` is None while it goes on."""

    request_id = UUID(index=True)
    started_at = Timestamptz()
    ended_at = Timestamptz(null=True, default=None)


class CommentTable(Table, tablename="request_comment"):
    """A comment on a request (never edited: a correction is a new comment)."""

    id = UUID(primary_key=True)
    request_id = UUID(index=True)
    author = Varchar(length=200)
    body = Text()
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class AttachmentTable(Table, tablename="request_attachment"):
    """An incoming document: the bytes live in the blob store under their SHA-256."""

    id = UUID(primary_key=True)
    request_id = UUID(index=True)
    sha256 = Varchar(length=64, index=True)
    size = BigInt()
    media_type = Varchar(length=200)
    original_name = Varchar(length=255, default="")
    uploaded_by = Varchar(length=200)
    uploaded_at = Timestamptz(default=TimestamptzNow())
