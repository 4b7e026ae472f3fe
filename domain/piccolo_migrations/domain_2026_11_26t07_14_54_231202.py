from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Date
from piccolo.columns.column_types import Timestamptz

ID = "2026-11-26T07:14:54:231202"
VERSION = "1.38.0"
DESCRIPTION = "Index the due columns the reminder sweep reads"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="domain", description=DESCRIPTION)

    manager.alter_column(
        table_class_name="RequestTable",
        tablename="regulatory_request",
        column_name="extension_notice_due_at",
        db_column_name="extension_notice_due_at",
        params={"index": True},
        old_params={"index": False},
        column_class=Timestamptz,
        old_column_class=Timestamptz,
        schema=None,
    )

    manager.alter_column(
        table_class_name="RequestTable",
        tablename="regulatory_request",
        column_name="nondisclosure_expires_on",
        db_column_name="nondisclosure_expires_on",
        params={"index": True},
        old_params={"index": False},
        column_class=Date,
        old_column_class=Date,
        schema=None,
    )

    manager.alter_column(
        table_class_name="RequestTable",
        tablename="regulatory_request",
        column_name="notice_delay_expires_on",
        db_column_name="notice_delay_expires_on",
        params={"index": True},
        old_params={"index": False},
        column_class=Date,
        old_column_class=Date,
        schema=None,
    )

    manager.alter_column(
        table_class_name="RequestTable",
        tablename="regulatory_request",
        column_name="acknowledgement_due_at",
        db_column_name="acknowledgement_due_at",
        params={"index": True},
        old_params={"index": False},
        column_class=Timestamptz,
        old_column_class=Timestamptz,
        schema=None,
    )

    return manager
