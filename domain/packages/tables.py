"""Piccolo tables of response packages: the response draft of a request and its built versions.

A version row is written once when built; afterwards only its workflow columns change (state,
submission, approval with the signed PDF's digest, send-back comments, sending) and the
request fields that made it stale. The PDFs live in
the content-addressed blob store under ``sha256`` and ``signed_sha256``.
"""

from __future__ import annotations

from piccolo.columns import UUID, BigInt, Boolean, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class ResponseDraftTable(Table, tablename="response_draft"):
    """The response being written for a request: one row per request, ``revision`` counts edits.

    ``exhibits`` is a JSON list of ``{"attachment_id", "title"}`` naming the request's own
    attachments, in the order the package lists them.
    """

    request_id = UUID(primary_key=True)
    markdown = Text(default="")
    locale = Varchar(length=35, default="")
    exhibits = Text(default="[]")
    revision = Integer(default=0)
    updated_by = Varchar(length=200)
    updated_by_name = Varchar(length=200, default="")
    updated_at = Timestamptz(default=TimestamptzNow())


class LetterTemplateTable(Table, tablename="letter_template"):
    """The organisation's greeting and closing of the cover letter in one locale.

    No row: the locale's default text. A row is replaced as a whole by each change.
    """

    locale = Varchar(length=35, primary_key=True)
    greeting = Text()
    closing = Text()
    updated_by = Varchar(length=200)
    updated_at = Timestamptz(default=TimestamptzNow())


class PackageVersionTable(Table, tablename="response_package_version"):
    """One immutable build of a request's response package (the PDF under ``sha256``)."""

    id = UUID(primary_key=True)
    request_id = UUID(index=True)
    number = Integer()
    sha256 = Varchar(length=64, index=True)
    size = BigInt()
    locale = Varchar(length=35)
    draft_revision = Integer()
    drafted_by = Varchar(length=200)
    built_by = Varchar(length=200)
    created_at = Timestamptz(default=TimestamptzNow())
    state = Varchar(length=20, index=True)
    submitted_by = Varchar(length=200, default="")
    submitted_at = Timestamptz(null=True, default=None)
    approved_by = Varchar(length=200, default="")
    approved_at = Timestamptz(null=True, default=None)
    signed_sha256 = Varchar(length=64, default="", index=True)
    signed_size = BigInt(default=0)
    sent_by = Varchar(length=200, default="")
    sent_at = Timestamptz(null=True, default=None)
    comments = Text(default="[]")
    request_digest = Varchar(length=64, default="")
    """SHA-256 of what the letter prints of the request; empty: built before it was recorded."""
    stale_fields = Text(default="[]")
    """JSON list of the printed request fields changed since the build (set by that change)."""
    approval_page = Boolean(default=True)
    """Whether the PDF ends with the internal approval page (versions built earlier all do)."""
