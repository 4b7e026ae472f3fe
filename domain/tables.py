"""Piccolo tables of the domain; nothing outside ``domain/`` sees a row (see ``domain.repo``)."""

from __future__ import annotations

from piccolo.columns import UUID, BigInt, Boolean, Date, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class UserTable(Table, tablename="docket_user"):
    """A person who logs in; ``email`` is stored lower-cased."""

    id = UUID(primary_key=True)
    email = Varchar(length=320, unique=True, index=True)
    display_name = Varchar(length=200)
    role = Varchar(length=20)
    password_hash = Varchar(length=200)
    created_at = Timestamptz(default=TimestamptzNow())
    disabled_at = Timestamptz(null=True, default=None)


class ApiTokenTable(Table, tablename="api_token"):
    """A bearer token for another system; only the SHA-256 of the secret is kept."""

    id = UUID(primary_key=True)
    name = Varchar(length=200)
    role = Varchar(length=20)
    prefix = Varchar(length=16)
    secret_sha256 = Varchar(length=64, unique=True, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    created_by = UUID(null=True, default=None)
    expires_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class LoginFailureTable(Table, tablename="login_failure"):
    """One wrong password, counted against the account and against the client address."""

    key = Varchar(length=400, index=True)
    failed_at = Timestamptz(default=TimestamptzNow(), index=True)


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

    ``sort_due_at`` is the binding deadline (the extended one once taken) or, for an order that
    gave no date, a far-future sentinel: SQLite and PostgreSQL order NULLs differently, and the
    list's keyset cursor needs one total order on both.
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
    state = Varchar(length=30, index=True)
    due_at = Timestamptz(null=True, default=None)
    due_date = Date(null=True, default=None)
    extended_due_at = Timestamptz(null=True, default=None)
    extended_due_date = Date(null=True, default=None)
    extension_notice_due_at = Timestamptz(null=True, default=None, index=True)
    extension_taken = Boolean(default=False)
    extension_reason = Text(default="")
    extension_notified_on = Date(null=True, default=None)
    acknowledgement_due_at = Timestamptz(null=True, default=None, index=True)
    sort_due_at = Timestamptz(index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    # report fields (domain.request_fields.RequestRecord); '' is "not recorded" for vocabularies
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


# ================================================================ legal holds
# Appended with the legal holds (domain/services/holds.py, domain/holds_repo.py).
class HoldTable(Table, tablename="legal_hold"):
    """A legal hold on a matter: draft, then active (issued), then released."""

    id = UUID(primary_key=True)
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
    """A system and identifier (a mailbox, a drive, an account) that a hold preserves."""

    hold_id = UUID(index=True)
    system = Varchar(length=100)  # looked up with identifier: see the composite index (migration)
    identifier = Varchar(length=300, index=True)
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
