"""Browser sessions (web_session) and the time zone each user reads times in."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.column_types import UUID
from piccolo.columns.column_types import Varchar

ID = "2026-12-07T13:20:52:541744"
VERSION = "1.38.0"
DESCRIPTION = "browser sessions and the time zone of each user"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="domain", description=DESCRIPTION)
    manager.add_table(class_name="WebSessionTable", tablename="web_session")
    manager.add_column(
        table_class_name="WebSessionTable",
        tablename="web_session",
        column_name="id",
        column_class=UUID,
        params={"primary_key": True},
    )
    manager.add_column(
        table_class_name="WebSessionTable",
        tablename="web_session",
        column_name="secret_sha256",
        column_class=Varchar,
        params={"length": 64, "unique": True, "index": True},
    )
    manager.add_column(
        table_class_name="WebSessionTable",
        tablename="web_session",
        column_name="user_id",
        column_class=UUID,
        params={"index": True},
    )
    manager.add_column(
        table_class_name="WebSessionTable",
        tablename="web_session",
        column_name="created_at",
        column_class=Timestamptz,
        params={},
    )
    manager.add_column(
        table_class_name="WebSessionTable",
        tablename="web_session",
        column_name="expires_at",
        column_class=Timestamptz,
        params={},
    )
    manager.add_column(
        table_class_name="WebSessionTable",
        tablename="web_session",
        column_name="revoked_at",
        column_class=Timestamptz,
        params={"default": None, "null": True},
    )
    manager.add_column(
        table_class_name="UserTable",
        tablename="docket_user",
        column_name="time_zone",
        column_class=Varchar,
        params={"length": 64},
    )
    return manager
