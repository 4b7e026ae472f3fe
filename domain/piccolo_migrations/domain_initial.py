"""Docket's domain tables: people, requests, holds, response packages, notifications."""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt
from piccolo.columns.column_types import Boolean
from piccolo.columns.column_types import Date
from piccolo.columns.column_types import Integer
from piccolo.columns.column_types import Text
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.column_types import UUID
from piccolo.columns.column_types import Varchar

ID = "2026-12-07T13:06:05:351026"
VERSION = "1.38.0"
DESCRIPTION = "Docket's domain tables: people, requests, holds, response packages, notifications."


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
    manager = MigrationManager(migration_id=ID, app_name="domain", description=DESCRIPTION)
    _table(
        manager,
        "ClockPauseTable",
        "clock_pause",
        request_id=(UUID, {"index": True}),
        started_at=(Timestamptz, {}),
        ended_at=(Timestamptz, {"default": None, "null": True}),
    )
    _table(
        manager,
        "ReferenceCounterTable",
        "reference_counter",
        year=(Integer, {"unique": True}),
        last_number=(Integer, {}),
    )
    _table(
        manager,
        "RequestTable",
        "regulatory_request",
        id=(UUID, {"primary_key": True}),
        reference=(Varchar, {"length": 20, "unique": True}),
        version=(Integer, {"default": 1}),
        authority_id=(UUID, {"index": True}),
        rule_id=(Varchar, {"length": 120, "index": True}),
        jurisdiction=(Varchar, {"length": 10, "index": True}),
        tz=(Varchar, {"length": 64}),
        subdivision=(Varchar, {"length": 20, "default": None, "null": True}),
        channel=(Varchar, {"length": 20}),
        received_at=(Timestamptz, {}),
        authority_reference=(Varchar, {"length": 200}),
        legal_basis=(Text, {}),
        summary=(Text, {}),
        priority=(Varchar, {"length": 10, "index": True}),
        confidentiality=(Varchar, {"length": 20}),
        tags=(Text, {"default": "[]"}),
        assignee=(UUID, {"default": None, "null": True, "index": True}),
        response_language=(Varchar, {"length": 35}),
        kind=(Varchar, {"length": 20}),
        dsa_basis=(Varchar, {"length": 10}),
        instrument=(Varchar, {"length": 30}),
        emergency=(Boolean, {}),
        state=(Varchar, {"length": 30, "index": True}),
        due_at=(Timestamptz, {"default": None, "null": True}),
        due_date=(Date, {"default": None, "null": True}),
        extended_due_at=(Timestamptz, {"default": None, "null": True}),
        extended_due_date=(Date, {"default": None, "null": True}),
        extension_notice_due_at=(Timestamptz, {"default": None, "null": True, "index": True}),
        extension_taken=(Boolean, {}),
        extension_reason=(Text, {}),
        extension_notified_on=(Date, {"default": None, "null": True}),
        acknowledgement_due_at=(Timestamptz, {"default": None, "null": True, "index": True}),
        sort_due_at=(Timestamptz, {"index": True}),
        created_at=(Timestamptz, {}),
        updated_at=(Timestamptz, {}),
        mlat=(Boolean, {}),
        service=(Varchar, {"length": 200}),
        nondisclosure_order=(Boolean, {}),
        nondisclosure_expires_on=(Date, {"default": None, "null": True, "index": True}),
        data_scope=(Varchar, {"length": 20}),
        identifiers=(Text, {"default": "[]"}),
        content_items=(Text, {"default": "[]"}),
        dsa_category=(Varchar, {"length": 100}),
        dsa_subcategory=(Varchar, {"length": 100}),
        taxonomy_version=(Varchar, {"length": 20}),
        internal_reason=(Text, {}),
        receipt_acknowledged_at=(Timestamptz, {"default": None, "null": True}),
        effect_given_at=(Timestamptz, {"default": None, "null": True}),
        authority_informed_at=(Timestamptz, {"default": None, "null": True}),
        user_notified_at=(Timestamptz, {"default": None, "null": True}),
        responded_at=(Timestamptz, {"default": None, "null": True}),
        closed_at=(Timestamptz, {"default": None, "null": True}),
        notice_decision=(Varchar, {"length": 20}),
        notice_delay_order=(Text, {}),
        notice_delay_expires_on=(Date, {"default": None, "null": True, "index": True}),
        data_outcome=(Varchar, {"length": 20}),
        data_rejection_reason=(Text, {}),
    )
    _table(
        manager,
        "SweepRunTable",
        "sweep_run",
        worker=(Varchar, {"length": 100}),
        swept_to=(Timestamptz, {"index": True}),
        finished_at=(Timestamptz, {}),
        sent=(Integer, {}),
        failed=(Integer, {}),
    )
    _table(
        manager,
        "HoldNoticeTable",
        "legal_hold_notice",
        id=(UUID, {"primary_key": True}),
        hold_id=(UUID, {"index": True}),
        custodian_email=(Varchar, {"length": 320, "index": True}),
        recipient_email=(Varchar, {"length": 320}),
        kind=(Varchar, {"length": 30}),
        due_at=(Timestamptz, {"index": True}),
        expires_at=(Timestamptz, {"default": None, "null": True}),
        created_at=(Timestamptz, {}),
        delivered_at=(Timestamptz, {"default": None, "null": True, "index": True}),
        cancelled_at=(Timestamptz, {"default": None, "null": True}),
        used_at=(Timestamptz, {"default": None, "null": True}),
    )
    _table(
        manager,
        "HoldDataSourceTable",
        "legal_hold_data_source",
        hold_id=(UUID, {"index": True}),
        system=(Varchar, {"length": 100}),
        identifier=(Varchar, {"length": 300, "index": True}),
        released_at=(Timestamptz, {"default": None, "null": True}),
    )
    _table(
        manager,
        "AuthorityTable",
        "authority",
        id=(UUID, {"primary_key": True}),
        name=(Varchar, {"length": 300}),
        country=(Varchar, {"length": 2, "index": True}),
        type=(Varchar, {"length": 30}),
        contact=(Text, {}),
        verified=(Boolean, {}),
        created_at=(Timestamptz, {}),
    )
    _table(
        manager,
        "WebhookDeliveryTable",
        "webhook_delivery",
        id=(UUID, {"primary_key": True}),
        notification_key=(Varchar, {"length": 600, "index": True}),
        kind=(Varchar, {"length": 60}),
        url=(Text, {}),
        attempted_at=(Timestamptz, {"index": True}),
        status_code=(Integer, {"default": None, "null": True}),
        succeeded=(Boolean, {}),
        retryable=(Boolean, {}),
        error=(Text, {}),
        duration_ms=(Integer, {}),
    )
    _table(
        manager,
        "DeliveryTable",
        "delivery",
        id=(UUID, {"primary_key": True}),
        key=(Varchar, {"length": 700, "unique": True}),
        kind=(Varchar, {"length": 40}),
        channel=(Varchar, {"length": 20}),
        subject_type=(Varchar, {"length": 20}),
        subject_id=(Varchar, {"length": 64}),
        recipient=(Varchar, {"length": 320}),
        due_at=(Timestamptz, {}),
        state=(Varchar, {"length": 10, "index": True}),
        attempts=(Integer, {}),
        next_attempt_at=(Timestamptz, {"default": None, "null": True, "index": True}),
        lease_until=(Timestamptz, {"default": None, "null": True, "index": True}),
        claimed_by=(Varchar, {"length": 100}),
        claimed_at=(Timestamptz, {}),
        last_error=(Text, {}),
        sent_at=(Timestamptz, {"default": None, "null": True}),
        payload=(Text, {"default": "{}"}),
    )
    _table(
        manager,
        "MailOutboxTable",
        "mail_outbox",
        id=(UUID, {"primary_key": True}),
        notification_key=(Varchar, {"length": 600, "unique": True, "index": True}),
        kind=(Varchar, {"length": 60}),
        recipient=(Varchar, {"length": 320, "index": True}),
        subject=(Text, {}),
        body_text=(Text, {}),
        body_html=(Text, {"default": None, "null": True}),
        message_id=(Varchar, {"length": 300}),
        raw_message=(Text, {}),
        created_at=(Timestamptz, {"index": True}),
    )
    _table(
        manager,
        "RequestReminderTable",
        "request_reminder_offsets",
        request_id=(UUID, {"unique": True}),
        offsets=(Text, {"default": "[]"}),
        updated_at=(Timestamptz, {}),
    )
    _table(
        manager,
        "CalendarTokenTable",
        "calendar_feed_token",
        id=(UUID, {"primary_key": True}),
        user_id=(UUID, {"index": True}),
        prefix=(Varchar, {"length": 16}),
        secret_sha256=(Varchar, {"length": 64, "unique": True, "index": True}),
        created_at=(Timestamptz, {}),
        revoked_at=(Timestamptz, {"default": None, "null": True}),
    )
    _table(
        manager,
        "UserTable",
        "docket_user",
        id=(UUID, {"primary_key": True}),
        email=(Varchar, {"length": 320, "unique": True, "index": True}),
        display_name=(Varchar, {"length": 200}),
        role=(Varchar, {"length": 20}),
        password_hash=(Varchar, {"length": 200}),
        created_at=(Timestamptz, {}),
        disabled_at=(Timestamptz, {"default": None, "null": True}),
    )
    _table(
        manager,
        "HoldCustodianTable",
        "legal_hold_custodian",
        hold_id=(UUID, {"index": True}),
        email=(Varchar, {"length": 320, "index": True}),
        name=(Varchar, {"length": 200}),
        manager_email=(Varchar, {"length": 320}),
        released_at=(Timestamptz, {"default": None, "null": True}),
        acknowledged_at=(Timestamptz, {"default": None, "null": True}),
        ack_address=(Varchar, {"length": 64}),
        ack_user_agent=(Varchar, {"length": 300}),
        ack_answers=(Text, {"default": "{}"}),
    )
    _table(
        manager,
        "HoldTable",
        "legal_hold",
        id=(UUID, {"primary_key": True}),
        version=(Integer, {"default": 1}),
        matter=(Varchar, {"length": 200, "index": True}),
        title=(Varchar, {"length": 300}),
        state=(Varchar, {"length": 20, "index": True}),
        request_ids=(Text, {"default": "[]"}),
        scope_start=(Date, {"default": None, "null": True}),
        scope_end=(Date, {"default": None, "null": True}),
        keywords=(Text, {"default": "[]"}),
        scope_description=(Text, {}),
        notice_text=(Text, {}),
        created_by=(Varchar, {"length": 200}),
        created_at=(Timestamptz, {"index": True}),
        issued_at=(Timestamptz, {"default": None, "null": True}),
        released_at=(Timestamptz, {"default": None, "null": True}),
        preservation_request_id=(UUID, {"default": None, "null": True, "index": True}),
        questions=(Text, {"default": "[]"}),
    )
    _table(
        manager,
        "ApiTokenTable",
        "api_token",
        id=(UUID, {"primary_key": True}),
        name=(Varchar, {"length": 200}),
        role=(Varchar, {"length": 20}),
        prefix=(Varchar, {"length": 16}),
        secret_sha256=(Varchar, {"length": 64, "unique": True, "index": True}),
        created_at=(Timestamptz, {}),
        created_by=(UUID, {"default": None, "null": True}),
        expires_at=(Timestamptz, {"default": None, "null": True}),
        revoked_at=(Timestamptz, {"default": None, "null": True}),
    )
    _table(
        manager,
        "AttachmentTable",
        "request_attachment",
        id=(UUID, {"primary_key": True}),
        request_id=(UUID, {"index": True}),
        sha256=(Varchar, {"length": 64, "index": True}),
        size=(BigInt, {}),
        media_type=(Varchar, {"length": 200}),
        original_name=(Varchar, {}),
        uploaded_by=(Varchar, {"length": 200}),
        uploaded_at=(Timestamptz, {}),
    )
    _table(
        manager,
        "LoginFailureTable",
        "login_failure",
        key=(Varchar, {"length": 400, "index": True}),
        failed_at=(Timestamptz, {"index": True}),
    )
    _table(
        manager,
        "PackageVersionTable",
        "response_package_version",
        id=(UUID, {"primary_key": True}),
        request_id=(UUID, {"index": True}),
        number=(Integer, {}),
        sha256=(Varchar, {"length": 64, "index": True}),
        size=(BigInt, {}),
        locale=(Varchar, {"length": 35}),
        draft_revision=(Integer, {}),
        drafted_by=(Varchar, {"length": 200}),
        built_by=(Varchar, {"length": 200}),
        created_at=(Timestamptz, {}),
        state=(Varchar, {"length": 20, "index": True}),
        submitted_by=(Varchar, {"length": 200}),
        submitted_at=(Timestamptz, {"default": None, "null": True}),
        approved_by=(Varchar, {"length": 200}),
        approved_at=(Timestamptz, {"default": None, "null": True}),
        signed_sha256=(Varchar, {"length": 64, "index": True}),
        signed_size=(BigInt, {}),
        sent_by=(Varchar, {"length": 200}),
        sent_at=(Timestamptz, {"default": None, "null": True}),
        comments=(Text, {"default": "[]"}),
    )
    _table(
        manager,
        "InboxMessageTable",
        "inbox_message",
        id=(UUID, {"primary_key": True}),
        user_id=(UUID, {"index": True}),
        delivery_key=(Varchar, {"length": 700, "unique": True}),
        kind=(Varchar, {"length": 40}),
        subject=(Varchar, {"length": 500}),
        text=(Text, {}),
        link=(Varchar, {"length": 1000}),
        created_at=(Timestamptz, {"index": True}),
        read_at=(Timestamptz, {"default": None, "null": True}),
    )
    _table(
        manager,
        "CommentTable",
        "request_comment",
        id=(UUID, {"primary_key": True}),
        request_id=(UUID, {"index": True}),
        author=(Varchar, {"length": 200}),
        body=(Text, {}),
        created_at=(Timestamptz, {"index": True}),
    )
    _table(
        manager,
        "ResponseDraftTable",
        "response_draft",
        request_id=(UUID, {"primary_key": True}),
        markdown=(Text, {}),
        locale=(Varchar, {"length": 35}),
        exhibits=(Text, {"default": "[]"}),
        revision=(Integer, {}),
        updated_by=(Varchar, {"length": 200}),
        updated_by_name=(Varchar, {"length": 200}),
        updated_at=(Timestamptz, {}),
    )
    return manager
